package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One service's persistence templates (the kernel's connection templates of ip_vs_sched_persist): the client
 * address masked by the persistence netmask, plus the virtual port unless the service is port-0 or fwmark, stuck
 * to a server. A template lives for the persistence timeout after its last use (each new connection that follows
 * it restarts the timer, as ip_vs_conn_put does). It is dropped at lookup when its server is no longer available
 * (deleted), or quiescent (weight 0) while expire_quiescent_template is on; an OVERLOADed server keeps its
 * clients. Every live template counts once in its server's PersistConn.
 *
 * <p>The hit path (lookup of a live template) allocates nothing: the probe key is a per-thread mutable instance.
 */
public final class PersistenceTemplates {
    private record Settings(long timeoutNanos, long maskHi, long maskLo, boolean portless) {}

    private static final ThreadLocal<TemplateKey> PROBE = ThreadLocal.withInitial(TemplateKey::new);
    private static final long V4_PREFIX_BITS = 0xFFFF_FFFF_0000_0000L;

    private final ConcurrentHashMap<TemplateKey, PersistenceTemplate> templates = new ConcurrentHashMap<>();
    private volatile Settings settings = new Settings(0, -1L, -1L, false);
    private volatile boolean expireQuiescentTemplate;

    /**
     * @param timeoutSeconds   ipvsadm -p; 0 turns persistence off (existing templates are dropped)
     * @param maskHi           netmask, high 64 bits (IPv6 prefix); for IPv4 services only the low 32 bits of
     *                         maskLo are used, so both 0x0000FFFF_FFFFFF00 and ~0:...:FFFFFF00 work
     * @param portZeroOrFwmark template without the virtual port (port-0 service, fwmark service)
     */
    public void configure(int timeoutSeconds, long maskHi, long maskLo, boolean portZeroOrFwmark) {
        if (timeoutSeconds < 0) throw new IllegalArgumentException("persistence timeout must be >= 0");
        settings = new Settings(timeoutSeconds * 1_000_000_000L, maskHi, maskLo, portZeroOrFwmark);
        if (timeoutSeconds == 0) clear();
    }

    public boolean enabled() { return settings.timeoutNanos > 0; }

    public int timeoutSeconds() { return (int) (settings.timeoutNanos / 1_000_000_000L); }

    /** The sysctl expire_quiescent_template. */
    public void setExpireQuiescentTemplate(boolean on) { expireQuiescentTemplate = on; }

    /** The server of the client's live, valid template, its timer restarted; null when there is none. */
    public Destination lookup(FlowDescription flow, long nowNanos) {
        return lookup(flow, null, 0, nowNanos);
    }

    /**
     * As {@link #lookup(FlowDescription, long)} for a service with a persistence engine: the template also matches
     * the engine's data (the SIP Call-ID), bytes [0, peLength) of peData.
     */
    public Destination lookup(FlowDescription flow, byte[] peData, int peLength, long nowNanos) {
        Settings s = settings;
        TemplateKey probe = probe(s, flow, peData, peLength);
        PersistenceTemplate t = templates.get(probe);
        if (t == null) return null;
        if (nowNanos - t.expiresAtNanos >= 0 || !valid(t.server())) {
            remove(t);
            return null;
        }
        t.expiresAtNanos = nowNanos + s.timeoutNanos;
        return t.server();
    }

    /**
     * Creates the client's template for a freshly scheduled server. When another thread created one for the same
     * client meanwhile, that one wins and its server is returned, so one client never splits across servers.
     */
    public Destination bind(FlowDescription flow, Destination server, long nowNanos) {
        return bind(flow, null, 0, server, nowNanos);
    }

    /** As {@link #bind(FlowDescription, Destination, long)}, keyed also by the engine's data. */
    public Destination bind(FlowDescription flow, byte[] peData, int peLength, Destination server, long nowNanos) {
        Settings s = settings;
        TemplateKey key = new TemplateKey(probe(s, flow, peData, peLength));
        PersistenceTemplate fresh = new PersistenceTemplate(key, server, nowNanos + s.timeoutNanos);
        while (true) {
            PersistenceTemplate existing = templates.putIfAbsent(key, fresh);
            if (existing == null) {
                server.addPersistent(1);
                return server;
            }
            if (nowNanos - existing.expiresAtNanos < 0 && valid(existing.server())) return existing.server();
            remove(existing);
        }
    }

    /** Drops expired and invalid templates; returns how many. Call periodically (the kernel's timers). */
    public int expire(long nowNanos) {
        int removed = 0;
        for (PersistenceTemplate t : templates.values()) {
            if ((nowNanos - t.expiresAtNanos >= 0 || !valid(t.server())) && remove(t)) removed++;
        }
        return removed;
    }

    public void clear() {
        for (PersistenceTemplate t : templates.values()) remove(t);
    }

    public int size() { return templates.size(); }

    /** A copy of the live templates, for listings (ipvsadm -Lc shows them). */
    public List<PersistenceTemplate> list() { return new ArrayList<>(templates.values()); }

    private boolean valid(Destination server) {
        return server.available() && !(expireQuiescentTemplate && server.weight() == 0);
    }

    private boolean remove(PersistenceTemplate t) {
        if (templates.remove(t.key(), t)) {
            t.server().addPersistent(-1);
            return true;
        }
        return false;
    }

    private static TemplateKey probe(Settings s, FlowDescription flow, byte[] peData, int peLength) {
        long hi, lo;
        if (FlowDescription.isV4Mapped(flow.srcHi, flow.srcLo)) {
            hi = flow.srcHi;
            lo = flow.srcLo & (s.maskLo | V4_PREFIX_BITS);
        } else {
            hi = flow.srcHi & s.maskHi;
            lo = flow.srcLo & s.maskLo;
        }
        return PROBE.get().set(hi, lo, s.portless ? 0 : flow.dstPort, peData, peLength);
    }

    /** The low half of an IPv4 netmask written as a prefix length (-M 255.255.255.0 is 24). */
    public static long v4MaskLo(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("IPv4 prefix 0..32");
        return V4_PREFIX_BITS | (prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL);
    }

    /** The high half of an IPv6 prefix mask. */
    public static long v6MaskHi(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 128) throw new IllegalArgumentException("IPv6 prefix 0..128");
        return prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
    }

    /** The low half of an IPv6 prefix mask. */
    public static long v6MaskLo(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 128) throw new IllegalArgumentException("IPv6 prefix 0..128");
        return prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
    }
}
