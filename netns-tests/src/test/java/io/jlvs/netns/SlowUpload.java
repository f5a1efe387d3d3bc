package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-lived connection from the client: a chunked POST to VIP:port/echo that sends 2 KiB every 100 ms (about
 * 20 KiB/s) until the test {@linkplain #finish finishes} it, so the connection stays ESTABLISHED and busy for as long
 * as the test needs it, however long a restart or a failover takes; the server then echoes everything back at full
 * speed; the writer reports the bytes it sent, curl those it got.
 */
final class SlowUpload {
    private static final int CHUNK = 2048;
    private static final Pattern SENT = Pattern.compile("sent (\\d+) bytes");
    private static final Pattern GOT = Pattern.compile("got (\\d+) bytes");
    // $0: the file whose existence ends the upload; $1: the URL. The writer counts the body's bytes (curl's upload
    // size counts the chunked encoding's framing too).
    private static final String SCRIPT = "{ n=0; while [ ! -e \"$0\" ]; do head -c " + CHUNK + " /dev/zero || exit 1;"
            + " n=$((n + 1)); sleep 0.1; done; echo \"sent $((n * " + CHUNK + ")) bytes\" >&2; }"
            + " | curl -sS --max-time 300 -X POST -T - -H 'Expect:' -o /dev/null -w 'got %{size_download} bytes\\n' \"$1\"";

    private final Path end;
    private final BackgroundProcess process;

    private SlowUpload(Path end, BackgroundProcess process) {
        this.end = end;
        this.process = process;
    }

    static SlowUpload start(LvsTopology topology, String name, int port) {
        return start(topology.clientSeat(), name, port);
    }

    static SlowUpload start(ClientSeat client, String name, int port) {
        Path end = client.processes().logDirectory().resolve(name + "-end");
        String url = "http://" + ClientRequests.host(client.vip()) + ":" + port + "/echo";
        return new SlowUpload(end, client.processes().start(client.namespace(), name,
                List.of("sh", "-c", SCRIPT, end.toString(), url)));
    }

    /** Whether the upload still runs (it does until {@link #finish} unless its connection failed). */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the upload, waits for the echo, and asserts that every byte sent came back. */
    void finish(Duration timeout) {
        try {
            Files.writeString(end, "end");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Conditions.holdsWithin(timeout, () -> !process.isAlive())) {
            throw new AssertionError(process + " still running " + timeout + " after its end: " + process.logTail(5));
        }
        String log = process.logText();
        Matcher sent = SENT.matcher(log);
        Matcher got = GOT.matcher(log);
        assertTrue(sent.find() && got.find(), "the long connection's report: " + process.logTail(5));
        assertTrue(Long.parseLong(sent.group(1)) > 0, "the long connection sent nothing: " + process.logTail(5));
        assertEquals(sent.group(1), got.group(1), "the long connection carried everything: " + process.logTail(5));
    }

    /** {@link #finish} for each upload. */
    static void finishAll(List<SlowUpload> uploads, Duration timeout) {
        for (SlowUpload upload : uploads) upload.finish(timeout);
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
