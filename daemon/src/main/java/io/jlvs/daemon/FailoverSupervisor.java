package io.jlvs.daemon;

import io.jlvs.control.model.VrrpStatus;
import io.jlvs.failover.sync.SyncDaemon;
import io.jlvs.failover.vrrp.PreemptGate;
import io.jlvs.failover.vrrp.VipOwner;
import io.jlvs.failover.vrrp.VrrpEngine;
import io.jlvs.failover.vrrp.VrrpInstanceSnapshot;
import io.jlvs.forwarder.IpvsRuntime;
import io.jlvs.forwarder.VipOwnership;
import io.jlvs.forwarder.Worker;
import io.jlvs.health.config.KeepalivedConfig;
import io.jlvs.health.config.SyncDaemonConfig;
import io.jlvs.health.config.VrrpInstanceConfig;
import io.jlvs.health.script.ScriptRunner;
import io.jlvs.packets.Ipv4;
import io.jlvs.platform.hostguard.Ipv6Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The daemon's VRRP: runs the {@link VrrpEngine} of the configuration's instances and owns their addresses in the
 * data plane ({@link VipOwnership}): every VRRP address starts on standby and is owned while its instance is
 * MASTER; gratuitous ARPs (IPv6: unsolicited neighbour advertisements) go out through a worker.
 */
final class FailoverSupervisor implements VipOwner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverSupervisor.class);

    private final IpvsRuntime ipvs;
    private final Supplier<List<Worker>> workers;
    private final int[] managed;
    private final List<Ipv6Endpoint> managed6;
    private final Map<String, List<InetAddress>> ownedByInstance = new LinkedHashMap<>();
    private VrrpEngine engine;
    private SyncDaemon sync;
    private String syncInstance;

    private FailoverSupervisor(IpvsRuntime ipvs, Supplier<List<Worker>> workers, List<InetAddress> managed) {
        this.ipvs = ipvs;
        this.workers = workers;
        this.managed = v4(managed);
        this.managed6 = v6(managed);
    }

    /**
     * Puts every VRRP address of the configuration on standby before any service or connection is restored, so that
     * a director that starts neither answers for them nor announces them until VRRP makes it MASTER. Null when the
     * configuration has no VRRP instance.
     */
    static FailoverSupervisor prepare(KeepalivedConfig config, IpvsRuntime ipvs, Supplier<List<Worker>> workers) {
        if (config.vrrpInstances().isEmpty()) return null;
        List<InetAddress> all = new ArrayList<>();
        for (VrrpInstanceConfig i : config.vrrpInstances()) {
            i.virtualAddresses().forEach(a -> all.add(a.address()));
            i.excludedAddresses().forEach(a -> all.add(a.address()));
        }
        FailoverSupervisor f = new FailoverSupervisor(ipvs, workers, all);
        ipvs.setVipOwnership(new VipOwnership(f.managed, new int[0], f.managed6, List.of()));
        return f;
    }

    /**
     * Starts the connection sync of lvs_sync_daemon (as backup: VRRP makes it master with its instance), then opens
     * the VRRP sockets and starts the instances. A returning director that outranks the master waits for the
     * master's table before it preempts. Without maxlen a sync message fills the sync interface's MTU.
     */
    void start(KeepalivedConfig config, ScriptRunner scripts, SyncBridge bridge) throws IOException {
        SyncDaemonConfig s = config.vrrp().syncDaemon();
        if (s != null) {
            int maxLength = s.maxLength() > 0 ? s.maxLength() : SyncDaemon.Settings.defaultMaxLength(s.interfaceName());
            sync = new SyncDaemon(new SyncDaemon.Settings(s.interfaceName(), s.syncId(), maxLength, s.group(), s.port(),
                    s.ttl()), bridge, bridge);
            syncInstance = s.instance();
            sync.start(SyncDaemon.Role.BACKUP);
        }
        SyncDaemon gateOf = sync;
        PreemptGate gate = gateOf == null ? PreemptGate.OPEN
                : () -> gateOf.role() == SyncDaemon.Role.MASTER || gateOf.resyncComplete();
        engine = new VrrpEngine(config.vrrpInstances(), config.vrrpScripts(), config.vrrpSyncGroups(), config.vrrp(),
                scripts, this, gate);
        engine.start();
        LOG.info("VRRP: {} instance(s) started", config.vrrpInstances().size());
    }

    @Override
    public synchronized void acquire(String instance, List<InetAddress> addresses) {
        ownedByInstance.put(instance, List.copyOf(addresses));
        publish();
        if (sync != null && instance.equals(syncInstance)) sync.role(SyncDaemon.Role.MASTER);
    }

    @Override
    public synchronized void release(String instance, List<InetAddress> addresses) {
        ownedByInstance.remove(instance);
        publish();
        if (sync != null && instance.equals(syncInstance)) sync.role(SyncDaemon.Role.BACKUP);
    }

    private void publish() {
        List<InetAddress> owned = ownedByInstance.values().stream().flatMap(List::stream).toList();
        ipvs.setVipOwnership(new VipOwnership(managed, v4(owned), managed6, v6(owned)));
    }

    /** Gratuitous ARP for IPv4 addresses, an unsolicited neighbour advertisement for IPv6 ones. */
    @Override
    public void announce(List<InetAddress> addresses) {
        List<Worker> all = workers.get();
        if (all.isEmpty()) return;
        Worker w = all.getFirst(); // one worker announces on every interface
        for (InetAddress a : addresses) {
            if (a instanceof Inet6Address) {
                Ipv6Endpoint e = endpoint(a);
                w.announceIpv6(e.hi(), e.lo());
            } else {
                w.announce(Ipv4.toInt(a));
            }
        }
    }

    private static int[] v4(List<InetAddress> addresses) {
        return addresses.stream().filter(a -> !(a instanceof Inet6Address)).mapToInt(Ipv4::toInt).toArray();
    }

    private static List<Ipv6Endpoint> v6(List<InetAddress> addresses) {
        return addresses.stream().filter(a -> a instanceof Inet6Address).map(FailoverSupervisor::endpoint).toList();
    }

    private static Ipv6Endpoint endpoint(InetAddress a) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(a.getAddress());
        return Ipv6Endpoint.address(b.getLong(0), b.getLong(8));
    }

    /** lvs_sync_daemon's daemon, or null. */
    SyncDaemon syncDaemon() { return sync; }

    List<VrrpStatus> status() {
        if (engine == null) return List.of();
        List<VrrpStatus> out = new ArrayList<>();
        for (VrrpInstanceSnapshot s : engine.status()) {
            out.add(new VrrpStatus(s.instance(), s.group(), s.interfaceName(), s.virtualRouterId(), s.version(),
                    s.state().name(), s.priority(), s.effectivePriority(), s.master(), s.reason(), s.sinceMillis(),
                    s.advertsSent(), s.advertsReceived(), s.advertsDropped(), s.addresses()));
        }
        return out;
    }

    /** Stops VRRP: masters send priority 0, so the backup takes over after its skew instead of the full timeout. */
    @Override
    public void close() {
        if (engine != null) engine.close();
        if (sync != null) sync.close();
    }
}
