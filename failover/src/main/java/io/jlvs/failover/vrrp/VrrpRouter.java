package io.jlvs.failover.vrrp;

import io.jlvs.control.model.Addresses;
import io.jlvs.health.config.Script;
import io.jlvs.health.config.VrrpGlobals;
import io.jlvs.health.config.VrrpInstanceConfig;
import io.jlvs.health.config.VrrpNotify;
import io.jlvs.health.config.VrrpScriptConfig;
import io.jlvs.health.config.VrrpSyncGroupConfig;
import io.jlvs.health.script.ScriptRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The instances of a keepalived.conf and everything around their state machines: received packets decoded and
 * dispatched by router id, tracked interfaces and vrrp_scripts turned into fault and priority, sync groups moved
 * together, notify scripts, the VIP owner told, gratuitous ARP bursts. Like {@link VrrpInstance} it does no I/O of
 * its own and reads no clock but the wall clock of the status: the caller passes the time to every call and the
 * ports to send on, so tests drive it on virtual time. One thread calls it; script results may complete on any.
 */
final class VrrpRouter {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpRouter.class);
    static final long LINK_POLL_NANOS = 100_000_000L;
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(30);

    private final VrrpGlobals globals;
    private final ScriptRunner scripts;
    private final VipOwner owner;
    private final LinkStates links;
    private final LongSupplier wallMillis;
    private final List<Member> members = new ArrayList<>();
    private final Map<String, ScriptTracker> trackers = new LinkedHashMap<>();
    private final Map<String, VrrpSyncGroupConfig> groupOf = new HashMap<>();
    private final Map<String, VrrpState> groupState = new HashMap<>();
    private final Map<String, Boolean> linkUp = new HashMap<>();
    private final List<Burst> bursts = new ArrayList<>();
    private final Queue<ScriptTracker.Result> scriptResults = new ConcurrentLinkedQueue<>();
    private final byte[] message = new byte[2048];
    private final VrrpAdvert advert = new VrrpAdvert();
    private long nextLinkPoll;

    /** An instance with its port, its addresses and when it last changed state. */
    private final class Member implements InstanceEffects {
        final VrrpInstance instance;
        final AdvertPort port;
        final List<InetAddress> owned;
        /** The addresses its adverts carry (virtual_ipaddress): IPv4 ones, or IPv6 ones as (hi, lo) pairs. */
        final int[] advertised4;
        final long[] advertised6;
        /** Where adverts go, as (hi, lo) pairs: the family's group, or the unicast peers. */
        final long[] peers;
        long sinceMillis;

        Member(VrrpInstanceConfig config, AdvertPort port, PreemptGate gate) {
            this.port = port;
            this.instance = new VrrpInstance(config, port.sourceHi(), port.sourceLo(), this, gate, globals.strict());
            List<InetAddress> all = new ArrayList<>();
            config.virtualAddresses().forEach(a -> all.add(a.address()));
            config.excludedAddresses().forEach(a -> all.add(a.address()));
            this.owned = List.copyOf(all);
            List<InetAddress> carried = config.virtualAddresses().stream().map(VrrpInstanceConfig.VirtualAddress::address)
                    .toList();
            this.advertised4 = port.ipv6() ? new int[0] : carried.stream().mapToInt(VrrpAddresses::v4).toArray();
            this.advertised6 = port.ipv6() ? VrrpAddresses.pairs(carried) : new long[0];
            this.peers = !config.unicastPeers().isEmpty() ? VrrpAddresses.pairs(config.unicastPeers())
                    : port.ipv6() ? new long[] {VrrpSocket.GROUP6_HI, VrrpSocket.GROUP6_LO}
                    : new long[] {0, Addresses.mappedLo(VrrpSocket.GROUP)};
        }

        @Override
        public void sendAdvert(VrrpInstance i, int priority) {
            VrrpInstanceConfig c = i.config();
            for (int p = 0; p < peers.length; p += 2) {
                long toHi = peers[p], toLo = peers[p + 1];
                int len = port.ipv6()
                        ? VrrpAdvert.encode6(message, c.virtualRouterId(), priority, c.advertIntervalCentis(),
                                advertised6, port.sourceHi(), port.sourceLo(), toHi, toLo)
                        : VrrpAdvert.encode(message, c.version(), c.virtualRouterId(), priority,
                                c.advertIntervalCentis(), advertised4, c.authPass(), (int) port.sourceLo(), (int) toLo);
                if (!port.send(message, len, toHi, toLo)) {
                    LOG.debug("VRRP {}: advert to {} not sent", c.name(), Addresses.format(toHi, toLo));
                }
            }
        }

        @Override
        public void transition(VrrpInstance i, VrrpState from, VrrpState to, String reason, long now) {
            sinceMillis = wallMillis.getAsLong();
            LOG.info("VRRP {}: {} -> {} ({})", i.name(), from, to, reason);
            VrrpInstanceConfig c = i.config();
            if (to == VrrpState.MASTER) {
                owner.acquire(i.name(), owned);
                bursts.add(new Burst(this, now, c.garpMasterRepeat(), false));
                if (c.garpMasterDelaySeconds() > 0) {
                    bursts.add(new Burst(this, now + c.garpMasterDelaySeconds() * 1_000_000_000L,
                            c.garpMasterRepeat(), false));
                }
                if (c.garpMasterRefreshSeconds() > 0) {
                    bursts.add(new Burst(this, now + c.garpMasterRefreshSeconds() * 1_000_000_000L,
                            c.garpMasterRefreshRepeat(), true));
                }
            } else if (from == VrrpState.MASTER) {
                bursts.removeIf(b -> b.member == this);
                owner.release(i.name(), owned);
            }
            notifyScripts(c.notifyScripts(), "INSTANCE", i.name(), to, i.effectivePriority());
            VrrpSyncGroupConfig group = groupOf.get(i.name());
            if (group != null) moveGroup(group, this, to, now);
        }

        @Override
        public void reannounce(VrrpInstance i, long now, String reason) {
            LOG.info("VRRP {}: stays MASTER and announces its addresses again ({})", i.name(), reason);
            bursts.add(new Burst(this, now, i.config().garpMasterRepeat(), false));
        }
    }

    /** A gratuitous ARP burst: {@code remaining} rounds, vrrp_garp_interval apart; a refresh repeats itself. */
    private static final class Burst {
        final Member member;
        long at;
        int remaining;
        final boolean refresh;

        Burst(Member member, long at, int rounds, boolean refresh) {
            this.member = member;
            this.at = at;
            this.remaining = rounds;
            this.refresh = refresh;
        }
    }

    /**
     * @param ports the port of each instance (by instance name); instances sharing a port receive from it together
     */
    VrrpRouter(List<VrrpInstanceConfig> instances, List<VrrpScriptConfig> scriptConfigs,
               List<VrrpSyncGroupConfig> groups, VrrpGlobals globals, Map<String, ? extends AdvertPort> ports,
               ScriptRunner scripts, VipOwner owner, PreemptGate gate, LinkStates links, LongSupplier wallMillis) {
        this.globals = globals;
        this.scripts = scripts;
        this.owner = owner;
        this.links = links;
        this.wallMillis = wallMillis;
        for (VrrpScriptConfig s : scriptConfigs) trackers.put(s.name(), new ScriptTracker(s));
        for (VrrpSyncGroupConfig g : groups) for (String name : g.instances()) groupOf.put(name, g);
        for (VrrpInstanceConfig c : instances) {
            AdvertPort port = ports.get(c.name());
            if (port == null) throw new IllegalArgumentException("VRRP instance " + c.name() + " has no port");
            for (VrrpInstanceConfig.TrackedScript t : c.trackScripts()) {
                if (!trackers.containsKey(t.name())) {
                    throw new IllegalArgumentException("VRRP instance " + c.name() + " tracks vrrp_script " + t.name()
                            + ", which is not defined");
                }
            }
            members.add(new Member(c, port, gate));
        }
    }

    /** Reads the tracking once and leaves INIT: each instance starts as BACKUP, MASTER (owner, state MASTER) or FAULT. */
    void start(long now) {
        track(now);
        for (Member m : members) {
            m.instance.start(now);
            if (m.sinceMillis == 0) m.sinceMillis = wallMillis.getAsLong();
        }
    }

    /** Runs what is due at {@code now}: tracking, the instances' timers, gratuitous ARPs. */
    void tick(long now) {
        track(now);
        for (Member m : members) if (now >= m.instance.nextDeadline()) m.instance.tick(now);
        sendBursts(now);
    }

    /** The earliest time {@link #tick} has something to do. */
    long nextWake() {
        long wake = nextLinkPoll;
        for (Member m : members) wake = Math.min(wake, m.instance.nextDeadline());
        for (Burst b : bursts) wake = Math.min(wake, b.at);
        for (ScriptTracker t : trackers.values()) wake = Math.min(wake, t.nextRun());
        return wake;
    }

    /** A packet received on {@code port}, IP header included: decoded, then handed to the instance of its id. */
    void receive(AdvertPort port, byte[] packet, int length, long now) {
        AdvertRejection why = advert.decode(packet, length);
        if (why != null) {
            // Counted against the instance whose router id the packet names, when it gets that far.
            int vridAt = VrrpAdvert.routerIdOffset(packet, length);
            if (vridAt >= 0) {
                int vrid = packet[vridAt] & 0xFF;
                for (Member m : members) {
                    if (m.port == port && m.instance.config().virtualRouterId() == vrid) m.instance.dropped(why);
                }
            }
            LOG.debug("VRRP: dropped a packet: {}", why.description);
            return;
        }
        for (Member m : members) {
            if (m.port == port && m.instance.config().virtualRouterId() == advert.virtualRouterId) {
                m.instance.onAdvert(now, advert);
            }
        }
    }

    /** Stops every instance: a master sends priority 0 and releases its addresses; notify_stop runs. */
    void stop(long now) {
        for (Member m : members) m.instance.stop(now);
        bursts.clear();
    }

    /** Releases the addresses of every MASTER without adverts: the engine failed and a backup will take over. */
    void releaseAll() {
        for (Member m : members) {
            if (m.instance.state() == VrrpState.MASTER) owner.release(m.instance.name(), m.owned);
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
            for (Member m : members) {
                for (VrrpInstanceConfig.TrackedInterface t : m.instance.config().trackInterfaces()) {
                    boolean up = links.up(t.name());
                    Boolean before = linkUp.put(t.name(), up);
                    if (before != null && before != up) {
                        LOG.info("VRRP track_interface {}: {}", t.name(), up ? "up" : "down");
                    }
                }
            }
        }
        for (Member m : members) applyTracking(m.instance, now);
    }

    private void applyTracking(VrrpInstance instance, long now) {
        boolean faulty = false;
        int delta = 0;
        StringBuilder why = new StringBuilder();
        for (VrrpInstanceConfig.TrackedInterface t : instance.config().trackInterfaces()) {
            boolean up = linkUp.getOrDefault(t.name(), true);
            if (!up) append(why, "track_interface " + t.name() + " down");
            if (t.weight() == 0 && !up) faulty = true;
            else if (t.weight() > 0 && up) delta += t.weight();
            else if (t.weight() < 0 && !up) delta += t.weight();
        }
        for (VrrpInstanceConfig.TrackedScript ts : instance.config().trackScripts()) {
            ScriptTracker t = trackers.get(ts.name());
            int weight = ts.weight() != null ? ts.weight() : t.config().weight();
            if (!t.up()) append(why, "track_script " + ts.name() + " failing");
            if (weight == 0 && !t.up()) faulty = true;
            else if (weight > 0 && t.up()) delta += weight;
            else if (weight < 0 && !t.up()) delta += weight;
        }
        instance.track(now, faulty, delta, why.isEmpty() ? "tracked interfaces and scripts are fine" : why.toString());
    }

    private static void append(StringBuilder why, String s) {
        if (!why.isEmpty()) why.append(", ");
        why.append(s);
    }

    /**
     * A member moved: the group follows. One in FAULT takes the others to FAULT; while any member is faulty itself
     * the group stays in FAULT (a recovered member goes back to it); otherwise MASTER and BACKUP carry the others.
     */
    private void moveGroup(VrrpSyncGroupConfig group, Member mover, VrrpState to, long now) {
        if (to == VrrpState.INIT || to == VrrpState.STOPPED) return;
        if (to != VrrpState.FAULT) {
            for (Member m : members) {
                if (m != mover && groupOf.get(m.instance.name()) == group && m.instance.faulty()) {
                    mover.instance.follow(now, VrrpState.FAULT, "sync group " + group.name() + ": "
                            + m.instance.name() + " is in FAULT (" + m.instance.lastReason() + ")");
                    return;
                }
            }
        }
        VrrpState before = groupState.put(group.name(), to);
        if (before != to) notifyScripts(group.notifyScripts(), "GROUP", group.name(), to, 0);
        for (Member m : members) {
            if (m != mover && groupOf.get(m.instance.name()) == group) {
                m.instance.follow(now, to, "sync group " + group.name() + ": " + mover.instance.name() + " is " + to);
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
        if (specific != null) scripts.run(specific, List.of(), NOTIFY_TIMEOUT);
        if (notify.any() != null) {
            String keepalivedState = state == VrrpState.STOPPED ? "STOP" : state.name();
            scripts.run(notify.any(), List.of(kind, name, keepalivedState, Integer.toString(priority)),
                    NOTIFY_TIMEOUT);
        }
    }

    private void sendBursts(long now) {
        List<Burst> again = new ArrayList<>();
        var it = bursts.iterator();
        while (it.hasNext()) {
            Burst b = it.next();
            if (now < b.at) continue;
            owner.announce(b.member.owned);
            b.remaining--;
            if (b.remaining > 0) {
                b.at = now + globals.garpIntervalMillis() * 1_000_000L;
            } else {
                it.remove();
                VrrpInstanceConfig c = b.member.instance.config();
                if (b.refresh) {
                    again.add(new Burst(b.member, now + c.garpMasterRefreshSeconds() * 1_000_000_000L,
                            c.garpMasterRefreshRepeat(), true));
                }
            }
        }
        bursts.addAll(again);
    }

    /** Every instance now, as an immutable list. */
    List<VrrpInstanceSnapshot> snapshot() {
        List<VrrpInstanceSnapshot> out = new ArrayList<>(members.size());
        for (Member m : members) {
            VrrpInstance i = m.instance;
            VrrpInstanceConfig c = i.config();
            VrrpSyncGroupConfig g = groupOf.get(c.name());
            Map<AdvertRejection, Long> drops = new EnumMap<>(AdvertRejection.class);
            for (AdvertRejection why : AdvertRejection.values()) {
                long n = i.drops(why);
                if (n != 0) drops.put(why, n);
            }
            out.add(new VrrpInstanceSnapshot(c.name(), g == null ? "" : g.name(), c.interfaceName(),
                    c.virtualRouterId(), c.version(), i.state(), c.priority(), i.effectivePriority(),
                    i.master(), i.lastReason(),
                    m.sinceMillis, i.advertsSent(), i.advertsReceived(), i.advertsDropped(),
                    m.owned.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(" ")), drops));
        }
        return List.copyOf(out);
    }
}
