package io.jlvs.failover.vrrp;

import io.jlvs.control.model.Addresses;
import io.jlvs.health.config.Script;
import io.jlvs.health.config.Source;
import io.jlvs.health.config.VrrpGlobals;
import io.jlvs.health.config.VrrpInstanceConfig;
import io.jlvs.health.config.VrrpNotify;
import io.jlvs.health.config.VrrpScriptConfig;
import io.jlvs.health.config.VrrpSyncGroupConfig;
import io.jlvs.health.script.ScriptRunner;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's logic on virtual time, without sockets: tracking with keepalived's weights, sync groups, notify
 * scripts and their arguments, gratuitous ARP bursts, priority 0 at stop, drops counted by reason. Adverts go
 * through the real encoder and decoder: what a port sends is decoded again, what a peer sends is encoded.
 */
class VrrpRouterTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final int ME = 0x0A000001, PEER = 0x0A000002;
    static final Source SOURCE = new Source(Path.of("keepalived.conf"), 1);

    /** A port that keeps the adverts sent, decoded from the bytes as a peer would receive them. */
    static final class RecordingPort implements AdvertPort {
        final List<VrrpAdvert> sent = new ArrayList<>();

        @Override public boolean ipv6() { return false; }

        @Override public long sourceHi() { return 0; }

        @Override public long sourceLo() { return Addresses.mappedLo(ME); }

        @Override public boolean send(byte[] message, int length, long toHi, long toLo) {
            byte[] packet = ipPacket(message, length, ME, (int) toLo, 255);
            VrrpAdvert a = new VrrpAdvert();
            assertEquals(null, a.decode(packet, packet.length), "what jlvs sends decodes");
            sent.add(a);
            return true;
        }

        List<Integer> priorities() { return sent.stream().map(a -> a.priority).toList(); }
    }

    /** Scripts by command line: each run is recorded with its arguments and exits with the code set for it. */
    static final class FakeScripts implements ScriptRunner {
        final List<String> runs = new ArrayList<>();
        final Map<String, Integer> exitCodes = new HashMap<>();

        @Override
        public CompletableFuture<ScriptOutcome> run(Script script, List<String> args, Duration timeout) {
            runs.add(String.join(" ", script.argv()) + (args.isEmpty() ? "" : " " + String.join(" ", args)));
            return CompletableFuture.completedFuture(
                    new ScriptOutcome(exitCodes.getOrDefault(script.commandLine(), 0), false, null));
        }
    }

    /** The VIP owner's calls, announces with the virtual time they came at. */
    final class RecordingOwner implements VipOwner {
        final List<String> calls = new ArrayList<>();
        final List<Long> announcedAt = new ArrayList<>();

        @Override public void acquire(String instance, List<InetAddress> addresses) { calls.add("acquire " + instance); }

        @Override public void release(String instance, List<InetAddress> addresses) { calls.add("release " + instance); }

        @Override public void announce(List<InetAddress> addresses) {
            assertEquals(1, addresses.size());
            announcedAt.add(now);
        }
    }

    final RecordingPort port = new RecordingPort();
    final FakeScripts scripts = new FakeScripts();
    final RecordingOwner owner = new RecordingOwner();
    final Map<String, Boolean> links = new HashMap<>();
    VrrpRouter router;
    long now;

    static byte[] ipPacket(byte[] message, int length, int source, int destination, int ttl) {
        byte[] p = new byte[20 + length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = (byte) ttl;
        p[9] = (byte) VrrpAdvert.PROTOCOL;
        VrrpAdvert.putInt(p, 12, source);
        VrrpAdvert.putInt(p, 16, destination);
        System.arraycopy(message, 0, p, 20, length);
        return p;
    }

    static Script script(String command) {
        return new Script(command, List.of(command), null);
    }

    static VrrpInstanceConfig instance(String name, int vrid, int priority, List<VrrpInstanceConfig.TrackedInterface> ifs,
                                       List<VrrpInstanceConfig.TrackedScript> tracked, VrrpNotify notify,
                                       int garpDelay, int garpRepeat, int garpRefresh) {
        try {
            return new VrrpInstanceConfig(name, SOURCE, false, "lan0", vrid, priority, 100, 2,
                    List.of(new VrrpInstanceConfig.VirtualAddress(InetAddress.getByName("10.0.0." + (100 + vrid)), 24,
                            null)), List.of(), false, 0, null, List.of(), null, ifs, tracked, notify, garpDelay,
                    garpRepeat, garpRefresh, 1, 3);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static VrrpInstanceConfig plain(String name, int vrid, int priority) {
        return instance(name, vrid, priority, List.of(), List.of(), VrrpNotify.NONE, 0, 1, 0);
    }

    void build(List<VrrpInstanceConfig> instances, List<VrrpScriptConfig> scriptConfigs,
               List<VrrpSyncGroupConfig> groups, int garpIntervalMillis) {
        Map<String, AdvertPort> ports = new HashMap<>();
        for (VrrpInstanceConfig c : instances) ports.put(c.name(), port);
        router = new VrrpRouter(instances, scriptConfigs, groups, new VrrpGlobals(2, garpIntervalMillis, false, null),
                ports, scripts, owner, PreemptGate.OPEN, name -> links.getOrDefault(name, true), () -> now / MS);
        router.start(now);
    }

    /** Runs every timer due up to {@code t}, in order, and leaves the clock at {@code t}. */
    void advanceTo(long t) {
        for (int rounds = 0; ; rounds++) {
            assertTrue(rounds < 1_000_000, "the router keeps asking for the same time");
            long next = Math.max(now, router.nextWake());
            if (next > t) break;
            now = next;
            router.tick(now);
        }
        now = t;
    }

    void hear(int vrid, int priority, int source) {
        byte[] m = new byte[64];
        int len = VrrpAdvert.encode(m, 2, vrid, priority, 100, new int[] {0x0A000064 + vrid}, null, source,
                VrrpSocket.GROUP);
        byte[] packet = ipPacket(m, len, source, VrrpSocket.GROUP, 255);
        router.receive(port, packet, packet.length, now);
    }

    VrrpInstanceSnapshot status(String name) {
        return router.snapshot().stream().filter(s -> s.instance().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void trackedInterfacesAddTheirWeightsAndAWeightZeroLinkDownMeansFault() {
        build(List.of(instance("VI_1", 1, 100, List.of(new VrrpInstanceConfig.TrackedInterface("eth1", 0),
                new VrrpInstanceConfig.TrackedInterface("eth2", 20),
                new VrrpInstanceConfig.TrackedInterface("eth3", -30)), List.of(), VrrpNotify.NONE, 0, 1, 0)),
                List.of(), List.of(), 0);
        assertEquals(120, status("VI_1").effectivePriority(), "eth2 up adds its positive weight");
        links.put("eth2", false);
        links.put("eth3", false);
        advanceTo(200 * MS);
        assertEquals(70, status("VI_1").effectivePriority(), "eth2 down takes 20 away, eth3 down adds -30");
        assertEquals(VrrpState.BACKUP, status("VI_1").state());
        links.put("eth1", false);
        advanceTo(400 * MS);
        assertEquals(VrrpState.FAULT, status("VI_1").state());
        assertTrue(status("VI_1").reason().contains("track_interface eth1 down"), status("VI_1").reason());
        links.put("eth1", true);
        advanceTo(600 * MS);
        assertEquals(VrrpState.BACKUP, status("VI_1").state());
        assertEquals("recovered from: track_interface eth1 down, track_interface eth2 down, track_interface eth3 down",
                status("VI_1").reason());
    }

    @Test
    void trackScriptsFollowRiseAndFallAndKeepalivedsWeightSigns() {
        VrrpScriptConfig plus = new VrrpScriptConfig("plus", SOURCE, script("/bin/plus"), 1, 1, 10, 2, 2);
        VrrpScriptConfig minus = new VrrpScriptConfig("minus", SOURCE, script("/bin/minus"), 1, 1, 5, 1, 1);
        VrrpScriptConfig vital = new VrrpScriptConfig("vital", SOURCE, script("/bin/vital"), 1, 1, 0, 1, 3);
        build(List.of(instance("VI_1", 1, 100, List.of(), List.of(new VrrpInstanceConfig.TrackedScript("plus", null),
                new VrrpInstanceConfig.TrackedScript("minus", -40), new VrrpInstanceConfig.TrackedScript("vital", null)),
                VrrpNotify.NONE, 0, 1, 0)), List.of(plus, minus, vital), List.of(), 0);
        assertEquals(110, status("VI_1").effectivePriority(), "a succeeding script with weight > 0 adds it");

        scripts.exitCodes.put("/bin/plus", 1);
        advanceTo(1500 * MS); // the second run, at 1 s, is the first failure
        assertEquals(110, status("VI_1").effectivePriority(), "fall 2: one failure is not enough");
        advanceTo(2500 * MS);
        assertEquals(100, status("VI_1").effectivePriority(), "fall 2: two failures take the weight away");

        scripts.exitCodes.put("/bin/minus", 1);
        advanceTo(3500 * MS);
        assertEquals(60, status("VI_1").effectivePriority(), "track_script's weight -40 replaces the script's 5");

        scripts.exitCodes.put("/bin/vital", 1);
        advanceTo(5500 * MS);
        assertEquals(VrrpState.MASTER, status("VI_1").state(),
                "fall 3: two failures are not enough (and with no master heard it became MASTER at 3.57 s)");
        advanceTo(6500 * MS);
        assertEquals(VrrpState.FAULT, status("VI_1").state(), "weight 0: a failed script means FAULT");
        assertTrue(status("VI_1").reason().contains("track_script vital failing"), status("VI_1").reason());
        scripts.exitCodes.put("/bin/vital", 0);
        advanceTo(7500 * MS);
        assertEquals(VrrpState.BACKUP, status("VI_1").state(), "rise 1: one success brings it back");
    }

    @Test
    void aSyncGroupMovesItsMembersTogetherAndStaysInFaultWhileOneIsFaulty() {
        VrrpNotify groupNotify = new VrrpNotify(null, null, null, null, script("/bin/group-notify"));
        build(List.of(instance("VI_1", 1, 100, List.of(new VrrpInstanceConfig.TrackedInterface("eth1", 0)), List.of(),
                        VrrpNotify.NONE, 0, 1, 0), plain("VI_2", 2, 100), plain("VI_3", 3, 100)),
                List.of(), List.of(new VrrpSyncGroupConfig("G", SOURCE, List.of("VI_1", "VI_2"), groupNotify)), 0);
        advanceTo(S);
        hear(1, 150, PEER); // VI_1 hears a master at 1 s; VI_2 hears nobody and its timer runs out first
        long down = 3 * S + (256 - 100) * S / 256;
        advanceTo(down);
        assertEquals(VrrpState.MASTER, status("VI_2").state());
        assertEquals(VrrpState.MASTER, status("VI_1").state(), "taken to MASTER with VI_2");
        assertEquals("sync group G: VI_2 is MASTER", status("VI_1").reason());
        assertEquals(VrrpState.MASTER, status("VI_3").state(), "outside the group, by its own timer");

        hear(2, 200, PEER);
        assertEquals(VrrpState.BACKUP, status("VI_2").state());
        assertEquals(VrrpState.BACKUP, status("VI_1").state(), "taken to BACKUP with VI_2");
        assertEquals(VrrpState.MASTER, status("VI_3").state());

        links.put("eth1", false);
        advanceTo(now + 200 * MS);
        assertEquals(VrrpState.FAULT, status("VI_1").state());
        assertEquals(VrrpState.FAULT, status("VI_2").state(), "one member in FAULT puts the group in FAULT");
        advanceTo(now + 10 * S);
        assertEquals(VrrpState.FAULT, status("VI_2").state(), "its master down timer does not run in FAULT");

        links.put("eth1", true);
        advanceTo(now + 200 * MS);
        assertEquals(VrrpState.BACKUP, status("VI_1").state());
        assertEquals(VrrpState.BACKUP, status("VI_2").state(), "the group leaves FAULT with its faulty member");
        assertEquals(List.of("/bin/group-notify GROUP G BACKUP 0", "/bin/group-notify GROUP G MASTER 0", "/bin/group-notify GROUP G BACKUP 0",
                "/bin/group-notify GROUP G FAULT 0", "/bin/group-notify GROUP G BACKUP 0"), scripts.runs);
    }

    @Test
    void notifyScriptsRunWithKeepalivedsArguments() {
        VrrpNotify notify = new VrrpNotify(script("/bin/to-master"), script("/bin/to-backup"), script("/bin/to-fault"),
                script("/bin/to-stop"), script("/bin/notify"));
        build(List.of(instance("VI_1", 1, 120, List.of(new VrrpInstanceConfig.TrackedInterface("eth1", 0)), List.of(),
                notify, 0, 1, 0)), List.of(), List.of(), 0);
        advanceTo(4 * S);
        links.put("eth1", false);
        advanceTo(5 * S);
        links.put("eth1", true);
        advanceTo(5200 * MS);
        router.stop(now);
        assertEquals(List.of("/bin/to-backup", "/bin/notify INSTANCE VI_1 BACKUP 120",
                "/bin/to-master", "/bin/notify INSTANCE VI_1 MASTER 120",
                "/bin/to-fault", "/bin/notify INSTANCE VI_1 FAULT 120",
                "/bin/to-backup", "/bin/notify INSTANCE VI_1 BACKUP 120",
                "/bin/to-stop", "/bin/notify INSTANCE VI_1 STOP 120"), scripts.runs);
    }

    @Test
    void becomingMasterAnnouncesInBurstsAndAnotherMastersEndAnnouncesAgain() {
        build(List.of(instance("VI_1", 1, 100, List.of(), List.of(), VrrpNotify.NONE, 5, 3, 0)), List.of(), List.of(),
                100);
        long down = 3 * S + (256 - 100) * S / 256;
        advanceTo(down + 6 * S);
        assertEquals(List.of("acquire VI_1"), owner.calls);
        assertEquals(List.of(down, down + 100 * MS, down + 200 * MS, down + 5 * S, down + 5 * S + 100 * MS,
                down + 5 * S + 200 * MS), owner.announcedAt, "garp_master_repeat 3, vrrp_garp_interval 100 ms, "
                + "again after garp_master_delay 5 s");

        owner.announcedAt.clear();
        int sent = port.sent.size();
        long heard = now;
        hear(1, 50, PEER);
        advanceTo(now + 300 * MS);
        assertEquals(VrrpState.MASTER, status("VI_1").state());
        assertEquals(100, port.sent.get(sent).priority, "an advert at once to the lower master");
        assertEquals(List.of(heard, heard + 100 * MS, heard + 200 * MS), owner.announcedAt,
                "the addresses announced again after two masters");
    }

    @Test
    void garpMasterRefreshRepeatsWhileMasterAndStopsWithIt() {
        build(List.of(instance("VI_1", 1, 255, List.of(), List.of(), VrrpNotify.NONE, 0, 1, 10)), List.of(),
                List.of(), 0);
        advanceTo(35 * S);
        assertEquals(List.of(0L, 10 * S, 20 * S, 30 * S), owner.announcedAt);
        router.stop(now);
        assertEquals(List.of("acquire VI_1", "release VI_1"), owner.calls);
        advanceTo(60 * S);
        assertEquals(4, owner.announcedAt.size(), "no refresh after the stop");
    }

    @Test
    void stoppingAMasterSendsPriorityZeroAndReleasesItsAddresses() {
        build(List.of(plain("VI_1", 1, 255)), List.of(), List.of(), 0);
        router.stop(now);
        assertEquals(List.of(255, 0), port.priorities());
        assertEquals(List.of("acquire VI_1", "release VI_1"), owner.calls);
        assertEquals(VrrpState.STOPPED, status("VI_1").state());
    }

    @Test
    void refusedPacketsAreCountedByReasonOnTheirInstance() {
        build(List.of(plain("VI_1", 1, 100)), List.of(), List.of(), 0);
        byte[] m = new byte[64];
        int len = VrrpAdvert.encode(m, 2, 1, 200, 100, new int[] {0x0A000065}, null, PEER, VrrpSocket.GROUP);
        byte[] farAway = ipPacket(m, len, PEER, VrrpSocket.GROUP, 64);
        router.receive(port, farAway, farAway.length, now);
        byte[] corrupt = ipPacket(m, len, PEER, VrrpSocket.GROUP, 255);
        corrupt[20 + 8] ^= 1;
        router.receive(port, corrupt, corrupt.length, now);
        int passLen = VrrpAdvert.encode(m, 2, 1, 200, 100, new int[] {0x0A000065}, "secret", PEER, VrrpSocket.GROUP);
        byte[] withPass = ipPacket(m, passLen, PEER, VrrpSocket.GROUP, 255);
        router.receive(port, withPass, withPass.length, now);
        hear(1, 200, PEER);

        VrrpInstanceSnapshot s = status("VI_1");
        assertEquals(Map.of(AdvertRejection.TTL, 1L, AdvertRejection.CHECKSUM, 1L, AdvertRejection.AUTH, 1L), s.drops());
        assertEquals(3, s.advertsDropped());
        assertEquals(1, s.advertsReceived(), "the good advert is received");
        assertEquals("10.0.0.2", s.master());
    }
}
