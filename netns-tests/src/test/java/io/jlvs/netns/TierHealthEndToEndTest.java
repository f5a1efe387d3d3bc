package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.TierTopology;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health in a tier: three directors behind the ECMP router, each checking the same three real servers itself
 * (keepalived.conf, TCP_CHECK, delay_loop 1). A server that stops is taken out by every director, and one that comes
 * back is put back by every director, within one delay_loop of each other, so the directors keep the same mh table.
 */
class TierHealthEndToEndTest {
    static final int PORT = 80, DELAY_LOOP_SECONDS = 1;
    static final Duration START = Duration.ofSeconds(120), BGP = Duration.ofSeconds(30);
    /** A check period, plus the connect timeout of the check that fails, plus the scheduling noise of 2 cores. */
    static final Duration SPREAD = Duration.ofMillis(DELAY_LOOP_SECONDS * 1000 + 1000 + 500);

    @Test
    void everyDirectorTakesAStoppedServerOutAndPutsItBackWithinOneDelayLoopOfTheOthers() throws Exception {
        try (TierTopology tier = TierTopology.build("jlvsq-h", 3, 3)) {
            List<BackgroundProcess> servers = TierMembers.echoServers(tier, 3, PORT, START);
            Path config = tier.processes().logDirectory().resolve("keepalived.conf");
            Files.writeString(config, config(tier));
            List<JlvsDirector> directors = new ArrayList<>();
            try {
                for (int d = 1; d <= 3; d++) {
                    directors.add(TierMembers.startDirector(tier, d, START, List.of("--config", config.toString())));
                }
                tier.awaitNextHops(List.of(1, 2, 3), BGP);
                for (JlvsDirector director : directors) awaitServers(director, 3);

                String rs2 = tier.serverAddresses().get(1) + ":" + PORT;
                LocalTime stoppedAt = LocalTime.now();
                servers.get(1).stop(Duration.ofSeconds(5));
                for (JlvsDirector director : directors) awaitServers(director, 2);
                assertSpread(directors, rs2, "DOWN", stoppedAt);

                LocalTime restartedAt = LocalTime.now();
                servers.set(1, TierMembers.echoServerAgain(tier, 2, PORT, START));
                for (JlvsDirector director : directors) awaitServers(director, 3);
                assertSpread(directors, rs2, "UP", restartedAt);
            } finally {
                for (JlvsDirector director : directors) director.close();
            }
        }
    }

    /** Each director logged the transition after {@code since}, all within {@link #SPREAD} of each other. */
    private static void assertSpread(List<JlvsDirector> directors, String server, String state, LocalTime since) {
        List<LocalTime> times = new ArrayList<>();
        for (JlvsDirector director : directors) {
            Optional<LocalTime> at = HealthTransitions.loggedAt(director, server, state, since);
            assertTrue(at.isPresent(), "no " + state + " line for " + server + ":\n" + director.daemon().logTail(20));
            times.add(at.get());
        }
        LocalTime first = times.stream().min(LocalTime::compareTo).orElseThrow();
        LocalTime last = times.stream().max(LocalTime::compareTo).orElseThrow();
        Duration spread = Duration.between(first, last);
        System.out.println("tier health: " + server + " " + state + " logged at " + times + ", spread " + spread);
        assertTrue(spread.compareTo(SPREAD) <= 0, server + " " + state + " on the directors at " + times);
    }

    private static void awaitServers(JlvsDirector director, int n) {
        Conditions.await(n + " real servers in force on " + director, Duration.ofSeconds(20),
                () -> ServiceRows.servers(director.admOrThrow("-L", "-n")).size() == n);
    }

    /** The tier's service as keepalived.conf: mh with mh-port, DR, a TCP_CHECK per server. */
    private static String config(TierTopology tier) {
        StringBuilder conf = new StringBuilder("virtual_server " + TierTopology.VIP + " " + PORT + " {\n"
                + "    delay_loop " + DELAY_LOOP_SECONDS + "\n    lb_algo mh\n    mh-port\n    lb_kind DR\n"
                + "    protocol TCP\n");
        for (String address : tier.serverAddresses()) {
            conf.append("    real_server ").append(address).append(' ').append(PORT).append(" {\n        weight 1\n")
                    .append("        TCP_CHECK {\n            connect_timeout 1\n        }\n    }\n");
        }
        return conf.append("}\n").toString();
    }
}
