package io.jlvs.forwarder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.HalfOpenReclaimer;
import io.jlvs.connections.PreviousTable;
import io.jlvs.control.AdmException;
import io.jlvs.control.DirectorRuntime;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.Timeouts;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ConnectionRow;
import io.jlvs.control.model.ConfigDiff;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.platform.hostguard.KernelPort;
import io.jlvs.schedulers.PersistenceTemplate;
import io.jlvs.schedulers.Destination;
import io.jlvs.schedulers.Scheduler;
import io.jlvs.schedulers.SchedulerRegistry;
import io.jlvs.schedulers.ServiceScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The running IPVS services as the control plane sees them: turns a desired {@link IpvsConfig} into running
 * services and real servers by applying only the difference, and answers the control plane's queries with rows
 * (counters, connection entries; the control module formats them). Changes are validated in full before
 * anything is touched, so a refused change leaves the running state as it was.
 */
public final class IpvsRuntime implements DirectorRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(IpvsRuntime.class);

    /** Told of every applied change, after it took effect (the daemon updates filters, the host guard, ARP). */
    public interface ChangeListener {
        void applied(ServiceIndex index, List<RuntimeDest> addedDests, List<Integer> addedVips);
    }

    private final DataPlane plane;
    private final ForwardMethod defaultMethod;
    private final Set<ForwardMethod> supportedMethods;
    private final ChangeListener listener;
    private final DirectRouteCheck directRouteCheck;
    private final Map<ServiceKey, RuntimeService> services = new LinkedHashMap<>();
    /** Deleted real servers that still have connections: their ids are released once they drain. */
    private final ConcurrentLinkedQueue<RuntimeDest> draining = new ConcurrentLinkedQueue<>();
    private final RateEstimator rates = new RateEstimator();
    private final HalfOpenReclaimer halfOpen;
    private final ConnectionImporter importer;
    private volatile IpvsConfig config = IpvsConfig.empty();
    private VipOwnership ownership = VipOwnership.UNMANAGED;
    private KernelPorts kernelPorts = KernelPorts.NONE;
    private int nextServiceId = 1;
    private boolean logChanges = true;

    public IpvsRuntime(DataPlane plane, ForwardMethod defaultMethod, Set<ForwardMethod> supportedMethods,
                    ChangeListener listener) {
        this(plane, defaultMethod, supportedMethods, listener, DirectRouteCheck.ANY);
    }

    public IpvsRuntime(DataPlane plane, ForwardMethod defaultMethod, Set<ForwardMethod> supportedMethods,
                    ChangeListener listener, DirectRouteCheck directRouteCheck) {
        this.directRouteCheck = directRouteCheck;
        this.plane = plane;
        this.defaultMethod = defaultMethod;
        this.supportedMethods = supportedMethods;
        this.listener = listener;
        this.halfOpen = new HalfOpenReclaimer(plane.connections());
        this.importer = new ConnectionImporter(plane);
    }

    /** Applies changes without logging them: a runtime of the forwarding warm-up's, which no operator made. */
    IpvsRuntime quiet() {
        logChanges = false;
        return this;
    }

    /**
     * Creates or updates one connection from its description (a sync backup learning its master's connections),
     * bound to the running service and real server by address (or fwmark); an existing connection with the same
     * inbound key and real server gets the state and deadline, one bound to another server is replaced by an active
     * description and kept against an inactive one ({@link ConnectionImport#inactive}). Counted in
     * {@link #importCounters()}. Any thread; calls are
     * serialized; never on a forwarding worker.
     */
    public ImportResult importConnection(ConnectionImport connection, long nowNanos) {
        return importer.importConnection(connection, nowNanos);
    }

    public ImportCounters importCounters() { return importer.counters(); }

    /**
     * The SYN proxy's record of the connection in {@code v} (a view the table just filled) into {@code into};
     * false, {@code into} cleared, when the connection was not opened by the SYN proxy or has no record.
     */
    public boolean spliceOf(ConnectionView v, SpliceRecord into) {
        into.clear();
        SynProxyStates states = plane.synProxyStates();
        if (states == null || !ConnFlags.spliced(v)) return false;
        states.read((int) v.handle(), into);
        if (into.valid()) return true;
        into.clear();
        return false;
    }

    /**
     * FullNAT's record of the connection in {@code v} (a view the table just filled) into {@code into}; false,
     * {@code into} cleared, when the connection is not a FullNAT one or this daemon holds no record of it.
     */
    public boolean fullNatOf(ConnectionView v, FullNatRecord into) {
        into.clear();
        FullNatStates states = plane.fullNatStates();
        if (states == null || !v.isValid() || !DataPlane.isFullNat(v.flags())) return false;
        states.read((int) v.handle(), into);
        if (into.valid()) return true;
        into.clear();
        return false;
    }

    /**
     * Re-creates the live entries a previous daemon left in its table file in this data plane's table, bound to the
     * services running now by address (or fwmark), each with its state, deadline and forwarding method. Run it after
     * the desired state is restored and before the workers forward.
     */
    public ReattachReport reattach(PreviousTable previous, long nowNanos) {
        return reattach(previous, null, null, nowNanos);
    }

    /**
     * As {@link #reattach(PreviousTable, long)}, with the previous daemon's SYN proxy records (memory laid out as
     * {@link DataPlane#keepSynProxyStatesIn} keeps them, of the previous table's capacity; null when none were
     * kept): proxied connections go on being joined; and with FullNAT's ({@link DataPlane#keepFullNatStatesIn}'s
     * layout, null when none were kept): FullNAT connections keep their local ports and PROXY header shifts.
     */
    public ReattachReport reattach(PreviousTable previous, MemorySegment previousSplices,
                                   MemorySegment previousFullNats, long nowNanos) {
        int[] counts = new int[ImportResult.values().length];
        int withoutPort = importer.fullNatWithoutPort();
        PreviousTable.Scan scan = previous.forEachLive(
                v -> counts[importer.reattach(v, previousSplices, previousFullNats, nowNanos).ordinal()]++, nowNanos);
        return new ReattachReport(counts[ImportResult.CREATED.ordinal()] + counts[ImportResult.UPDATED.ordinal()],
                counts[ImportResult.NO_SERVICE.ordinal()], counts[ImportResult.NO_SERVER.ordinal()],
                counts[ImportResult.TABLE_FULL.ordinal()], scan.expired(),
                scan.malformed() + counts[ImportResult.INVALID.ordinal()], importer.fullNatWithoutPort() - withoutPort);
    }

    @Override
    public IpvsConfig config() { return config; }

    /**
     * Which addresses VRRP manages and which this director owns now; takes effect with one publication of the
     * service index (the running services and connections are untouched). When the set of managed addresses changes
     * the host is told (socket filters, host guard) as after a configuration change; nothing is announced: VRRP
     * sends its own gratuitous ARPs.
     */
    public synchronized void setVipOwnership(VipOwnership next) {
        if (next.equals(ownership)) return;
        ownership = next;
        ServiceIndex before = plane.services();
        ServiceIndex index = new ServiceIndex(List.copyOf(services.values()), config.markRules(), next, kernelPorts);
        plane.publish(index);
        LOG.info("VIP ownership: {}", next);
        // A takeover changes only which addresses are owned: the host (filters, guard) already knows them all.
        if (java.util.Arrays.equals(before.vips(), index.vips()) && before.ipv6Vips().equals(index.ipv6Vips())) return;
        if (listener != null) {
            try {
                listener.applied(index, List.of(), List.of());
            } catch (RuntimeException e) {
                LOG.error("changed VIP ownership, but updating the host failed: {}", e.getMessage());
            }
        }
    }

    /**
     * Puts the ports on VIPs that the director's kernel terminates (layer-7 listeners) in force: their VIPs become
     * the director's (ARP, ping, gratuitous ARP when new and owned; VRRP decides ownership as for any VIP) and the
     * host is told (socket filters, host guard: local routes and the pass set). Refused, changing nothing, when a
     * port is a TCP service's (or on the VIP of a TCP port-0 service) or when the host cannot be updated.
     */
    public synchronized void setKernelPorts(KernelPorts next) throws AdmException {
        if (next.equals(kernelPorts)) return;
        for (ServiceKey key : services.keySet()) {
            KernelPort taken = clash(key, next);
            if (taken != null) {
                throw AdmException.refused("jlvs: " + next.owner(taken.addrV4(), taken.port()) + " cannot listen on "
                        + endpoint(taken) + ": the layer-4 service " + describe(key) + " (jlvsadm) forwards it; use "
                        + "another port, or delete that service first");
            }
        }
        KernelPorts previous = kernelPorts;
        ServiceIndex before = plane.services();
        kernelPorts = next;
        ServiceIndex index = new ServiceIndex(List.copyOf(services.values()), config.markRules(), ownership, next);
        List<Integer> addedVips = new ArrayList<>();
        for (int vip : index.vips()) if (!before.isVip(vip) && index.owns(vip)) addedVips.add(vip);
        plane.publish(index);
        if (listener == null) return;
        try {
            listener.applied(index, List.of(), addedVips);
        } catch (RuntimeException e) {
            kernelPorts = previous;
            ServiceIndex back = new ServiceIndex(List.copyOf(services.values()), config.markRules(), ownership, previous);
            plane.publish(back);
            try {
                listener.applied(back, List.of(), List.of());
            } catch (RuntimeException again) {
                LOG.error("could not put the host back after a refused change of kernel ports: {}", again.getMessage());
            }
            throw AdmException.refused("jlvs: updating the host for the layer-7 listeners on VIPs failed: " + e.getMessage());
        }
    }

    /** The ports on VIPs in force that the director's kernel terminates. */
    public synchronized KernelPorts kernelPorts() { return kernelPorts; }

    /** The kernel port a service with this key would take, or null (a port-0 service takes its VIP's every port). */
    private static KernelPort clash(ServiceKey key, KernelPorts ports) {
        if (ports.isEmpty() || key.isFwmark() || key.af() != 4 || key.protocol() != Protocol.TCP) return null;
        int addr = (int) key.addrLo();
        if (key.port() == 0) return ports.firstOn(addr);
        return ports.contains(addr, key.port()) ? new KernelPort(addr, key.port()) : null;
    }

    private static String endpoint(KernelPort p) {
        return Ipv4.toString(p.addrV4()) + ":" + p.port();
    }

    @Override
    public synchronized void apply(IpvsConfig next) throws AdmException {
        ConfigDiff diff = ConfigDiff.between(config, next);
        if (diff.isEmpty() && next.markRules().equals(config.markRules())) {
            config = next;
            return;
        }
        // 1. Validate everything and build what can fail, touching nothing that runs.
        Map<ServiceKey, Scheduler> newSchedulers = new HashMap<>();
        for (ServiceConfig s : concat(diff.addedServices(), diff.changedServices())) {
            validateService(s);
            RuntimeService running = services.get(s.key());
            if (running == null || !running.config.scheduler().equals(s.scheduler())
                    || !running.config.schedFlags().equals(s.schedFlags())) {
                newSchedulers.put(s.key(), createScheduler(s));
            }
        }
        for (ConfigDiff.ServerChange c : diff.serverChanges()) {
            if (c.kind() == ConfigDiff.Kind.REMOVED) continue;
            Ipv6Support.checkServer(c.service(), c.server());
            validateServer(c.server());
        }
        for (ServiceConfig s : diff.addedServices()) {
            KernelPort taken = clash(s.key(), kernelPorts);
            if (taken != null) {
                throw AdmException.refused("jlvs: " + describe(s.key()) + " cannot be added: TCP " + endpoint(taken)
                        + " is where " + kernelPorts.owner(taken.addrV4(), taken.port()) + " (tcpvsadm) listens; use "
                        + "another port, or stop that service first");
            }
        }
        Integer both = LocalAddressPools.clashWithVip(next);
        if (both != null) {
            throw AdmException.refused("jlvs: " + Ipv4.toString(both) + " cannot be both a VIP and a local address "
                    + "(--laddr)");
        }
        io.jlvs.control.model.Ipv6Address both6 = LocalAddressPools.clashWithIpv6Vip(next);
        if (both6 != null) {
            throw AdmException.refused("jlvs: " + both6 + " cannot be both a VIP and a local address (--laddr)");
        }
        // 2. Apply: nothing below throws.
        List<Integer> addedVips = new ArrayList<>();
        ServiceIndex before = plane.services();
        for (ServiceKey key : diff.removedServices()) {
            RuntimeService s = services.remove(key);
            if (s == null) continue;
            for (RuntimeDest d : s.dests) retireLater(d);
            s.dests = List.of();
            s.scheduler.setServers(List.of());
        }
        for (ServiceConfig s : diff.addedServices()) {
            RuntimeService rs = new RuntimeService(nextServiceId++, s, new ServiceScheduler(newSchedulers.get(s.key())), plane.workers());
            configurePersistence(rs, s);
            services.put(s.key(), rs);
        }
        for (ServiceConfig s : diff.changedServices()) {
            RuntimeService rs = services.get(s.key());
            Scheduler sched = newSchedulers.get(s.key());
            if (sched != null) rs.scheduler.setScheduler(sched);
            rs.config = s;
            configurePersistence(rs, s);
        }
        Map<RuntimeService, List<RuntimeDest>> newLists = new LinkedHashMap<>();
        List<RuntimeDest> addedDests = new ArrayList<>();
        for (ConfigDiff.ServerChange c : diff.serverChanges()) {
            RuntimeService rs = services.get(c.service());
            List<RuntimeDest> list = newLists.computeIfAbsent(rs, k -> new ArrayList<>(k.dests));
            RealServerConfig cfg = c.server();
            switch (c.kind()) {
                case ADDED -> {
                    RuntimeDest d = new RuntimeDest(rs, cfg, plane.serverIds());
                    list.add(d);
                    addedDests.add(d);
                }
                case CHANGED -> {
                    for (RuntimeDest d : list) if (same(d, cfg)) d.reconfigure(cfg);
                }
                case REMOVED -> list.removeIf(d -> {
                    if (!same(d, cfg)) return false;
                    retireLater(d);
                    return true;
                });
            }
        }
        for (Map.Entry<RuntimeService, List<RuntimeDest>> e : newLists.entrySet()) {
            RuntimeService rs = e.getKey();
            rs.dests = List.copyOf(e.getValue());
            List<Destination> servers = new ArrayList<>();
            for (RuntimeDest d : rs.dests) servers.add(d.server);
            rs.scheduler.setServers(servers);
        }
        ServiceIndex index = new ServiceIndex(List.copyOf(services.values()), next.markRules(), ownership, kernelPorts);
        // New VIPs (of -t/-u services and of /32 mark rules) are announced with gratuitous ARP, unless they are on
        // standby: then the VRRP master owns them and announces them.
        for (int vip : index.vips()) if (!before.isVip(vip) && index.owns(vip)) addedVips.add(vip);
        plane.publish(index);
        config = next;
        if (logChanges) LOG.info("applied a change: {} service(s) added, {} removed, {} changed, {} real server change(s); {} service(s) "
                + "running", diff.addedServices().size(), diff.removedServices().size(), diff.changedServices().size(),
                diff.serverChanges().size(), services.size());
        if (LOG.isDebugEnabled()) {
            for (ConfigDiff.ServerChange c : diff.serverChanges()) {
                RealServerConfig server = c.server();
                LOG.debug("{}: real server {}:{} {} ({}, weight {})", describe(c.service()),
                        Addresses.format(server.addrHi(), server.addrLo()), server.port(),
                        c.kind().name().toLowerCase(), server.method().listName(), server.weight());
            }
        }
        if (listener != null) {
            try {
                listener.applied(index, addedDests, addedVips);
            } catch (RuntimeException e) {
                // The services run already; what failed is host plumbing (filters, nft sets). Say so loudly.
                LOG.error("applied the change, but updating the host failed: {}", e.getMessage());
            }
        }
    }

    /** A service as jlvsadm -L names it: "TCP 10.0.0.100:80", "FWM 1". */
    private static String describe(ServiceKey key) {
        return key.fwmark() != 0 ? "FWM " + key.fwmark()
                : key.protocol().listName() + " " + Addresses.format(key.addrHi(), key.addrLo()) + ":" + key.port();
    }

    private static List<ServiceConfig> concat(List<ServiceConfig> a, List<ServiceConfig> b) {
        List<ServiceConfig> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean same(RuntimeDest d, RealServerConfig cfg) {
        return d.server.addrHi() == cfg.addrHi() && d.server.addrLo() == cfg.addrLo() && d.server.port() == cfg.port();
    }

    private void validateService(ServiceConfig s) throws AdmException {
        if (s.key().protocol() == Protocol.SCTP) throw AdmException.refused("jlvs: SCTP services are not forwarded yet");
        // ConfigChanges refuses engines other than sip, and the parser -o on TCP services.
    }

    private void validateServer(RealServerConfig r) throws AdmException {
        if (!supportedMethods.contains(r.method())) {
            throw AdmException.refused("jlvs: forwarding method " + r.method() + " is not supported by this daemon yet");
        }
        if (r.method() == ForwardMethod.TUNNEL && r.tunType() != null && !r.tunType().equals("ipip")) {
            throw AdmException.refused("jlvs: --tun-type " + r.tunType() + " is not supported yet: only ipip");
        }
        if (r.method() == ForwardMethod.ROUTE && r.isV4()) {
            String problem = directRouteCheck.problem((int) r.addrLo());
            if (problem != null) {
                throw AdmException.refused("jlvs: direct routing needs the real server on a directly connected network: "
                        + problem + " (use -i tunnelling or -m NAT for it)");
            }
        }
    }

    private static Scheduler createScheduler(ServiceConfig s) throws AdmException {
        try {
            return SchedulerRegistry.create(s.scheduler(), s.schedFlags(), Map.of());
        } catch (IllegalArgumentException e) {
            throw AdmException.refused("Scheduler not found");
        }
    }

    private void configurePersistence(RuntimeService rs, ServiceConfig s) {
        boolean portless = s.key().port() == 0 || s.key().isFwmark();
        rs.scheduler.setPersistence(s.persistTimeout(), s.netmaskHi(), s.netmaskLo(), portless);
        rs.scheduler.setExpireQuiescentTemplate(plane.knobs().expireQuiescentTemplate());
        // As in IPVS, the engine takes part only in persistence: without -p, --pe is carried but has no effect.
        rs.sipPersistence = s.persistent() && "sip".equals(s.pe());
        rs.onePacket = s.onePacket();
        if (s.synproxy()) plane.ensureSynProxyStates();
        rs.synproxy = s.synproxy();
        rs.sloppyTcp = s.sloppyTcp();
        if (s.hasLocalAddresses()) plane.ensureFullNatStates();
        rs.localAddresses = plane.localAddresses().forService(s);
    }

    private void retireLater(RuntimeDest d) {
        d.removed = true;
        draining.add(d);
    }

    /** Housekeeping: releases the ids of deleted servers whose connections have all ended. */
    public void releaseDrained() {
        boolean expireNodest = plane.knobs().expireNodestConn();
        for (RuntimeDest d : draining) {
            Destination s = d.server;
            if (expireNodest) plane.connections().removeByDest(s.id());
            if (s.activeConns() + s.inactiveConns() + s.persistConns() == 0) {
                draining.remove(d);
                s.retire();
            }
        }
    }

    /**
     * Housekeeping: judges the DoS defences by the table's free room (DefenseLevels), switches the TCP state table
     * for secure_tcp, and with drop_entry on removes half-open TCP connections (HalfOpenReclaimer) so that a SYN
     * flood cannot lock legitimate clients out. Returns how many went.
     */
    public int defend(long nowNanos) {
        ConnectionTable table = plane.connections();
        DefenseLevels defense = plane.defense();
        defense.update(table.size(), table.capacity());
        if (table.secureTcp() != defense.secureTcp()) table.setSecureTcp(defense.secureTcp());
        return defense.dropEntry() ? halfOpen.reclaim(nowNanos, plane.knobs().get(IpvsSysctl.AMEMTHRESH)) : 0;
    }

    /** The idle cut-off of the last reclaim, in milliseconds. */
    public long halfOpenCutoffMillis() { return halfOpen.lastCutoffNanos() / 1_000_000; }

    /** How full the connection table was at the last reclaim, in percent. */
    public int halfOpenFillPercent() { return halfOpen.lastFillPercent(); }

    /** Housekeeping: expires persistence templates of every service. */
    public synchronized int expireTemplates(long nowNanos) {
        int n = 0;
        for (RuntimeService s : services.values()) n += s.scheduler.expire(nowNanos);
        return n;
    }

    /** Rate estimator tick (every 2 s, off the forwarding path). */
    public synchronized void sampleRates(long nowNanos) {
        for (RuntimeService s : services.values()) {
            rates.sample(s.counters, nowNanos);
            for (RuntimeDest d : s.dests) rates.sample(d.counters, nowNanos);
        }
    }

    public synchronized List<RuntimeService> runningServices() { return List.copyOf(services.values()); }

    @Override
    public int connectionTableSize() { return plane.connections().capacity(); }

    @Override
    public ServiceStats serviceStats(ServiceKey key) {
        RuntimeService s;
        synchronized (this) { s = services.get(key); }
        if (s == null) return ServiceStats.ZERO;
        TrafficCounters c = s.counters;
        RateEstimator.Rates r = rates.rates(c);
        return new ServiceStats(c.conns(), c.inPackets(), c.outPackets(), c.inBytes(), c.outBytes(),
                r.cps(), r.inPps(), r.outPps(), r.inBps(), r.outBps());
    }

    @Override
    public RealServerStats realServerStats(ServiceKey key, long addrHi, long addrLo, int port) {
        RuntimeService s;
        synchronized (this) { s = services.get(key); }
        RuntimeDest d = s == null ? null : s.dest(addrHi, addrLo, port);
        if (d == null) return RealServerStats.ZERO;
        TrafficCounters c = d.counters;
        RateEstimator.Rates r = rates.rates(c);
        return new RealServerStats(c.conns(), c.inPackets(), c.outPackets(), c.inBytes(), c.outBytes(),
                r.cps(), r.inPps(), r.outPps(), r.inBps(), r.outBps(),
                d.server.activeConns(), d.server.inactiveConns(), d.server.persistConns());
    }

    @Override
    public synchronized void zeroStats(ServiceKey keyOrNull) {
        for (RuntimeService s : services.values()) {
            if (keyOrNull != null && !s.key.equals(keyOrNull)) continue;
            s.counters.zero();
            rates.reset(s.counters);
            for (RuntimeDest d : s.dests) {
                d.counters.zero();
                rates.reset(d.counters);
            }
        }
    }

    @Override
    public void forEachConnection(Consumer<ConnectionRow> visitor) {
        plane.connections().forEach(v -> {
            String proto = v.protocol() == Ipv4.PROTO_TCP ? "TCP" : v.protocol() == Ipv4.PROTO_UDP ? "UDP" : "IP";
            visitor.accept(new ConnectionRow(proto, v.stateName(), (int) v.remainingSeconds(),
                    v.clientHi(), v.clientLo(), v.clientPort(), v.virtualHi(), v.virtualLo(), v.virtualPort(),
                    v.realHi(), v.realLo(), v.realPort()));
        });
        long now = System.nanoTime();
        for (RuntimeService s : runningServices()) {
            for (PersistenceTemplate t : s.scheduler.templates().list()) visitor.accept(templateRow(s, t, now));
        }
    }

    /**
     * A persistence template as IPVS lists it (it is a connection entry there): client port 0, state NONE (UDP for
     * a UDP service), protocol IP and the mark as the virtual address for a -f service, ports 0 for port-0 services.
     */
    private static ConnectionRow templateRow(RuntimeService s, PersistenceTemplate t, long now) {
        ServiceKey key = s.key;
        boolean fwmark = key.isFwmark();
        String proto = fwmark ? "IP" : key.protocol().listName();
        String state = key.protocol() == Protocol.UDP && !fwmark ? "UDP" : "NONE";
        int vport = fwmark ? 0 : t.virtualPort();
        Destination server = t.server();
        int dport = vport == 0 ? 0 : server.port() == 0 ? vport : server.port();
        long seconds = Math.max(0, (t.expiresAtNanos() - now) / 1_000_000_000L);
        boolean sip = s.sipPersistence && !t.peData().isEmpty();
        return new ConnectionRow(proto, state, (int) seconds, t.clientHi(), t.clientLo(), 0,
                fwmark ? 0 : key.addrHi(), fwmark ? FlowDescription.mappedLo(key.fwmark()) : key.addrLo(), vport,
                server.addrHi(), server.addrLo(), dport, sip ? "sip" : null, sip ? t.peData() : null);
    }

    @Override
    public Timeouts timeouts() { return plane.timeouts(); }

    @Override
    public void setTimeouts(Timeouts update) { plane.setTimeouts(update); }

    @Override
    public int sysctl(IpvsSysctl sysctl) { return plane.knobs().get(sysctl); }

    @Override
    public synchronized void setSysctl(IpvsSysctl sysctl, int value) throws AdmException {
        try {
            plane.knobs().set(sysctl, value);
        } catch (IllegalArgumentException e) {
            throw AdmException.refused(e.getMessage());
        }
        plane.connections().setSyncRule(plane.knobs().syncRule());
        if (sysctl == IpvsSysctl.EXPIRE_QUIESCENT_TEMPLATE) {
            boolean expire = plane.knobs().expireQuiescentTemplate();
            for (RuntimeService s : services.values()) s.scheduler.setExpireQuiescentTemplate(expire);
        }
    }

    @Override
    public ForwardMethod defaultForwardMethod() { return defaultMethod; }
}
