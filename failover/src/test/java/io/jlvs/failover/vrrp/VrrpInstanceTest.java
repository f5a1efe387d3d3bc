package io.jlvs.failover.vrrp;

import io.jlvs.control.model.Addresses;
import io.jlvs.health.config.Source;
import io.jlvs.packets.Ipv4;
import io.jlvs.health.config.VrrpInstanceConfig;
import io.jlvs.health.config.VrrpNotify;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state machine on virtual time: elections, timers to the nanosecond, preemption and its brakes, two masters. */
class VrrpInstanceTest {
    static final long S = 1_000_000_000L;
    static final int ME = 0x0A000001, PEER_LOW = 0x0A000000, PEER_HIGH = 0x0A000002;

    /** What the instance asked for: adverts (priority) and transitions ("BACKUP->MASTER"), in order. */
    static final class Recorder implements InstanceEffects {
        final List<Integer> adverts = new ArrayList<>();
        final List<String> transitions = new ArrayList<>();
        int reannounced;

        @Override public void sendAdvert(VrrpInstance i, int priority) { adverts.add(priority); }

        @Override public void transition(VrrpInstance i, VrrpState from, VrrpState to, String reason, long now) {
            transitions.add(from + "->" + to);
        }

        @Override public void reannounce(VrrpInstance i, long now, String reason) { reannounced++; }
    }

