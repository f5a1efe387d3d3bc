package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwarding rate while the operator lists a full connection table: jlvs NAT (AF_PACKET) gets its table
 * filled with UDP connections from many client addresses, then the 64-byte flood of {@link UdpFloodMeter} is
 * measured in turn alone, while a loop runs {@code jlvsadm -L -n -c > /dev/null} back to back, and while a loop runs
 * {@code jlvsadm -L -n} (the control: the same JVM starts without the table).
 */
final class ListingUnderLoadBenchmark {
    static final int DEFAULT_CONNECTIONS = 1_000_000;
    /** The fill's clients: 10.9.0.0/16, routed back to the client by the director's kernel routing table. */
    static final String FILL_CLIENTS = "10.9.0.0/16";
    /** Near jlvs's rate of new flows on this loaded machine (it created about half at this rate); repeats fill the rest. */
    private static final String FILL_RATE = "20000pps";
    private static final int FILL_PASSES = 5;
    private static final int ROUNDS = 3;

    private ListingUnderLoadBenchmark() {
    }

    /** Runs the whole measurement in its own namespaces ({@code prefix}list-*) and returns the report text. */
    static String run(String prefix, int servers, Duration window, int target) {
        SetupMeasurer.progress("building the NAT topology for the listing benchmark (namespaces " + prefix + "list-*)");
        try (LvsTopology topology = LvsTopology.nat(prefix + "list", servers);
             JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(90))) {
            director.restore(ServiceRules.service(topology, "-u", UdpFloodMeter.DISCARD_PORT, "-m"));
            topology.network().addRoute(topology.directorNamespace(), FILL_CLIENTS, topology.clientAddress());
            long filled = fill(topology, director, target);
            long started = System.nanoTime();
            long listed = listedLines(topology, director);
            double listSeconds = (System.nanoTime() - started) / 1e9;
            SetupMeasurer.progress(String.format("table holds %d connections; `-L -n -c` printed %d lines in %.1f s",
                    filled, listed, listSeconds));

            UdpFloodMeter flood = new UdpFloodMeter(topology);
            List<Double> alone = new ArrayList<>();
            List<Double> listing = new ArrayList<>();
            List<Double> control = new ArrayList<>();
            List<Double> listingsCompleted = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                alone.add(flood.measure(false, Duration.ofSeconds(1), window));
                listing.add(underLoop(flood, window, startAdmLoop(topology, director, "listing-loop-" + round,
                        "-L -n -c"), listingsCompleted));
                control.add(underLoop(flood, window, startAdmLoop(topology, director, "control-loop-" + round,
                        "-L -n"), new ArrayList<>()));
                SetupMeasurer.progress(String.format("  round %d: %.0f pkt/s alone, %.0f pkt/s while listing, "
                        + "%.0f pkt/s while listing services only", round, alone.getLast(), listing.getLast(), control.getLast()));
            }
            long remaining = connectionCount(director);
            double ratio = Samples.median(listing) / Samples.median(alone);
            StringBuilder out = new StringBuilder();
            out.append(String.format("%nListing under load (jlvs NAT afpacket, %d connections in the table, %d at the end)%n",
                    filled, remaining));
            out.append(String.format("one `jlvsadm -L -n -c`: %d lines in %.1f s%n", listed, listSeconds));
            out.append(String.format("UDP 64B pkt/s alone:          %s  median %.0f%n", Samples.figures(alone), Samples.median(alone)));
            out.append(String.format("UDP 64B pkt/s while listing:  %s  median %.0f%n", Samples.figures(listing), Samples.median(listing)));
            out.append(String.format("UDP 64B pkt/s while `-L -n` loops (control: jlvsadm's JVM starts, no table):  %s  median %.0f%n",
                    Samples.figures(control), Samples.median(control)));
            out.append(String.format("listings completed in each round (%d s of flood): %s%n", window.toSeconds() + 1, Samples.figures(listingsCompleted)));
            out.append(String.format("ratio (medians): %.2f (target >= 0.90: %s); control loop's ratio %.2f%n", ratio,
                    ratio >= 0.90 ? "met" : "missed", Samples.median(control) / Samples.median(alone)));
            return out.toString();
        }
    }

    /**
     * Sends the fill flood until the table holds the target or {@link #FILL_PASSES} passes are done. Every pass sends
     * the same {@code target} distinct flows (source address 10.9.b.c and port 0x10pp, three counters whose periods
     * 255, 254 and 253 are pairwise coprime, so the first 16.4 million packets are all different flows); a repeat
     * pass creates only the flows the director dropped before and refreshes the others.
     */
    private static long fill(LvsTopology topology, JlvsDirector director, int target) {
        Path config = writeFillConfig(topology);
        long count = 0;
        for (int pass = 1; pass <= FILL_PASSES && count < target * 0.99; pass++) {
            long started = System.nanoTime();
            topology.processes().run(topology.clientNamespace(), List.of(UdpFloodMeter.TRAFGEN, "--dev",
                    topology.clientInterface(), "--conf", config.toString(), "-P", "1", "--no-sock-mem",
                    "--notouch-irq", "-C", "--num", Integer.toString(target), "--rate", FILL_RATE, "-q"),
                    Duration.ofMinutes(10)).stdoutOrThrow();
            count = connectionCount(director);
            SetupMeasurer.progress(String.format("fill pass %d: %d connections after %.1f s", pass, count,
                    (System.nanoTime() - started) / 1e9));
        }
        return count;
    }

    private static Path writeFillConfig(LvsTopology topology) {
        String clientMac = topology.network().macAddress(topology.clientNamespace(), topology.clientInterface());
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        String frame = "{\n"
                + "  " + UdpFloodMeter.mac(directorMac) + ",\n"
                + "  " + UdpFloodMeter.mac(clientMac) + ",\n"
                + "  c16(0x0800),\n"
                + "  0x45, 0x00, c16(46), c16(0), c16(0x4000), 64, 17, csumip(14, 33),\n"
                + "  10, 9, dinc(0, 254), dinc(1, 254),\n"
                + "  " + UdpFloodMeter.octets(topology.vip(), 4) + ",\n"
                + "  0x10, dinc(0, 252), c16(" + UdpFloodMeter.DISCARD_PORT + "), c16(26), c16(0),\n"
                + "  fill(0x6a, 18)\n"
                + "}\n";
        try {
            return Files.writeString(topology.processes().logDirectory().resolve("fill.trafgen"), frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connections in the table: the ActiveConn and InActConn columns of `jlvsadm -L -n`, summed over servers. */
    static long connectionCount(JlvsDirector director) {
        long sum = 0;
        for (String line : director.admOrThrow("-L", "-n").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("->") && f[f.length - 1].matches("\\d+") && f[f.length - 2].matches("\\d+")) {
                sum += Long.parseLong(f[f.length - 1]) + Long.parseLong(f[f.length - 2]);
            }
        }
        return sum;
    }

    private static long listedLines(LvsTopology topology, JlvsDirector director) {
        String out = topology.processes().run(topology.directorNamespace(), List.of("sh", "-c",
                "\"$0\" --control \"$1\" -L -n -c | wc -l", admPath(director), director.controlSocket().toString()),
                Duration.ofMinutes(5)).stdoutOrThrow().strip();
        return Long.parseLong(out);
    }

    /** Measures the flood while {@code loop} runs, then stops it and adds how many commands it completed. */
    private static double underLoop(UdpFloodMeter flood, Duration window, BackgroundProcess loop, List<Double> completed) {
        try {
            return flood.measure(false, Duration.ofSeconds(1), window);
        } finally {
            loop.stop(Duration.ofSeconds(2));
            completed.add((double) completedListings(loop));
        }
    }

    /**
     * {@code jlvsadm ARGS > /dev/null} back to back in the director namespace; prints one line per completed run.
     * The control loop ({@code -L -n}: services only) costs the same JVM starts without walking the table, which
     * separates the listing's own cost from what any jlvsadm command costs on a 2-core machine.
     */
    private static BackgroundProcess startAdmLoop(LvsTopology topology, JlvsDirector director, String label, String args) {
        return topology.processes().start(topology.directorNamespace(), label, List.of("sh", "-c",
                "while :; do \"$0\" --control \"$1\" " + args + " > /dev/null && echo listed; done",
                admPath(director), director.controlSocket().toString()));
    }

    private static long completedListings(BackgroundProcess loop) {
        return loop.logText().lines().filter(l -> l.equals("listed")).count();
    }

    private static String admPath(JlvsDirector director) {
        return director.home().resolve("bin/jlvsadm").toString();
    }
}
