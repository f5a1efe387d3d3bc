package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.ClientSeat;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.LvsTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Steady load from the client namespace: batches of curl requests to VIP:port, a new connection each, until
 * stopped; every answer and the end of every batch are appended to a file, so a test counts the requests that
 * failed at any moment of the run.
 */
final class RequestLoop implements AutoCloseable {
    static final int URLS_PER_BATCH = 10;

    private final Path stop;
    private final Path answers;
    private final BackgroundProcess process;

    private RequestLoop(Path stop, Path answers, BackgroundProcess process) {
        this.stop = stop;
        this.answers = answers;
        this.process = process;
    }

    static RequestLoop start(LvsTopology topology, String name, int port) {
        return start(topology.clientSeat(), name, port);
    }

    static RequestLoop start(ClientSeat client, String name, int port) {
        Path stop = client.processes().logDirectory().resolve(name + "-stop");
        Path answers = client.processes().logDirectory().resolve(name + "-answers");
        StringBuilder config = new StringBuilder("silent\nshow-error\nmax-time = 5\nconnect-timeout = 3\nhttp1.0\n");
        for (int i = 0; i < URLS_PER_BATCH; i++) {
            config.append("url = \"http://").append(client.vip()).append(':').append(port).append("/\"\n");
        }
        Path file = ClientRequests.write(client.processes(), name + "-curl", config.toString().getBytes());
        String script = "while [ ! -e \"$0\" ]; do curl --config \"$1\" >> \"$2\"; echo BATCH >> \"$2\"; done";
        BackgroundProcess process = client.processes().start(client.namespace(), name,
                List.of("sh", "-c", script, stop.toString(), file.toString(), answers.toString()));
        return new RequestLoop(stop, answers, process);
    }

    /** What the loop has seen so far, from its complete lines only (it may be writing the last one). */
    Outcome outcome() {
        try {
            String text = Files.exists(answers) ? Files.readString(answers) : "";
            return Outcome.parse(text.substring(0, text.lastIndexOf('\n') + 1).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the loop has completed {@code more} batches beyond those done now; returns the outcome then. */
    Outcome awaitMoreBatches(int more) {
        int target = outcome().batches() + more;
        Conditions.await(more + " more batches of the request loop (" + target + " in all)", Duration.ofSeconds(60),
                () -> {
                    if (!process.isAlive()) throw process.failure("stopped before the stop file");
                    return outcome().batches() >= target;
                });
        return outcome();
    }

    /** Stops the loop after its current batch and returns the whole outcome. */
    Outcome finish() {
        try {
            Files.writeString(stop, "stop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Conditions.holdsWithin(Duration.ofSeconds(30), () -> !process.isAlive())) {
            throw new AssertionError("the request loop did not stop");
        }
        return outcome();
    }

    String logTail() {
        return process.logTail(20);
    }

    @Override
    public void close() {
        if (process.isAlive()) finish();
    }

    /** Batches done, requests answered, answers per server. */
    record Outcome(int batches, int replies, Map<String, Integer> perServer) {
        int failures() { return batches * URLS_PER_BATCH - replies; }

        /** The requests that failed since an earlier outcome of the same loop (taken at a batch boundary). */
        int failuresSince(Outcome earlier) {
            return (batches - earlier.batches) * URLS_PER_BATCH - (replies - earlier.replies);
        }

        /** Answers per server since an earlier outcome of the same loop. */
        Map<String, Integer> perServerSince(Outcome earlier) {
            Map<String, Integer> since = new TreeMap<>();
            perServer.forEach((server, n) -> {
                int d = n - earlier.perServer.getOrDefault(server, 0);
                if (d > 0) since.put(server, d);
            });
            return since;
        }

        /** Counts complete batches only, so that outcomes taken at any moment compare batch for batch. */
        static Outcome parse(List<String> lines) {
            int batches = 0, replies = 0;
            Map<String, Integer> perServer = new TreeMap<>();
            Map<String, Integer> pending = new TreeMap<>();
            for (String line : lines) {
                if (line.equals("BATCH")) {
                    batches++;
                    for (Map.Entry<String, Integer> e : pending.entrySet()) {
                        replies += e.getValue();
                        perServer.merge(e.getKey(), e.getValue(), Integer::sum);
                    }
                    pending.clear();
                } else if (line.startsWith("server=")) {
                    pending.merge(HttpIdentityServer.Reply.parse(line).server(), 1, Integer::sum);
                }
            }
            return new Outcome(batches, replies, perServer);
        }
    }
}
