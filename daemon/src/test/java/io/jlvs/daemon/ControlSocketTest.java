package io.jlvs.daemon;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.AdmHarness;
import io.jlvs.control.ControlClient;
import io.jlvs.control.ControlPaths;
import io.jlvs.control.FakeDirectorRuntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server and client in one JVM over a socket in a temp directory. */
class ControlSocketTest {
    @TempDir
    Path tmp;

    private static final class Captured {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;

        String out() { return out.toString(StandardCharsets.UTF_8); }

        String err() { return err.toString(StandardCharsets.UTF_8); }
    }

    private static Captured call(Path sock, String stdin, String... argv) {
        Captured c = new Captured();
        c.code = ControlClient.run(sock, argv, stdin == null ? null : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(c.out, true, StandardCharsets.UTF_8), new PrintStream(c.err, true, StandardCharsets.UTF_8));
        return c;
    }

    @Test
    void commandsRestoreErrorsAndExitCodesCrossTheSocket() throws Exception {
        Path sock = tmp.resolve("run/jlvs/jlvs.sock");
        FakeDirectorRuntime rt = new FakeDirectorRuntime();
        try (ControlServer server = new ControlServer(sock, new AdmExecutor(rt, new AdmHarness.FixedNames()))) {
            server.start();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())));

            Captured r = call(sock, "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.1.1.1 -m\n", "-R");
            assertEquals(0, r.code, r.err());
            Captured s = call(sock, null, "-S", "-n");
            assertEquals("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.1.1.1:80 -m -w 1\n", s.out());
            Captured dup = call(sock, null, "-A", "-t", "10.0.0.1:80");
            assertEquals(255, dup.code);
            assertEquals("Service already exists\n", dup.err());
            assertEquals("", dup.out());
        }
        assertTrue(Files.notExists(sock), "close removes the socket file");
    }

    @Test
    void largeConnectionListingStreams() throws Exception {
        Path sock = tmp.resolve("jlvs.sock");
        FakeDirectorRuntime rt = new FakeDirectorRuntime();
        rt.syntheticConnections = 100_000;
        try (ControlServer server = new ControlServer(sock, new AdmExecutor(rt))) {
            server.start();
            Captured c = call(sock, null, "-L", "-n", "-c");
            assertEquals(0, c.code, c.err());
            assertEquals(100_000 + 2, c.out().lines().count());
            StringBuilder inProcess = new StringBuilder();
            assertEquals(0, new AdmExecutor(rt).execute(new String[] {"-L", "-n", "-c"}, inProcess, new StringBuilder()));
            assertEquals(inProcess.toString(), c.out(), "every line arrives intact and in order");
        }
    }

    @Test
    void staleSocketFileIsReplacedButALiveOneIsNot() throws Exception {
        Path sock = tmp.resolve("jlvs.sock");
        Files.createFile(sock);   // stale leftover: nothing listens
        try (ControlServer first = new ControlServer(sock, new AdmExecutor(new FakeDirectorRuntime()))) {
            first.start();
            ControlServer second = new ControlServer(sock, new AdmExecutor(new FakeDirectorRuntime()));
            assertThrows(FileAlreadyExistsException.class, second::start);
            assertEquals(0, call(sock, null, "-L", "-n").code, "the first server still answers");
        }
    }

    @Test
    void unreachableDaemonNamesTheSocket() {
        Path sock = tmp.resolve("nobody.sock");
        Captured c = call(sock, null, "-L", "-n");
        assertEquals(1, c.code);
        assertTrue(c.err().startsWith("jlvsadm: cannot reach jlvs at " + sock + ": is `jlvs daemon` running?"), c.err());
    }

    @Test
    void controlPathPrecedence() {
        assertEquals(Path.of("/x/y.sock"), ControlPaths.resolve("/x/y.sock"));
        Path fallback = ControlPaths.resolve(null);
        String env = System.getenv(ControlPaths.ENV);
        assertEquals(env == null || env.isEmpty() ? Path.of(ControlPaths.DEFAULT) : Path.of(env), fallback);
    }
}