    static VrrpInstanceConfig config(int version, int priority, int advertCentis, boolean master, boolean nopreempt,
                                     int preemptDelay) {
        try {
            return new VrrpInstanceConfig("VI_1", new Source(Path.of("k.conf"), 1), master, "eth0", 51, priority,
                    advertCentis, version, List.of(new VrrpInstanceConfig.VirtualAddress(
                            InetAddress.getByName("10.0.0.100"), 24, null)), List.of(), nopreempt, preemptDelay,
                    null, List.of(), null, List.of(), List.of(), VrrpNotify.NONE, 5, 5, 0, 1, 3);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static VrrpAdvert advert(int version, int priority, int source, int centis) {
        VrrpAdvert a = new VrrpAdvert();
        a.version = version;
        a.virtualRouterId = 51;
        a.priority = priority;
        a.family = 4;
        a.sourceLo = Addresses.mappedLo(source);
        a.intervalCentis = centis;
        a.ttl = 255;
        return a;
    }

    final Recorder effects = new Recorder();

    VrrpInstance instance(VrrpInstanceConfig c, PreemptGate gate) {
        return new VrrpInstance(c, ME, effects, gate);
    }

    @Test
    void aBackupThatHearsNobodyBecomesMasterAfterExactlyTheMasterDownInterval() {
        VrrpInstance i = instance(config(2, 100, 100, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        long down = 3 * S + (256 - 100) * S / 256;
        assertEquals(down, i.nextDeadline());
        i.tick(down - 1);
        assertEquals(VrrpState.BACKUP, i.state());
        i.tick(down);
        assertEquals(VrrpState.MASTER, i.state());
        assertEquals(List.of("INIT->BACKUP", "BACKUP->MASTER"), effects.transitions);
        assertEquals(List.of(100), effects.adverts, "an advert at once on becoming master");
        assertEquals(down + S, i.nextDeadline(), "then one per advert interval");
    }

    @Test
    void version3SkewIsAFractionOfTheMastersAdvertIntervalWhichTheBackupLearns() {
        VrrpInstance i = instance(config(3, 200, 20, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        i.onAdvert(0, advert(3, 250, PEER_HIGH, 50)); // the master advertises every 0.5 s
        long down = 3 * 500_000_000L + (256 - 200) * 500_000_000L / 256;
        assertEquals(down, i.nextDeadline());
    }

    @Test
    void aHigherPriorityAdvertKeepsABackupBackupAndPriorityZeroCutsTheWaitToTheSkew() {
        VrrpInstance i = instance(config(2, 100, 100, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        i.onAdvert(2 * S, advert(2, 150, PEER_HIGH, 100));
        i.tick(4 * S);
        assertEquals(VrrpState.BACKUP, i.state(), "the master down timer restarted at 2 s");
        assertEquals(Ipv4.toString(PEER_HIGH), i.master());
        i.onAdvert(5 * S, advert(2, 0, PEER_HIGH, 100));
        long skew = (256 - 100) * S / 256;
        assertEquals(5 * S + skew, i.nextDeadline());
        i.tick(5 * S + skew);
        assertEquals(VrrpState.MASTER, i.state());
    }

    @Test
    void aBackupOutrankingTheMasterPreemptsByIgnoringItsAdverts() {
        VrrpInstance i = instance(config(2, 150, 100, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        long down = 3 * S + (256 - 150) * S / 256;
        i.onAdvert(S, advert(2, 100, PEER_HIGH, 100));
        assertEquals(down, i.nextDeadline(), "the lower master's advert did not restart the timer");
        i.tick(down);
        assertEquals(VrrpState.MASTER, i.state());
        assertTrue(i.lastReason().startsWith("preempts master 10.0.0.2 of lower priority 100"), i.lastReason());
    }

    @Test
    void nopreemptAndPreemptDelayHoldAHigherBackupBack() {
        VrrpInstance held = instance(config(2, 150, 100, false, true, 0), PreemptGate.OPEN);
        held.start(0);
        for (long t = 1; t <= 20; t++) {
            held.onAdvert(t * S, advert(2, 100, PEER_HIGH, 100));
            held.tick(t * S);
        }
        assertEquals(VrrpState.BACKUP, held.state(), "nopreempt: the lower master stays");

        Recorder other = new Recorder();
        VrrpInstance delayed = new VrrpInstance(config(2, 150, 100, false, false, 10), ME, other, PreemptGate.OPEN);
        delayed.start(0);
        for (long t = 1; t <= 10; t++) {
            delayed.onAdvert(t * S, advert(2, 100, PEER_HIGH, 100));
            delayed.tick(t * S);
        }
        assertEquals(VrrpState.BACKUP, delayed.state(), "within preempt_delay");
        long down = 3 * S + (256 - 150) * S / 256;
        delayed.onAdvert(11 * S, advert(2, 100, PEER_HIGH, 100));
        delayed.tick(10 * S + down);
        assertEquals(VrrpState.MASTER, delayed.state(), "after preempt_delay the timer runs out on the lower master");
    }

    @Test
    void aClosedGateHoldsPreemptionUntilItOpensOrItsBoundPasses() {
        boolean[] ready = {false};
        VrrpInstance i = instance(config(2, 150, 100, false, false, 0), () -> ready[0]);
        i.start(0);
        long t = S;
        for (; t < 8 * S; t += S) {
            i.onAdvert(t, advert(2, 100, PEER_HIGH, 100));
            i.tick(t);
        }
        assertEquals(VrrpState.BACKUP, i.state(), "held while the table is being resynced");
        ready[0] = true;
        i.onAdvert(t, advert(2, 100, PEER_HIGH, 100));
        long down = 3 * S + (256 - 150) * S / 256;
        i.tick(t - S + down);
        assertEquals(VrrpState.MASTER, i.state(), "preempts once the gate opens");

        Recorder other = new Recorder();
        VrrpInstance bounded = new VrrpInstance(config(2, 150, 100, false, false, 0), ME, other, () -> false);
        bounded.start(0);
        long bound = VrrpInstance.GATE_BOUND.toNanos();
        for (t = S; t <= S + bound; t += S) {
            bounded.onAdvert(t, advert(2, 100, PEER_HIGH, 100));
            bounded.tick(t);
        }
        assertEquals(VrrpState.BACKUP, bounded.state());
        bounded.tick(t + down);
        assertEquals(VrrpState.MASTER, bounded.state(), "a gate that never opens holds for its bound only");
    }

    @Test
    void twoMastersConvergeTheLowerYieldsAndTheHigherAnnouncesAgain() {
        VrrpInstance i = instance(config(2, 100, 100, true, false, 0), PreemptGate.OPEN);
        i.start(0);
        assertEquals(VrrpState.MASTER, i.state(), "state MASTER starts as master");
        i.onAdvert(S / 2, advert(2, 50, PEER_HIGH, 100));
        assertEquals(VrrpState.MASTER, i.state());
        assertEquals(1, effects.reannounced, "gratuitous ARPs again when the other master yields");
        assertEquals(List.of(100, 100), effects.adverts, "and an advert at once");
        i.onAdvert(S, advert(2, 100, PEER_HIGH, 100));
        assertEquals(VrrpState.BACKUP, i.state(), "equal priority: the higher address wins");
        i.onAdvert(2 * S, advert(2, 100, PEER_LOW, 100));
        assertEquals(VrrpState.BACKUP, i.state(), "as backup the same priority from a lower address is a master");
    }

    @Test
    void underVrrpStrictAMasterDiscardsALowerPriorityMastersAdvertButStillAnnouncesItsAddresses() {
        VrrpInstance i = new VrrpInstance(config(3, 100, 100, true, false, 0), 0, Addresses.mappedLo(ME), effects, PreemptGate.OPEN, true);
        i.start(0);
        int sentAtStart = effects.adverts.size();
        i.onAdvert(S / 2, advert(3, 50, PEER_HIGH, 100));
        assertEquals(VrrpState.MASTER, i.state());
        assertEquals(sentAtStart, effects.adverts.size(), "no advert in answer (RFC 3768 6.4.3: discard it)");
        assertEquals(1, effects.reannounced, "gratuitous ARPs again");
        i.tick(S);
        assertEquals(sentAtStart + 1, effects.adverts.size(), "the next advert leaves at its interval");
    }

    @Test
    void trackingFaultsAMasterWithPriorityZeroAndWeightsMoveThePriority() {
        VrrpInstance i = instance(config(2, 100, 100, true, false, 0), PreemptGate.OPEN);
        i.start(0);
        i.track(S, false, 30, "fine");
        assertEquals(130, i.effectivePriority());
        i.track(S, false, 300, "fine");
        assertEquals(254, i.effectivePriority(), "clamped below the owner's 255");
        i.track(2 * S, true, 0, "track_interface eth1 down");
        assertEquals(VrrpState.FAULT, i.state());
        assertEquals(0, effects.adverts.getLast(), "a faulting master says so with priority 0");
        i.track(3 * S, false, 0, "fine");
        assertEquals(VrrpState.BACKUP, i.state());
        assertEquals(List.of("INIT->MASTER", "MASTER->FAULT", "FAULT->BACKUP"), effects.transitions);
    }

    @Test
    void advertsOfAnotherVersionAuthenticationOrIntervalAreDroppedAndCounted() {
        VrrpInstance i = instance(config(2, 100, 100, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        i.onAdvert(S, advert(3, 200, PEER_HIGH, 100));
        i.onAdvert(S, advert(2, 200, PEER_HIGH, 200));
        VrrpAdvert withPass = advert(2, 200, PEER_HIGH, 100);
        withPass.authType = VrrpAdvert.AUTH_PASS;
        i.onAdvert(S, withPass);
        assertEquals(3, i.advertsDropped());
        assertEquals(1, i.drops(AdvertRejection.VERSION));
        assertEquals(1, i.drops(AdvertRejection.INTERVAL));
        assertEquals(1, i.drops(AdvertRejection.AUTH));
        assertEquals(0, i.advertsReceived());
        i.onAdvert(S, advert(2, 200, PEER_HIGH, 100));
        assertEquals(1, i.advertsReceived(), "a matching advert is received");
    }

    @Test
    void stoppingAMasterSendsPriorityZero() {
        VrrpInstance i = instance(config(2, 255, 100, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        assertEquals(VrrpState.MASTER, i.state(), "the address owner starts as master");
        i.stop(S);
        assertEquals(VrrpState.STOPPED, i.state());
        assertEquals(List.of(255, 0), effects.adverts);
    }

    @Test
    void theAddressOwnerStartsAsMasterAndKeepsMasteringOverAnyLowerPriority() {
        VrrpInstance i = instance(config(2, 255, 100, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        assertEquals(VrrpState.MASTER, i.state());
        assertEquals("address owner (priority 255)", i.lastReason());
        i.onAdvert(S, advert(2, 254, PEER_HIGH, 100));
        assertEquals(VrrpState.MASTER, i.state(), "254 from a higher address does not outrank the owner");
        i.track(2 * S, false, -100, "track_script chk failing");
        assertEquals(255, i.effectivePriority(), "an owner's priority never moves");
    }

    @Test
    void aBackupOfEqualPriorityPreemptsOnlyAMasterWithALowerAddress() {
        VrrpInstance i = instance(config(2, 100, 100, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        long down = 3 * S + (256 - 100) * S / 256;
        for (long t = S; t < 3 * down; t += S) {
            i.onAdvert(t, advert(2, 100, PEER_HIGH, 100));
            i.tick(t);
        }
        assertEquals(VrrpState.BACKUP, i.state(), "10.0.0.2 outranks 10.0.0.1 at equal priority");
        assertEquals(Ipv4.toString(PEER_HIGH), i.master());

        Recorder other = new Recorder();
        VrrpInstance j = new VrrpInstance(config(2, 100, 100, false, false, 0), ME, other, PreemptGate.OPEN);
        j.start(0);
        j.onAdvert(S, advert(2, 100, PEER_LOW, 100));
        assertEquals(down, j.nextDeadline(), "10.0.0.0's advert did not restart the timer");
        j.tick(down);
        assertEquals(VrrpState.MASTER, j.state());
    }

    @Test
    void priorityZeroFromTheMasterLetsTheBackupTakeOverAfterItsSkewInVersion3() {
        VrrpInstance i = instance(config(3, 100, 20, false, false, 0), PreemptGate.OPEN);
        i.start(0);
        i.onAdvert(S, advert(3, 200, PEER_HIGH, 20));
        i.onAdvert(S + S / 5, advert(3, 0, PEER_HIGH, 20));
        long skew = (256 - 100) * (S / 5) / 256;
        assertEquals(S + S / 5 + skew, i.nextDeadline());
        i.tick(S + S / 5 + skew);
        assertEquals(VrrpState.MASTER, i.state());
        assertEquals("master 10.0.0.2 left (priority 0 advert), skew timer expired", i.lastReason());
    }
}
