package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.List;

/**
 * Scheduling for one virtual service: the scheduler bound to the current server snapshot, and the persistence
 * templates.
 *
 * <p>Control-plane changes (servers, scheduler, weights) are serialised on this object and build a complete new
 * {@code Bound} (server snapshot + scheduler state built for it) before publishing it with one volatile write.
 * Forwarding threads read that field once per decision and never block; until the write they keep using the old,
 * still complete state, so no decision ever sees a half-built table. New servers are marked available before the
 * publish, removed ones unavailable after it, so there is no instant in which neither set has a usable server.
 */
public final class ServiceScheduler {
    private record Bound(ServerSet servers, Scheduler scheduler) {}

    private volatile Bound current;
    private final PersistenceTemplates templates = new PersistenceTemplates();

    public ServiceScheduler(Scheduler scheduler) {
        this.current = new Bound(ServerSet.EMPTY, scheduler.withServers(ServerSet.EMPTY));
    }

    /** Replaces the server list (in the order ipvsadm added them) and publishes it atomically. */
    public synchronized void setServers(List<Destination> servers) {
        ServerSet next = ServerSet.of(servers);
        Bound old = current;
        for (int i = 0; i < next.size(); i++) {
            Destination s = next.get(i);
            s.setAvailable(true);
            s.setOwner(this);
        }
        current = new Bound(next, old.scheduler().withServers(next));
        for (int i = 0; i < old.servers().size(); i++) {
            Destination s = old.servers().get(i);
            if (next.indexOf(s) < 0) {
                s.setAvailable(false);
                if (s.owner() == this) s.setOwner(null);
                ScanBlocks.leave(s, old.servers());
            }
        }
    }

    /** ipvsadm -E -s: the new scheduler starts from the current servers. */
    public synchronized void setScheduler(Scheduler scheduler) {
        Bound old = current;
        current = new Bound(old.servers(), scheduler.withServers(old.servers()));
    }

    /** A server's weight changed (the kernel's upd_dest): rebuild the tables that depend on weights. */
    synchronized void serverChanged(Destination server) {
        Bound old = current;
        if (old.servers().indexOf(server) < 0) return;
        current = new Bound(old.servers(), old.scheduler().withServers(old.servers()));
    }

    /**
     * @param timeoutSeconds   ipvsadm -p (0 = not persistent)
     * @param netmaskHi        persistence netmask as a 128-bit mask (IPv6 prefix); see {@link PersistenceTemplates#configure}
     * @param portZeroOrFwmark port-0 or fwmark service: templates ignore the virtual port
     */
    public void setPersistence(int timeoutSeconds, long netmaskHi, long netmaskLo, boolean portZeroOrFwmark) {
        templates.configure(timeoutSeconds, netmaskHi, netmaskLo, portZeroOrFwmark);
    }

    public void setExpireQuiescentTemplate(boolean on) { templates.setExpireQuiescentTemplate(on); }

    /**
     * The server for a new connection, or null when none is available. With persistence, the client's live
     * template decides; otherwise the scheduler does and a template is created. Call once per new connection
     * (each call restarts the template's timer). nowNanos is on the System.nanoTime() timeline, as in
     * {@link #expire}.
     */
    public Destination schedule(FlowDescription flow, long nowNanos) {
        return schedule(flow, null, 0, nowNanos);
    }

    /**
     * As {@link #schedule(FlowDescription, long)} for a service with a persistence engine: its data (the SIP
     * Call-ID, bytes [0, peLength) of peData, copied when a template is made) joins the template's key.
     */
    public Destination schedule(FlowDescription flow, byte[] peData, int peLength, long nowNanos) {
        Bound b = current;
        if (!templates.enabled()) return b.scheduler().schedule(b.servers(), flow);
        Destination stuck = templates.lookup(flow, peData, peLength, nowNanos);
        if (stuck != null) return stuck;
        Destination chosen = b.scheduler().schedule(b.servers(), flow);
        return chosen == null ? null : templates.bind(flow, peData, peLength, chosen, nowNanos);
    }

    /**
     * Housekeeping, from a timer (every few seconds): expired templates and lblc/lblcr cache entries. nowNanos must
     * be System.nanoTime(), the clock the lblc caches stamp. Returns entries removed.
     */
    public int expire(long nowNanos) {
        return templates.expire(nowNanos) + current.scheduler().expire(nowNanos);
    }

    public ServerSet servers() { return current.servers(); }

    /** The scheduler bound to the current servers. */
    public Scheduler scheduler() { return current.scheduler(); }

    public PersistenceTemplates templates() { return templates; }
}
