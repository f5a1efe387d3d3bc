package io.jlvs.netns;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.TierTopology;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How fast the router stops sending a VIP's flows to a lost director, without and with BFD (jlvs daemon --bgp-bfd,
 * `bfd on` on both ends of each session, 100 ms × 3). Two directors announce the VIP; director 2's daemon is killed
 * with SIGKILL (its liveness link goes with the process, so BIRD withdraws the route at once either way); then
 * director 1 is frozen whole, BIRD and daemon stopped as a hung machine: without BFD the router's hold timer (3 s)
 * notices, with BFD its BFD session does within some 300 ms. BIRD starts its hold timer, as RFC 4271 section 10 asks,
 * at up to a quarter less than the 3 s, and its 1 s keepalive timer likewise: the last keepalive before the freeze
 * may be up to a second old, so the hold timer expires between 1.25 s and 3 s after it.
 */
class TierBfdEndToEndTest {
    static final Duration START = Duration.ofSeconds(120), BGP = Duration.ofSeconds(30);

    @Test
    void bfdWithdrawsAFrozenDirectorsRouteWellBeforeTheHoldTimer() {
        Duration[] plain = withdrawals("jlvsq-bn", false);
        Duration[] bfd = withdrawals("jlvsq-bf", true);
        System.out.printf("tier: route withdrawn after kill -9 of the daemon: %d ms without BFD, %d ms with;"
                        + " after the director froze: %d ms without BFD, %d ms with%n", plain[0].toMillis(),
                bfd[0].toMillis(), plain[1].toMillis(), bfd[1].toMillis());
        assertTrue(plain[1].compareTo(Duration.ofMillis(1200)) >= 0
                && plain[1].compareTo(Duration.ofMillis(4500)) <= 0, "without BFD, the hold time: " + plain[1]);
        assertTrue(bfd[1].compareTo(Duration.ofMillis(1000)) <= 0 && bfd[1].compareTo(plain[1]) < 0,
                "with BFD, within a second and before the hold timer: " + bfd[1] + " against " + plain[1]);
        assertTrue(plain[0].compareTo(Duration.ofMillis(1000)) <= 0 && bfd[0].compareTo(Duration.ofMillis(1000)) <= 0,
                "a killed daemon's route goes at once: " + plain[0] + ", " + bfd[0]);
    }

    /** The withdrawal times after kill -9 of director 2's daemon and after director 1 froze. */
    private static Duration[] withdrawals(String prefix, boolean bfd) {
        try (TierTopology tier = TierTopology.build(prefix, 2, 1, bfd)) {
            List<JlvsDirector> directors = new ArrayList<>();
            try {
                for (int d = 1; d <= 2; d++) {
                    JlvsDirector director = TierMembers.startDirector(tier, d, START);
                    directors.add(director);
                    director.restore(TierEcmpEndToEndTest.mhService(tier));
                }
                tier.awaitNextHops(List.of(1, 2), BGP);
                for (int d = 1; d <= 2; d++) {
                    String include = readInclude(tier, d);
                    assertTrue(include.contains("protocol bfd jlvs_bfd") == bfd, include);
                    CommandResult check = tier.birdParse(tier.birdConfig(d));
                    assertTrue(check.succeeded(), check.describe());
                }
                if (bfd) {
                    Conditions.await("both BFD sessions up on the router", BGP, () -> tier.network()
                            .run(tier.routerNamespace(), "birdc", "-s", tier.routerBirdSocket().toString(), "show",
                                    "bfd", "sessions").stdout().lines().filter(l -> l.contains(" Up ")).count() == 2);
                }
                directors.get(1).kill();
                Duration killed = tier.awaitNextHops(List.of(1), Duration.ofSeconds(8));
                tier.directorBird(1).suspend();
                directors.get(0).daemon().suspend();
                Duration frozen = tier.awaitNextHops(List.of(), Duration.ofSeconds(8));
                directors.get(0).daemon().resume();
                tier.directorBird(1).resume();
                return new Duration[] {killed, frozen};
            } finally {
                for (JlvsDirector d : directors) d.close();
            }
        }
    }

    private static String readInclude(TierTopology tier, int d) {
        try {
            return Files.readString(tier.include(d));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
