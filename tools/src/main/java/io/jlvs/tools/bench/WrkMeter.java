package io.jlvs.tools.bench;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.ExternalProgram;
import io.jlvs.tools.netns.LvsTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk from the client namespace and reads requests per second, latency percentiles and errors. */
final class WrkMeter {
    static final String WRK = "/usr/bin/wrk";
    static final ExternalProgram WRK_PROGRAM = new ExternalProgram(WRK, "wrk");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** Requests per second, p50 and p99 latency in milliseconds, and failed requests (socket errors, non-2xx). */
    record HttpFigures(double requestsPerSecond, double p50Millis, double p99Millis, long errors) {
    }

    private final LvsTopology topology;
    private final int connections;
    private final int threads;

    WrkMeter(LvsTopology topology, int connections) {
        this(topology, connections, 1);
    }

    /**
     * {@code threads} wrk threads for a single-URL target, the connections rounded up to a multiple of them: one
     * thread (the default) is itself a limit when a path adds little latency, since its event loop shares the
     * machine's cores with the servers.
     */
    WrkMeter(LvsTopology topology, int connections, int threads) {
        if (threads < 1) throw new IllegalArgumentException("wrk threads must be at least 1: " + threads);
        this.topology = topology;
        this.connections = connections;
        this.threads = threads;
    }

    /**
     * What wrk requests: one URL, or the same path on several servers' own addresses with one wrk thread per
     * server, so a client that addresses the servers itself loads them all as a balancer would (wrk binds each
     * thread's connections to one address; {@link #spreadScript} gives thread k server k).
     */
    record Target(String url, List<String> spreadOver, int port) {
        static Target of(String url) {
            return new Target(url, List.of(), 0);
        }

        static Target spread(List<String> hosts, int port) {
            return new Target("http://" + hosts.getFirst() + ":" + port + "/", List.copyOf(hosts), port);
        }
    }

    HttpFigures measure(String url, boolean newConnectionPerRequest, Duration duration) {
        return measure(Target.of(url), newConnectionPerRequest, duration);
    }

    /**
     * A spread target runs one thread per server and rounds the connections up to a multiple of the servers
     * (32 over 3 servers: 33), so it never has fewer requests in flight than the single-URL rows.
     */
    HttpFigures measure(Target target, boolean newConnectionPerRequest, Duration duration) {
        List<String> command;
        if (target.spreadOver().isEmpty()) {
            command = command(target.url(), threads, roundUp(connections, threads), newConnectionPerRequest, duration,
                    List.of());
        } else {
            int perServer = target.spreadOver().size();
            command = command(target.url(), perServer, roundUp(connections, perServer), newConnectionPerRequest, duration,
                    List.of("-s", spreadScript(target).toString()));
        }
        CommandResult result = topology.processes().run(topology.clientNamespace(), command, duration.plusSeconds(15));
        keepOutput(String.join(" ", command), result.stdout());
        return parse(result.stdoutOrThrow(), newConnectionPerRequest);
    }

    private static int roundUp(int connections, int threads) {
        return (connections + threads - 1) / threads * threads;
    }

    /** wrk with one thread, {@code connections} in flight and its latency report, for {@code duration}. */
    static List<String> command(String url, int connections, boolean newConnectionPerRequest, Duration duration) {
        return command(url, 1, connections, newConnectionPerRequest, duration, List.of());
    }

    private static List<String> command(String url, int threads, int connections, boolean newConnectionPerRequest,
                                        Duration duration, List<String> options) {
        List<String> command = new ArrayList<>(List.of(WRK, "-t", Integer.toString(threads), "-c", Integer.toString(connections),
                "-d", duration.toSeconds() + "s", "--timeout", "2s", "--latency"));
        if (newConnectionPerRequest) {
            command.addAll(List.of("-H", "Connection: close"));
        }
        command.addAll(options);
        command.add(url);
        return command;
    }

    /** The wrk Lua script that points thread k at server k (setup() runs once per thread, in order). */
    private Path spreadScript(Target target) {
        StringBuilder hosts = new StringBuilder();
        for (String host : target.spreadOver()) hosts.append(hosts.isEmpty() ? "" : ", ").append('"').append(host).append('"');
        String script = "local hosts = {" + hosts + "}\n"
                + "local next = 0\n"
                + "function setup(thread)\n"
                + "  next = next + 1\n"
                + "  thread.addr = wrk.lookup(hosts[next], \"" + target.port() + "\")[1]\n"
                + "end\n";
        try {
            return Files.writeString(topology.processes().logDirectory().resolve("wrk-spread.lua"), script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends wrk's full report to wrk.log in the run's log folder, for a reader who doubts a figure. */
    private void keepOutput(String command, String output) {
        try {
            Files.writeString(topology.processes().logDirectory().resolve("wrk.log"),
                    "$ " + command + "\n" + output + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The log is a convenience; the figures are already parsed.
        }
    }

    /**
     * @param serverCloses the server closes after each response (Connection: close); wrk then counts every close as
     *                     a read error, so read errors are not failures in that mode
     */
    static HttpFigures parse(String output, boolean serverCloses) {
        Matcher rate = RATE.matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("no Requests/sec in wrk output:\n" + output);
        }
        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += g == 2 && serverCloses ? 0 : Long.parseLong(socket.group(g));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        return new HttpFigures(Double.parseDouble(rate.group(1)), percentile(output, "50%"), percentile(output, "99%"), errors);
    }

    /** Reads a line of wrk's latency distribution, e.g. "     99%    4.56ms", and converts it to milliseconds. */
    private static double percentile(String output, String label) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE)
                .matcher(output);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            default -> value * 60_000;
        };
    }
}
