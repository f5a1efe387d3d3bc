package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.ServerLauncher;
import io.jlvs.tools.netns.TierTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The failure part of `jlvs bench --tier`: N long-lived connections ({@link FailoverProbe}) over the three
 * directors; a fourth real server added to every director's echo service (the same mh table everywhere, which
 * changes about a quarter of the flows' choice); director 2's daemon killed with SIGKILL; the connections that no
 * longer echo counted. Twice: without connection sync (the moved flows whose choice changed reach the new server
 * mid-flow and break), then with every director sync master and backup at once (each holds the others'
 * connections, so a moved flow keeps its server).
 */
final class TierServerChangeRounds {
    private static final Duration START = Duration.ofSeconds(120), BGP = Duration.ofSeconds(30);
    /** The sync's multicast id of the tier's directors. */
    private static final String SYNC_ID = "7";

    private TierServerChangeRounds() {}

    /** Both rounds; directors.get(1) is replaced by its restarted daemon between them. Returns the report. */
    static String run(TierTopology tier, List<JlvsDirector> directors, int connections, int port,
                      String serverRules) {
        Round without = round(tier, directors, connections, port, "plain", false);
        directors.set(1, restart(directors.get(1), serverRules));
        String fourth = tier.serverAddresses().get(3) + ":" + port;
        for (int d : new int[] {0, 2}) directors.get(d).admOrThrow("-d", "-t", service(port), "-r", fourth);
        for (JlvsDirector d : directors) {
            d.admOrThrow("--start-daemon", "master", "--mcast-interface", "lan0", "--syncid", SYNC_ID);
            d.admOrThrow("--start-daemon", "backup", "--mcast-interface", "lan0", "--syncid", SYNC_ID);
        }
        tier.awaitNextHops(List.of(1, 2, 3), BGP);
        Round with = round(tier, directors, connections, port, "synced", true);
        return String.format("""
                        A real server added, then a director lost (%,d long-lived connections over three directors, \
                        a fourth real server added to every director's service, then kill -9 of one daemon; \
                        connections on the directors: %d, %d and %d):

                        | connection sync between the directors | route withdrawn | connections broken |
                        |---|---|---|
                        | none | %d ms | %d of %,d |
                        | every director master and backup | %d ms | %d of %,d |
                        """, connections, without.shares[0], without.shares[1], without.shares[2],
                without.withdrawn.toMillis(), without.lost, connections, with.withdrawn.toMillis(), with.lost,
                connections);
    }

    private record Round(long[] shares, Duration withdrawn, int lost) {}

    private static Round round(TierTopology tier, List<JlvsDirector> directors, int connections, int port,
                               String name, boolean synced) {
        SetupMeasurer.progress("tier: " + connections + " connections, a server added, one director killed ("
                + (synced ? "with" : "without") + " sync)");
        Path control;
        try {
            control = Files.createDirectories(tier.processes().logDirectory().resolve("tier-probe-" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BackgroundProcess probe = ServerLauncher.startJava(tier.processes(), tier.clientNamespace(), "tier-probe-"
                + name, FailoverProbe.class, TierTopology.VIP, Integer.toString(port), Integer.toString(port),
                Integer.toString(connections), control.toString());
        try {
            probe.awaitLogLine("READY", Duration.ofSeconds(180));
            long[] onDirector = new long[3];
            // Each connection in one table; with sync, every connection in every table.
            long wanted = synced ? 3L * connections : connections;
            Conditions.await("the probe's connections in the directors' tables", Duration.ofSeconds(60), () -> {
                for (int d = 0; d < 3; d++) onDirector[d] = established(directors.get(d), port);
                return onDirector[0] + onDirector[1] + onDirector[2] >= wanted;
            });
            String fourth = tier.serverAddresses().get(3) + ":" + port;
            for (JlvsDirector d : directors) d.admOrThrow("-a", "-t", service(port), "-r", fourth, "-g", "-w", "1");
            directors.get(1).kill();
            Duration withdrawn = tier.awaitNextHops(List.of(1, 3), BGP);
            return new Round(onDirector, withdrawn, check(probe, control, 1));
        } finally {
            probe.stop(Duration.ofSeconds(2));
        }
    }

    /** The killed director's daemon started again, without its saved state, with the tier's services. */
    private static JlvsDirector restart(JlvsDirector killed, String serverRules) {
        killed.forgetSavedState();
        JlvsDirector again = killed.startAgain(2, START);
        again.admOrThrow("--sysctl", "sloppy_tcp=1");
        again.restore(serverRules);
        return again;
    }

    private static String service(int port) { return TierTopology.VIP + ":" + port; }

    /** The director's ESTABLISHED connections to the port (its own and, with sync, the others'). */
    private static long established(JlvsDirector director, int port) {
        String vip = TierTopology.VIP + ":" + port;
        return director.admOrThrow("-L", "-n", "-c").lines()
                .filter(l -> l.contains("ESTABLISHED") && l.contains(vip)).count();
    }

    private static int check(BackgroundProcess probe, Path control, int k) {
        try {
            Files.writeString(control.resolve("check-" + k), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "CHECK " + k + " LOST ";
        Conditions.await("connection check " + k, Duration.ofSeconds(60),
                () -> probe.logText().lines().anyMatch(l -> l.startsWith(prefix)));
        return Integer.parseInt(probe.logText().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
                .substring(prefix.length()).trim());
    }
}
