package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.ClientSeat;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.LvsTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A long-lived connection from the client: BYTES POSTed to VIP:port/echo at 20 KiB/s each way, so the upload alone
 * keeps the connection ESTABLISHED for about 20 s; it reports the bytes it sent and got back.
 */
final class SlowUpload {
    static final int BYTES = 400 * 1024;

    private SlowUpload() {}

    static BackgroundProcess start(LvsTopology topology, String name, int port) {
        return start(topology.clientSeat(), name, port);
    }

    static BackgroundProcess start(ClientSeat client, String name, int port) {
        return start(client, name, port, BYTES);
    }

    /** A shorter (or longer) upload of {@code bytes}, at the same rate: about bytes / 20 KiB seconds. */
    static BackgroundProcess start(ClientSeat client, String name, int port, int bytes) {
        Path body = client.processes().logDirectory().resolve(name + "-body");
        try {
            Files.write(body, new byte[bytes]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return client.processes().start(client.namespace(), name, List.of("curl", "-sS",
                "--max-time", "90", "--limit-rate", "20k", "-H", "Expect:", "--data-binary", "@" + body,
                "-o", "/dev/null", "-w", "uploaded %{size_upload} got %{size_download}\\n",
                "http://" + ClientRequests.host(client.vip()) + ":" + port + "/echo"));
    }

    /** Waits for the upload to end and asserts that every byte went and came back. */
    static void awaitFinished(BackgroundProcess upload, Duration timeout) {
        awaitFinished(upload, timeout, BYTES);
    }

    /** As {@link #awaitFinished(BackgroundProcess, Duration)} for an upload of {@code bytes}. */
    static void awaitFinished(BackgroundProcess upload, Duration timeout, int bytes) {
        if (!Conditions.holdsWithin(timeout, () -> !upload.isAlive())) {
            throw new AssertionError(upload + " still running after " + timeout);
        }
        assertTrue(upload.logText().contains("uploaded " + bytes + " got " + bytes),
                "the long connection carried everything: " + upload.logTail(5));
    }
}
