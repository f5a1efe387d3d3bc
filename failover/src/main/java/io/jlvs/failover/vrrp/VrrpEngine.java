package io.jlvs.failover.vrrp;

import io.jlvs.packets.Ipv4;
import io.jlvs.health.config.Script;
import io.jlvs.health.config.VrrpGlobals;
import io.jlvs.health.config.VrrpInstanceConfig;
import io.jlvs.health.config.VrrpNotify;
import io.jlvs.health.config.VrrpScriptConfig;
import io.jlvs.health.config.VrrpSyncGroupConfig;
import io.jlvs.health.script.ScriptRunner;
import io.jlvs.platform.libc.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * keepalived's VRRP in jlvs: the instances of a keepalived.conf, their sockets, tracked interfaces and scripts,
 * sync groups, notify scripts and gratuitous ARP bursts, all on one thread ({@code jlvs-vrrp}) that waits in
 * poll(2) on the sockets until the next timer. Owning the addresses is the {@link VipOwner}'s job.
 */
public final class VrrpEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpEngine.class);
    private static final long LINK_POLL_NANOS = 100_000_000L;
    private static final int LONGEST_WAIT_MILLIS = 50;

    private final VrrpGlobals globals;
    private final ScriptRunner scripts;
    private final VipOwner owner;
    private final List<Bound> instances = new ArrayList<>();
    private final Map<String, ScriptTracker> trackers = new LinkedHashMap<>();
    private final Map<String, VrrpSyncGroupConfig> groupOf = new HashMap<>();
    private final Map<String, VrrpState> groupState = new HashMap<>();
    private final Map<String, Boolean> linkUp = new HashMap<>();
    private final List<Burst> bursts = new ArrayList<>();
    private final Queue<ScriptTracker.Result> scriptResults = new ConcurrentLinkedQueue<>();
    private final Map<VrrpSocket, List<Bound>> bySocket = new LinkedHashMap<>();
    private final byte[] packet = new byte[65536];
    private final byte[] message = new byte[2048];
    private final VrrpAdvert advert = new VrrpAdvert();
    private volatile List<VrrpInstanceSnapshot> status = List.of();
    private volatile boolean running;
    private Thread thread;
    private long nextLinkPoll;

    /** An instance with its socket and what the status shows of it. */
    private final class Bound implements InstanceEffects {
        final VrrpInstance instance;
        final VrrpSocket socket;
        final List<InetAddress> owned;
        long sinceMillis;

        Bound(VrrpInstanceConfig config, VrrpSocket socket, PreemptGate gate) {
            this.socket = socket;
            this.instance = new VrrpInstance(config, socket.primaryAddress(), this, gate);
            List<InetAddress> all = new ArrayList<>();
            config.virtualAddresses().forEach(a -> all.add(a.address()));
            config.excludedAddresses().forEach(a -> all.add(a.address()));
            this.owned = List.copyOf(all);
        }

        @Override
        public void sendAdvert(VrrpInstance i, int priority) {
            VrrpInstanceConfig c = i.config();
            List<Integer> targets = c.unicastPeers().isEmpty() ? List.of(VrrpSocket.GROUP)
                    : c.unicastPeers().stream().map(Ipv4::toInt).toList();
            for (int to : targets) {
                int len = VrrpAdvert.encode(message, c.version(), c.virtualRouterId(), priority, c.advertIntervalCentis(),
                        i.advertisedAddresses(), c.authPass(), socket.primaryAddress(), to);
                if (!socket.send(message, len, to)) {
                    LOG.debug("VRRP {}: advert to {} not sent", c.name(), Ipv4.toString(to));
                }
            }
        }

        @Override
        public void transition(VrrpInstance i, VrrpState from, VrrpState to, String reason) {
            sinceMillis = System.currentTimeMillis();
            LOG.info("VRRP {}: {} -> {} ({})", i.name(), from, to, reason);
            long now = System.nanoTime();
            if (to == VrrpState.MASTER) {
                owner.acquire(i.name(), owned);
                VrrpInstanceConfig c = i.config();
                bursts.add(new Burst(this, now, c.garpMasterRepeat(), false));
                if (c.garpMasterDelaySeconds() > 0) {
                    bursts.add(new Burst(this, now + c.garpMasterDelaySeconds() * 1_000_000_000L, c.garpMasterRepeat(),
                            false));
                }
                if (c.garpMasterRefreshSeconds() > 0) {
                    bursts.add(new Burst(this, now + c.garpMasterRefreshSeconds() * 1_000_000_000L,
                            c.garpMasterRefreshRepeat(), true));
                }
            } else if (from == VrrpState.MASTER) {
                bursts.removeIf(b -> b.owner == this);
                owner.release(i.name(), owned);
            }
            notifyScripts(i.config().notifyScripts(), "INSTANCE", i.name(), to, i.effectivePriority());
            VrrpSyncGroupConfig group = groupOf.get(i.name());
            if (group != null) moveGroup(group, i, to, now);
        }

        @Override
        public void reannounce(VrrpInstance i, String reason) {
            LOG.info("VRRP {}: stays MASTER and announces its addresses again ({})", i.name(), reason);
            bursts.add(new Burst(this, System.nanoTime(), i.config().garpMasterRepeat(), false));
        }
    }

    /** A gratuitous ARP burst: {@code remaining} rounds, vrrp_garp_interval apart; a refresh repeats itself. */
    private final class Burst {
        final Bound owner;
        long at;
        int remaining;
        final boolean refresh;

        Burst(Bound owner, long at, int rounds, boolean refresh) {
            this.owner = owner;
            this.at = at;
            this.remaining = rounds;
            this.refresh = refresh;
        }
    }

    public VrrpEngine(List<VrrpInstanceConfig> instanceConfigs, List<VrrpScriptConfig> scriptConfigs,
                      List<VrrpSyncGroupConfig> groups, VrrpGlobals globals, ScriptRunner scripts, VipOwner owner,
                      PreemptGate gate) throws IOException {
        this.globals = globals;
        this.scripts = scripts;
        this.owner = owner;
        for (VrrpScriptConfig s : scriptConfigs) trackers.put(s.name(), new ScriptTracker(s));
        for (VrrpSyncGroupConfig g : groups) for (String member : g.instances()) groupOf.put(member, g);
        Map<String, VrrpSocket> sockets = new HashMap<>();
        try {
            for (VrrpInstanceConfig c : instanceConfigs) {
                String key = c.interfaceName() + "/" + c.unicastSourceIp();
                VrrpSocket socket = sockets.get(key);
                if (socket == null) {
                    socket = VrrpSocket.open(c.interfaceName(), c.unicastSourceIp());
                    sockets.put(key, socket);
                }
                Bound b = new Bound(c, socket, gate);
                instances.add(b);
                bySocket.computeIfAbsent(socket, k -> new ArrayList<>()).add(b);
            }
        } catch (IOException | RuntimeException e) {
            sockets.values().forEach(VrrpSocket::close);
            throw e;
        }
    }

    /** Starts the instances and the engine's thread (created from the caller's, so in its network namespace). */
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("jlvs-vrrp").daemon(true).start(this::run);
    }

    /** Every instance now. */
    public List<VrrpInstanceSnapshot> status() { return status; }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            List<VrrpSocket> sockets = List.copyOf(bySocket.keySet());
            MemorySegment pollFds = arena.allocate((long) Libc.POLLFD_SIZE * sockets.size());
            MemorySegment capture = Libc.newCapture(arena);
            for (int i = 0; i < sockets.size(); i++) {
                pollFds.set(ValueLayout.JAVA_INT, (long) i * Libc.POLLFD_SIZE, sockets.get(i).fd());
                pollFds.set(ValueLayout.JAVA_SHORT, (long) i * Libc.POLLFD_SIZE + 4, Libc.POLLIN);
            }
            long now = System.nanoTime();
            track(now);
            for (Bound b : instances) {
                b.instance.start(now);
                if (b.sinceMillis == 0) b.sinceMillis = System.currentTimeMillis();
            }
            while (running) {
                now = System.nanoTime();
                track(now);
                for (Bound b : instances) if (now >= b.instance.nextDeadline()) b.instance.tick(now);
                sendBursts(now);
                publish();
                long wait = Math.min(LONGEST_WAIT_MILLIS, Math.max(0, (nextWake() - System.nanoTime()) / 1_000_000));
                for (int i = 0; i < sockets.size(); i++) pollFds.set(ValueLayout.JAVA_SHORT, (long) i * Libc.POLLFD_SIZE + 6, (short) 0);
                int ready = Libc.poll(pollFds, sockets.size(), (int) wait, capture);
                if (ready <= 0) continue;
                for (int i = 0; i < sockets.size(); i++) {
                    if (pollFds.get(ValueLayout.JAVA_SHORT, (long) i * Libc.POLLFD_SIZE + 6) != 0) receive(sockets.get(i));
                }
            }
            now = System.nanoTime();
            for (Bound b : instances) b.instance.stop(now);
            publish();
        } catch (IOException | RuntimeException e) {
            // Without adverts a backup takes over: this director must not keep answering for the addresses too.
            LOG.error("VRRP stopped: {}; releasing every address it owned", e.toString());
            for (Bound b : instances) {
                if (b.instance.state() == VrrpState.MASTER) owner.release(b.instance.name(), b.owned);
            }
        }
    }

    private long nextWake() {
        long wake = nextLinkPoll;
        for (Bound b : instances) wake = Math.min(wake, b.instance.nextDeadline());
        for (Burst burst : bursts) wake = Math.min(wake, burst.at);
        for (ScriptTracker t : trackers.values()) wake = Math.min(wake, t.nextRun());
        return wake;
    }

    private void receive(VrrpSocket socket) throws IOException {
        int len;
        while ((len = socket.receive(packet)) > 0) {
            AdvertRejection why = advert.decode(packet, len);
            if (why != null) {
                // Counted against the instance whose router id the packet names, when it gets that far.
                int vridAt = (packet[0] & 0x0F) * 4 + 1;
                if (len > vridAt) {
                    int vrid = packet[vridAt] & 0xFF;
                    for (Bound b : bySocket.get(socket)) {
                        if (b.instance.config().virtualRouterId() == vrid) b.instance.dropped();
                    }
                }
                LOG.debug("VRRP on {}: dropped a packet: {}", socket.interfaceName(), why.description);
                continue;
            }
            long now = System.nanoTime();
            for (Bound b : bySocket.get(socket)) {
                if (b.instance.config().virtualRouterId() == advert.virtualRouterId) b.instance.onAdvert(now, advert);
            }
        }
    }

    /** Tracked interfaces (polled), scripts (results queued) and their effect on every instance. */
    private void track(long now) {
        ScriptTracker.Result r;
        while ((r = scriptResults.poll()) != null) {
            if (r.tracker().record(r.success())) {
                LOG.info("VRRP script {}: {}", r.tracker().config().name(), r.tracker().up() ? "succeeds" : "fails");
            }
        }
        for (ScriptTracker t : trackers.values()) t.due(now, scripts, scriptResults);
        if (now >= nextLinkPoll) {
            nextLinkPoll = now + LINK_POLL_NANOS;
            for (Bound b : instances) {
                for (VrrpInstanceConfig.TrackedInterface t : b.instance.config().trackInterfaces()) {
                    boolean up = isUp(t.name());
                    Boolean before = linkUp.put(t.name(), up);
                    if (before != null && before != up) {
                        LOG.info("VRRP track_interface {}: {}", t.name(), up ? "up" : "down");
                    }
                }
            }
        }
        for (Bound b : instances) applyTracking(b.instance, now);
    }

    private void applyTracking(VrrpInstance instance, long now) {
        boolean faulty = false;
        int delta = 0;
        List<String> why = new ArrayList<>();
        for (VrrpInstanceConfig.TrackedInterface t : instance.config().trackInterfaces()) {
            boolean up = linkUp.getOrDefault(t.name(), true);
            if (!up) why.add("track_interface " + t.name() + " down");
            if (t.weight() == 0 && !up) faulty = true;
            else if (t.weight() > 0 && up) delta += t.weight();
            else if (t.weight() < 0 && !up) delta += t.weight();
        }
        for (VrrpInstanceConfig.TrackedScript ts : instance.config().trackScripts()) {
            ScriptTracker t = trackers.get(ts.name());
            if (t == null) continue;
            int weight = ts.weight() != null ? ts.weight() : t.config().weight();
            if (!t.up()) why.add("track_script " + ts.name() + " fails");
            if (weight == 0 && !t.up()) faulty = true;
            else if (weight > 0 && t.up()) delta += weight;
            else if (weight < 0 && !t.up()) delta += weight;
        }
        instance.track(now, faulty, delta, why.isEmpty() ? "tracked interfaces and scripts are fine" : String.join(", ", why));
    }

    private static boolean isUp(String name) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            return nic != null && nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private void moveGroup(VrrpSyncGroupConfig group, VrrpInstance mover, VrrpState to, long now) {
        VrrpState before = groupState.put(group.name(), to);
        if (before != to) notifyScripts(group.notifyScripts(), "GROUP", group.name(), to, mover.effectivePriority());
        for (Bound b : instances) {
            if (b.instance != mover && groupOf.get(b.instance.name()) == group) {
                b.instance.follow(now, to, "sync group " + group.name() + ": " + mover.name() + " is " + to);
            }
        }
    }

    private void notifyScripts(VrrpNotify notify, String kind, String name, VrrpState state, int priority) {
        Script specific = switch (state) {
            case MASTER -> notify.master();
            case BACKUP -> notify.backup();
            case FAULT -> notify.fault();
            case STOPPED -> notify.stop();
            default -> null;
        };
        if (specific != null) scripts.run(specific, List.of(), Duration.ofSeconds(30));
        if (notify.any() != null) {
            String keepalivedState = state == VrrpState.STOPPED ? "STOP" : state.name();
            scripts.run(notify.any(), List.of(kind, name, keepalivedState, Integer.toString(priority)),
                    Duration.ofSeconds(30));
        }
    }

    private void sendBursts(long now) {
        List<Burst> again = new ArrayList<>();
        var it = bursts.iterator();
        while (it.hasNext()) {
            Burst b = it.next();
            if (now < b.at) continue;
            owner.announce(b.owner.owned);
            b.remaining--;
            if (b.remaining > 0) {
                b.at = now + globals.garpIntervalMillis() * 1_000_000L;
            } else {
                it.remove();
                VrrpInstanceConfig c = b.owner.instance.config();
                if (b.refresh) {
                    again.add(new Burst(b.owner, now + c.garpMasterRefreshSeconds() * 1_000_000_000L,
                            c.garpMasterRefreshRepeat(), true));
                }
            }
        }
        bursts.addAll(again);
    }

    private void publish() {
        List<VrrpInstanceSnapshot> next = new ArrayList<>(instances.size());
        for (Bound b : instances) {
            VrrpInstance i = b.instance;
            VrrpInstanceConfig c = i.config();
            VrrpSyncGroupConfig g = groupOf.get(c.name());
            next.add(new VrrpInstanceSnapshot(c.name(), g == null ? "" : g.name(), c.interfaceName(),
                    c.virtualRouterId(), c.version(), i.state(), c.priority(), i.effectivePriority(),
                    i.masterAddress() == 0 ? "" : Ipv4.toString(i.masterAddress()), i.lastReason(), b.sinceMillis,
                    i.advertsSent(), i.advertsReceived(), i.advertsDropped(),
                    b.owned.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(" "))));
        }
        status = List.copyOf(next);
    }

    /** Stops every instance (a master sends priority 0 and releases its addresses) and closes the sockets. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        bySocket.keySet().forEach(VrrpSocket::close);
    }
}
