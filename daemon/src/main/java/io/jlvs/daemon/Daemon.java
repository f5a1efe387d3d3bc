package io.jlvs.daemon;

import io.jlvs.control.AdmException;
import io.jlvs.control.AdmExecutor;
import io.jlvs.health.config.ConfigException;
import io.jlvs.health.config.ConfigMessage;
import io.jlvs.health.config.KeepalivedConfig;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.forwarder.DataPlane;
import io.jlvs.forwarder.DefenseLevels;
import io.jlvs.forwarder.ForwardingWarmup;
import io.jlvs.forwarder.IpvsRuntime;
import io.jlvs.forwarder.DropReason;
import io.jlvs.forwarder.NatBackendList;
import io.jlvs.forwarder.RuntimeDest;
import io.jlvs.forwarder.RuntimeService;
import io.jlvs.forwarder.ServiceIndex;
import io.jlvs.forwarder.Worker;
import io.jlvs.forwarder.XdpSynProxy;
import io.jlvs.console.http.HttpConsole;
import io.jlvs.layer7.L7Runtime;
import io.jlvs.layer7.proxy.Layer7Proxy;
import io.jlvs.packets.Ipv4;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.platform.hostguard.HostGuard;
import io.jlvs.platform.hostguard.KernelPort;
import io.jlvs.platform.hostguard.NatBackend;
import io.jlvs.platform.log.RateLimitedLog;
import io.jlvs.platform.net.Link;
import io.jlvs.platform.net.Links;
import io.jlvs.platform.net.Ipv6NextHops;
import io.jlvs.platform.net.NextHops;
import io.jlvs.platform.packetio.BpfProgram;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.packetio.PacketPorts;
import io.jlvs.platform.packetio.PortOptions;
import io.jlvs.platform.packetio.PortStats;
import io.jlvs.platform.xdp.XdpStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * `jlvs daemon`: sets up the host guard, the next-hop cache, the data plane and its workers and the control
 * socket; runs until SIGTERM/SIGINT and then undoes everything it changed on the host.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final int FANOUT_BASE = 0x4A4C; // "JL": fanout group ids are per netns, offset by interface index

    private final DaemonOptions options;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<PacketPort> ports = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** A rule set with thousands of unreachable servers must not flood the log: a few a minute say why. */
    private final RateLimitedLog unresolvedNextHops = new RateLimitedLog(LOG, 5, Duration.ofMinutes(1));
    /** Under a SYN flood the half-open reclaim runs every 100 ms: a few lines a minute say so. */
    private final RateLimitedLog halfOpenReclaims = new RateLimitedLog(LOG, 3, Duration.ofMinutes(1));
    /** A table near the threshold switches defences often: a few lines a minute say so. */
    private final RateLimitedLog defenseChanges = new RateLimitedLog(LOG, 6, Duration.ofMinutes(1));
    /** Once per daemon: the fallback to a filter that passes all IPv4 stays until the rule set shrinks. */
    private final RateLimitedLog wideFilter = RateLimitedLog.once(LOG);
    private final RateLimitedLog localAddressFailures = new RateLimitedLog(LOG, 3, java.time.Duration.ofHours(1));
    /** Saving the desired state can fail on every change (a full /dev/shm): a few lines a minute say so. */
    private final RateLimitedLog stateSaveFailures = new RateLimitedLog(LOG, 3, Duration.ofMinutes(1));
    private HostGuard guard;
    /** --fast-path xdp's program and maps, or null. */
    private XdpFastPath xdpFastPath;
    private TableStore tables;
    private NextHops nextHops;
    private Ipv6NextHops ipv6NextHops;
    private Ipv6HostUpdates ipv6Updates;
    private DataPlane plane;
    private IpvsRuntime ipvs;
    private ControlServer control;
    private HttpConsole console;
    private L7Runtime layer7;
    private L7HealthChecks l7Checks;
    /** The most layer-7 connections spliced at once, per splice mode. */
    private static final int L7_CAPACITY = 65536;
    private AdmExecutor executor;
    private HealthSupervisor health;
    private FailoverSupervisor failover;
    private BgpAnnouncement bgp;
    private SyncDaemons syncDaemons;
    private Thread housekeeping;

    public Daemon(DaemonOptions options) {
        this.options = options;
    }

    /** Starts everything; on failure undoes what was done and rethrows. */
    public void start() throws IOException {
        // A configuration with errors stops the start before anything on the host changes.
        KeepalivedConfig config;
        try {
            config = HealthSupervisor.read(options.configFile());
        } catch (ConfigException e) {
            throw new IOException(refusal(e));
        }
        // The warm-up needs no host state: it runs while the host guard, tables and services are set up.
        CompletableFuture<ForwardingWarmup.Result> warmup = CompletableFuture.supplyAsync(
                () -> ForwardingWarmup.run(options.warmup(), options.rxRing()),
                task -> Thread.ofPlatform().name("jlvs-warmup").daemon(true).start(task));
        try {
            guard = HostGuard.install(options.interfaces());
            LOG.info("host guard installed (nftables table, GRO/LRO off on {})", String.join(", ", options.interfaces()));
            nextHops = NextHops.forInterfaces(options.interfaces());
            tables = TableStore.open(TableStore.DIRECTORY, TableStore.baseName(options.controlSocket()),
                    options.capacity());
            plane = new DataPlane(tables.entries(), tables.capacity(), nextHops, options.workers());
            ipv6NextHops = Ipv6NextHops.forInterfaces(options.interfaces());
            plane.setIpv6NextHops(ipv6NextHops);
            ipv6Updates = new Ipv6HostUpdates(guard, ipv6NextHops);
            plane.keepSynProxyStatesIn(tables.spliceRecords());
            plane.keepFullNatStatesIn(tables.fullNatRecords());
            if (options.xdpFastPath()) xdpFastPath = XdpFastPath.start(options.interfaces(), plane, guard,
                    options.xdpPlacement(), options.fastPathAfter());
            Set<ForwardMethod> methods = EnumSet.of(ForwardMethod.MASQ, ForwardMethod.ROUTE, ForwardMethod.TUNNEL,
                    ForwardMethod.FULLNAT);
            ipvs = new IpvsRuntime(plane, options.defaultMethod(), methods, this::onConfigApplied,
                    new KernelDirectRouteCheck(nextHops));
            executor = new AdmExecutor(ipvs);
            // Read before anything applied saves the (still empty) desired state over it.
            Optional<String> saved = tables.savedState();
            failover = FailoverSupervisor.prepare(config, ipvs, () -> workers);
            // The services first, then the connections bound to them, then the workers that forward them.
            if (saved.isPresent()) {
                restoreSavedState(saved.get());
            } else if (options.rulesFile() != null) {
                loadRules();
            }
            tables.reattach(ipvs);
            saveState();
            awaitWarmup(warmup);
            openWorkers();
            announceRestored();
            health = new HealthSupervisor(options.configFile(), options.maintenanceDir(), config.global().scriptUser(),
                    executor, ipvs);
            SyncBridge bridge = new SyncBridge(plane.changes(), ipvs);
            FailoverSupervisor vrrp = failover;
            syncDaemons = new SyncDaemons(bridge, () -> vrrp == null ? null : vrrp.syncDaemon());
            if (options.bgp() != null) bgp = BgpAnnouncement.start(options.bgp(), ipvs, health);
            XdpFastPath fastPath = xdpFastPath;
            executor.setOperations(new DirectorOperations(health, failover, syncDaemons, bgp,
                    () -> fastPath == null ? List.of() : fastPath.status(plane, workerDropped(DropReason.SYNPROXY_SYN))));
            try {
                health.start(config);
            } catch (AdmException e) {
                throw new IOException("configuration " + options.configFile() + " refused: " + e.getMessage());
            }
            if (failover != null) {
                failover.start(config, health.scripts(), bridge);
            }
            layer7 = new L7Runtime(new Layer7Proxy(options.splice(), L7_CAPACITY, 1,
                    Thread.ofPlatform().name("jlvs-l7-", 1).daemon(true).factory()));
            l7Checks = new L7HealthChecks(health.checkers(), health.loop(), layer7, L7Supervisor::address);
            executor.setL7Operations(new L7Supervisor(layer7, l7Checks, L7Supervisor.KernelPortsInForce.of(ipvs), L7ListenVips.INTERFACES,
                    options.spliceAfter()));
            control = new ControlServer(options.controlSocket(), executor);
            control.start();
            LOG.info("control socket {}", options.controlSocket());
            if (options.http() != null) {
                WorkerTelemetry telemetry = new WorkerTelemetry(plane.connections(), () -> workers, this::kernelSynAcks,
                        ipvs.importCounters());
                console = ConsoleStart.start(options.http(), executor, telemetry);
            }
            startHousekeeping();
            LOG.info("forwarding on {} with {} worker(s), {} I/O{}, default method {}",
                    String.join(", ", options.interfaces()), options.workers(), options.io(),
                    options.io().equals("afpacket") ? " (" + options.rxRing().optionName() + " receive ring)" : "",
                    options.defaultMethod());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void awaitWarmup(CompletableFuture<ForwardingWarmup.Result> warmup) {
        try {
            ForwardingWarmup.Result r = warmup.join();
            if (r.framesIn() > 0) {
                LOG.info("forwarding path warmed: {} synthetic frames (NAT, DR, TUN) in {} ms", r.framesIn(),
                        r.took().toMillis());
            }
        } catch (CompletionException e) {
            // A warm-up that fails costs speed in the first seconds, never the start.
            LOG.warn("forwarding warm-up failed, the first packets run cold: {}", e.getCause().toString());
        }
    }

    private void openWorkers() throws IOException {
        refreshLinks();
        PacketPorts.requireWorkers(options.io(), options.interfaces(), options.workers());
        BpfProgram initial = BpfProgram.forDirector(new int[0], new int[0], true);
        // recorded before it exists: a crash between attach and record would otherwise leave it unnoticed
        if (options.io().equals(PacketPorts.AFXDP)) guard.recordXdp(options.interfaces());
        for (int w = 0; w < options.workers(); w++) {
            // A TPACKET_V3 block reaches user space when the next frame does not fit or when its timer fires:
            // 1 ms (the kernel's finest) bounds the latency of the last frame of a burst (see RxRingLayout).
            PortOptions base = PortOptions.defaults().withFilter(initial).withBlockTimeout(1)
                    .withRxLayout(options.rxRing());
            // AF_XDP: worker w takes receive queue w of each interface, its ports share one UMEM
            PacketPort[] workerPorts = PacketPorts.openWorker(options.io(), options.interfaces(), w,
                    i -> options.workers() > 1 ? base.withFanout(FANOUT_BASE + i) : base);
            for (int i = 0; i < workerPorts.length; i++) {
                ports.add(workerPorts[i]);
                LOG.debug("worker {}: {} port on {}{}", w, options.io(), options.interfaces().get(i),
                        options.workers() > 1 ? " (fanout group " + (FANOUT_BASE + i) + ")" : "");
            }
            Worker worker = new Worker(w, plane, workerPorts);
            workers.add(worker);
            Thread t = Thread.ofPlatform().name("jlvs-worker-" + w).daemon(true).unstarted(worker);
            threads.add(t);
            t.start();
        }
    }

    /** The desired state the previous daemon had in force (it wins over --rules, which it already contained). */
    private void restoreSavedState(String rules) throws IOException {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int rc = executor.execute(new String[] {"-R"}, rules, out, err);
        if (rc != 0) {
            LOG.error("the previous daemon's saved services were not all restored: {}", err.toString().strip());
        }
        LOG.info("restored {} service(s) the previous daemon had in force{}", ipvs.config().serviceCount(),
                options.rulesFile() != null ? " (" + options.rulesFile() + " is not read again)" : "");
    }

    /**
     * The services restored before the workers existed: their ports get the socket filter, the host guard the
     * VIPs and NAT servers, the VIPs a gratuitous ARP, the servers a next-hop lookup, as after any change.
     */
    private void announceRestored() {
        ServiceIndex index = plane.services();
        List<RuntimeDest> dests = new ArrayList<>();
        for (RuntimeService s : ipvs.runningServices()) dests.addAll(s.dests());
        List<Integer> vips = new ArrayList<>();
        for (int vip : index.vips()) if (index.owns(vip)) vips.add(vip);
        onConfigApplied(index, dests, vips);
    }

    /** Saves the desired state in force next to the connection table, for the next daemon. */
    private void saveState() {
        if (tables == null || executor == null) return;
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        try {
            if (executor.execute(new String[] {"-S", "-n"}, out, err) == 0) {
                tables.saveState(out.toString());
            } else {
                stateSaveFailures.warn("could not list the desired state to save it: {}", err.toString().strip());
            }
        } catch (IOException | RuntimeException e) {
            stateSaveFailures.warn("could not save the desired state next to {}: {}", tables.tablePath(), e.getMessage());
        }
    }

    private void loadRules() throws IOException {
        String rules = Files.readString(options.rulesFile());
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int rc = executor.execute(new String[] {"-R"}, rules, out, err);
        if (rc != 0) throw new IOException("rules in " + options.rulesFile() + " refused: " + err.toString().strip());
        LOG.info("loaded {} service(s) from {}", ipvs.config().serviceCount(), options.rulesFile());
    }

    /**
     * After every applied change (of services, VIP ownership or layer-7 listeners on VIPs): filters, host guard,
     * gratuitous ARP, next-hop warm-up.
     */
    private void onConfigApplied(ServiceIndex index, List<RuntimeDest> addedDests, List<Integer> addedVips) {
        saveState();
        int[] vips = index.vips();
        List<KernelPort> kernelPorts = index.kernelPorts().ports();
        Set<Integer> reals = new LinkedHashSet<>();
        List<RuntimeService> running = ipvs.runningServices();
        for (RuntimeService s : running) {
            for (RuntimeDest d : s.dests()) if (d.config().isV4()) reals.add(d.addressV4());
        }
        List<NatBackend> nat = NatBackendList.of(running, ipvs.config().markRules());
        setFilter(new FilterInputs(vips, kernelPorts, reals.stream().mapToInt(Integer::intValue).toArray(),
                index.hasRoutedMarkRules(), index.handlesIpv6()));
        guard.update(vips, nat, kernelPorts);
        ipv6Updates.applied(index, addedDests, workers);
        for (int vip : addedVips) {
            for (Worker w : workers) {
                w.announce(vip);
                break; // one worker announces on every interface
            }
        }
        for (RuntimeDest d : addedDests) if (d.config().isV4()) warmNextHop(d.addressV4());
    }

    /** What the capture filter is made of besides the director's own addresses. */
    private record FilterInputs(int[] vips, List<KernelPort> kernelPorts, int[] reals, boolean routedMarkRules,
                                boolean ipv6) {}

    private FilterInputs filterInputs;
    private int[] localAddresses = new int[0];

    /** Builds the capture filter from {@code inputs} and the director's addresses, and sets it on every port. */
    private synchronized void setFilter(FilterInputs inputs) {
        filterInputs = inputs;
        // Destinations of mark rules wider than /32 cannot be listed in the kernel filter: pass all IPv4.
        BpfProgram filter = inputs.routedMarkRules() ? BpfProgram.acceptAll()
                : directorFilter(inputs.vips(), inputs.kernelPorts(), inputs.reals(), inputs.ipv6());
        for (PacketPort p : ports) p.setFilter(filter);
    }

    /**
     * The director's interfaces, read by the housekeeping: the capture filter names their addresses (rebuilt when
     * they change); the workers' ports and the XDP SYN proxy's MSS follow their MTUs.
     */
    private void refreshLinks() {
        List<Link> links;
        try {
            links = Links.all();
        } catch (IOException | RuntimeException e) {
            localAddressFailures.warn("reading the director's interfaces and addresses failed: {}", e.getMessage());
            return;
        }
        refreshLocalAddresses(Links.ipv4Addresses(links));
        PortMtus.follow(ports, links);
        XdpFastPath fastPath = xdpFastPath;
        if (fastPath != null) fastPath.followMtus(plane, links);
    }

    /** The filter names the director's own addresses: rebuilt when they change. */
    private synchronized void refreshLocalAddresses(int[] now) {
        if (Arrays.equals(now, localAddresses)) return;
        localAddresses = now;
        if (filterInputs != null) setFilter(filterInputs);
    }

    /**
     * The kernel filter that passes ARP, traffic to VIPs but for kernel ports, and traffic from real servers,
     * except the director's own traffic with them. A classic BPF program is limited to 4096 instructions: beyond a
     * few thousand addresses jlvs passes all IPv4 and filters in user space (the pipeline drops what is not its own,
     * counted as not_handled or kernel_port).
     */
    private BpfProgram directorFilter(int[] vips, List<KernelPort> kernelPorts, int[] reals, boolean ipv6) {
        try {
            return BpfProgram.forDirector(vips, kernelPorts.stream().mapToInt(KernelPort::addrV4).toArray(),
                    kernelPorts.stream().mapToInt(KernelPort::port).toArray(), reals, localAddresses, true, ipv6);
        } catch (IllegalArgumentException tooLarge) {
            wideFilter.warn("{} VIPs and {} real servers exceed a kernel socket filter; passing all IPv4 to user space "
                    + "instead", vips.length, reals.length);
            return BpfProgram.acceptAll();
        }
    }

    /** Resolves a real server's neighbour now, so its first SYN does not wait for ARP. */
    private void warmNextHop(int addr) {
        Thread.ofVirtual().start(() -> {
            try {
                nextHops.lookupBlocking(addr, Duration.ofSeconds(3));
            } catch (IOException e) {
                unresolvedNextHops.warn("cannot resolve the next hop for real server {}: {}", Ipv4.toString(addr),
                        e.getMessage());
            }
        });
    }

    /** The defences in force when last logged: drop_entry, drop_packet's rate, secure_tcp. */
    private String defenseLogged = "";

    /** Logs each change of the DoS defences in force, with the table's room that caused it. */
    private void logDefenseChange() {
        DefenseLevels d = plane.defense();
        List<String> on = new ArrayList<>();
        if (d.dropEntry()) on.add("drop_entry");
        if (d.dropRate() > 0) on.add("drop_packet (1 new connection in " + d.dropRate() + ")");
        if (d.secureTcp()) on.add("secure_tcp");
        String now = String.join(", ", on);
        if (now.equals(defenseLogged)) return;
        int size = plane.connections().size(), capacity = plane.connections().capacity();
        defenseChanges.warn("connection table {}% free (amemthresh {}%): DoS defences in force: {}",
                100L * (capacity - size) / capacity, plane.knobs().get(IpvsSysctl.AMEMTHRESH), now.isEmpty() ? "none" : now);
        defenseLogged = now;
    }

    private void startHousekeeping() {
        housekeeping = Thread.ofPlatform().name("jlvs-housekeeping").daemon(true).start(() -> {
            long lastRate = System.nanoTime(), lastFold = lastRate;
            while (!closed.get()) {
                long now = System.nanoTime();
                plane.connections().expire(now);
                XdpSynProxy synAnswers = plane.xdpSynProxy();
                if (synAnswers != null) synAnswers.publishClock();
                FlowMirror fastPath = plane.fastPath();
                if (fastPath != null) {
                    // Connections of removed servers leave the fast path within a tick; counters fold every second.
                    boolean fold = now - lastFold >= 1_000_000_000L;
                    fastPath.sweep(fold);
                    if (fold) lastFold = now;
                }
                int reclaimed = ipvs.defend(now);
                logDefenseChange();
                if (reclaimed > 0) {
                    halfOpenReclaims.warn("connection table {}% full: removed {} half-open TCP connection(s) idle over "
                            + "{} ms (a SYN flood?)", ipvs.halfOpenFillPercent(), reclaimed, ipvs.halfOpenCutoffMillis());
                }
                ipvs.expireTemplates(now);
                ipvs.releaseDrained();
                if (now - lastRate >= 2_000_000_000L) {
                    ipvs.sampleRates(now);
                    checkGateways();
                    refreshLinks();
                    lastRate = now;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** NAT real servers that get SYNs but never answer: their default gateway is probably not the director. */
    private void checkGateways() {
        for (RuntimeService s : ipvs.runningServices()) {
            for (RuntimeDest d : s.dests()) d.checkReturnPath();
        }
    }

    private static String refusal(ConfigException e) {
        StringBuilder sb = new StringBuilder("configuration refused, nothing started:");
        for (ConfigMessage m : e.errors()) sb.append('\n').append(m);
        return sb.toString();
    }

    /**
     * SIGHUP and `jlvs reload`: re-reads the configuration file off the signal thread; a refused file is logged
     * (each error with its line) and the running configuration stays.
     */
    public void reload() {
        if (health == null) return;
        Thread.ofPlatform().name("jlvs-reload").daemon(true).start(() -> {
            try {
                health.reload();
            } catch (AdmException e) {
                // HealthSupervisor logged every error with its file and line.
            }
        });
    }

    public void awaitStop() throws InterruptedException { stopped.await(); }

    public IpvsRuntime ipvsRuntime() { return ipvs; }

    /** What the workers counted for {@code reason}, and for SYNs answered, the XDP program's answers too. */
    public long dropped(DropReason reason) {
        return workerDropped(reason) + (reason == DropReason.SYNPROXY_SYN ? kernelSynAcks() : 0);
    }

    private long workerDropped(DropReason reason) {
        long n = 0;
        for (Worker w : workers) n += w.drops().get(reason);
        return n;
    }

    /** The SYN-ACKs the XDP fast path sent for --synproxy services (0 when it is off). */
    private long kernelSynAcks() {
        XdpSynProxy answers = plane == null ? null : plane.xdpSynProxy();
        return answers == null ? 0 : answers.synAcksSent();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        closeQuietly(bgp); // the VIPs withdrawn first, while the workers still forward what the router sends
        closeQuietly(syncDaemons);
        closeQuietly(failover);
        closeQuietly(l7Checks);
        closeQuietly(health);
        for (Worker w : workers) w.stop();
        boolean workersStopped = true;
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workersStopped &= !t.isAlive();
        }
        if (!workers.isEmpty()) logDrops();
        logPortTrouble();
        closeQuietly(console);
        closeQuietly(control);
        closeQuietly(layer7);
        // A port's rings are unmapped at close: only when no worker can still be reading them.
        if (workersStopped) {
            for (PacketPort p : ports) closeQuietly(p);
        } else {
            LOG.warn("a worker did not stop within 10 s; leaving its sockets to the process exit");
        }
        closeQuietly(xdpFastPath);
        closeQuietly(nextHops);
        closeQuietly(ipv6NextHops);
        if (plane != null) closeQuietly(plane.connections());
        closeQuietly(tables); // the table and the saved state stay in /dev/shm for the next daemon
        closeQuietly(guard);
        LOG.info("stopped; host restored");
        stopped.countDown();
    }

    private void logDrops() {
        StringBuilder sb = new StringBuilder();
        for (DropReason r : DropReason.values()) {
            long n = dropped(r);
            if (n > 0) sb.append(' ').append(r.name().toLowerCase()).append('=').append(n);
        }
        if (!sb.isEmpty()) LOG.info("drops:{}", sb);
    }

    /** Ring-level losses that the pipeline cannot count: kernel drops (ring full), TX ring full, oversize. */
    private void logPortTrouble() {
        for (PacketPort p : ports) {
            try {
                PortStats st = p.stats();
                if (st == null) continue;
                if (st.kernelDrops() + st.txFull() + st.txTooLong() + st.oversize() + st.flushErrors() > 0) {
                    LOG.warn("{}: received {}, sent {}, kernel drops {}, tx ring full {}, too long for a tx slot {}, "
                            + "above MTU {}, flush errors {}", p.name(), st.received(), st.sent(), st.kernelDrops(),
                            st.txFull(), st.txTooLong(), st.oversize(), st.flushErrors());
                }
                XdpStatistics xdp = st.xdp();
                if (xdp.rxRingFull() + xdp.rxFillRingEmpty() + xdp.rxDropped() + xdp.txInvalidDescriptors() > 0) {
                    LOG.warn("{}: AF_XDP rx ring full {}, fill ring empty {}, rx dropped {}, invalid tx descriptors {}",
                            p.name(), xdp.rxRingFull(), xdp.rxFillRingEmpty(), xdp.rxDropped(), xdp.txInvalidDescriptors());
                }
            } catch (RuntimeException e) {
                // Statistics are best effort at stop.
                LOG.debug("{}: no statistics at stop: {}", p.name(), e.toString());
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("while stopping: {}", e.getMessage());
        }
    }

}
