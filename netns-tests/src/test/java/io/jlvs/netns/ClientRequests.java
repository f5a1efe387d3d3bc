package io.jlvs.netns;

import io.jlvs.tools.netns.ClientSeat;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ProcessRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP from the client namespace with curl: one curl process for a whole batch (a JVM or a shell loop per request
 * would dominate the run time on a shared two-core machine), a new TCP connection per request.
 */
final class ClientRequests {
    private static final AtomicInteger FILES = new AtomicInteger();

    private ClientRequests() {
    }

    /** The answers of one batch: the parsed replies in order, and what curl said about the ones it did not get. */
    record Batch(List<HttpIdentityServer.Reply> replies, CommandResult curl) {
        Map<String, Integer> perServer() {
            Map<String, Integer> counts = new TreeMap<>();
            replies.forEach(r -> counts.merge(r.server(), 1, Integer::sum));
            return counts;
        }

        String describe() {
            return replies.size() + " answers " + perServer() + "; " + curl.describe();
        }

        /** {@link #describe}, then every answer in order as server:client port (to spot one out of turn). */
        String describeInOrder() {
            StringBuilder order = new StringBuilder(describe()).append("\nin order:");
            replies.forEach(r -> order.append(' ').append(r.server()).append(':').append(r.clientPort()));
            return order.toString();
        }
    }

    /**
     * Sends {@code count} GET / requests to VIP:port, a new connection each. HTTP/1.0 without keep-alive: curl
     * then never reuses a connection. (With HTTP/1.1 and "Connection: close", the JDK server's answer does not
     * say close, so curl sends the next request on the connection the server is closing; the server's kernel
     * answers it with a RST and curl retries on a new connection.)
     */
    static Batch get(LvsTopology topology, int port, int count) {
        return get(topology.clientSeat(), port, count);
    }

    static Batch get(ClientSeat client, int port, int count) {
        StringBuilder config = new StringBuilder("silent\nshow-error\nmax-time = 5\nconnect-timeout = 3\n"
                + "http1.0\ngloboff\n");
        String url = "http://" + host(client.vip()) + ":" + port + "/";
        for (int i = 0; i < count; i++) {
            config.append("url = \"").append(url).append("\"\n");
        }
        Path file = write(client.processes(), "curl-" + port, config.toString().getBytes());
        CommandResult curl = client.processes().run(client.namespace(),
                List.of("curl", "--config", file.toString()), Duration.ofSeconds(30 + count / 5));
        List<HttpIdentityServer.Reply> replies = new ArrayList<>();
        for (String line : curl.stdout().split("\n")) {
            if (!line.isBlank()) {
                replies.add(HttpIdentityServer.Reply.parse(line));
            }
        }
        return new Batch(replies, curl);
    }

    /** POSTs {@code body} to VIP:port/echo and returns the answer's bytes. */
    static byte[] echo(LvsTopology topology, int port, byte[] body) {
        return echo(topology, topology.vip(), port, body);
    }

    private static byte[] echo(LvsTopology topology, String host, int port, byte[] body) {
        Path in = write(topology, "echo-in", body);
        Path out = in.resolveSibling(in.getFileName() + ".out");
        // "Expect:" (empty) stops curl from waiting for a 100 Continue before sending a large body.
        topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS", "--max-time", "30",
                        "-g", "-H", "Expect:", "--data-binary", "@" + in, "-o", out.toString(),
                        "http://" + host + ":" + port + "/echo"), ProcessRunner.DEFAULT_TIMEOUT)
                .stdoutOrThrow();
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs {@code body} to [VIP6]:port/echo and returns the answer's bytes. */
    static byte[] echo6(LvsTopology topology, int port, byte[] body) {
        return echo(topology, host(LvsTopology.VIP6), port, body);
    }

    /** An address as a URL's host: IPv6 in brackets. */
    static String host(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    static Path write(LvsTopology topology, String name, byte[] content) {
        return write(topology.processes(), name, content);
    }

    static Path write(ProcessRunner processes, String name, byte[] content) {
        Path file = processes.logDirectory().resolve(name + "-" + FILES.incrementAndGet());
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
