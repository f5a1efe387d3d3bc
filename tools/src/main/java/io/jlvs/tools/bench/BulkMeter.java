package io.jlvs.tools.bench;

import io.jlvs.tools.netns.LvsTopology;

import java.time.Duration;
import java.util.List;

/**
 * One large download through a proxy: curl in the client namespace fetches /bytes/N into /dev/null, and the proxy's
 * CPU time and the machine's are read before and after, so each is reported per GiB relayed.
 */
final class BulkMeter {
    private static final double GIB = 1L << 30;
    private static final double MIB = 1L << 20;

    /**
     * MiB/s as curl saw it; the proxy process's CPU seconds per GiB; the whole machine's busy CPU seconds per GiB
     * (client, servers and proxy alike, as the namespaces share one kernel) and of those the softirq seconds.
     */
    record BulkFigures(double mibPerSecond, double processCpuPerGib, double machineCpuPerGib, double softirqPerGib) {
        static final BulkFigures NOT_MEASURED = new BulkFigures(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private final LvsTopology topology;
    private final long bytes;

    BulkMeter(LvsTopology topology, long bytes) {
        this.topology = topology;
        this.bytes = bytes;
    }

    long bytes() {
        return bytes;
    }

    /** Downloads through {@code baseUrl} (e.g. http://10.0.0.1:8080) while counting {@code proxyPid}'s CPU. */
    BulkFigures measure(String baseUrl, long proxyPid) {
        double processBefore = proxyPid < 0 ? 0 : CpuTime.process(proxyPid);
        CpuTime.Machine machineBefore = CpuTime.machine();
        String[] out = download(topology.clientNamespace(), baseUrl);
        CpuTime.Machine machine = CpuTime.machine().minus(machineBefore);
        double process = proxyPid < 0 ? Double.NaN : CpuTime.process(proxyPid) - processBefore;
        double gib = bytes / GIB;
        return new BulkFigures(bytes / MIB / Double.parseDouble(out[1]), process / gib, machine.busySeconds() / gib,
                machine.softirqSeconds() / gib);
    }

    /** MiB/s of the same download straight from a server, from {@code namespace}: what the server can send. */
    double direct(String namespace, String baseUrl) {
        return bytes / MIB / Double.parseDouble(download(namespace, baseUrl)[1]);
    }

    /** curl's bytes received and seconds taken; throws when it got less than asked for. */
    private String[] download(String namespace, String baseUrl) {
        List<String> command = List.of("curl", "-s", "-o", "/dev/null", "-w", "%{size_download} %{time_total} %{http_code}",
                baseUrl + "/bytes/" + bytes);
        String[] out = topology.processes().run(namespace, command, Duration.ofMinutes(5)).stdoutOrThrow().trim().split(" ");
        if (Long.parseLong(out[0]) != bytes || !out[2].equals("200")) {
            throw new IllegalStateException("bulk download got " + out[0] + " of " + bytes + " bytes, status " + out[2]);
        }
        return out;
    }
}
