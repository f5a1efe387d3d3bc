package io.jlvs.health.script;

import io.jlvs.health.config.Script;
import io.jlvs.health.script.ScriptRunner.ScriptOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessScriptRunnerTest {
    private static ProcessScriptRunner runner;

    @BeforeAll
    static void start() { runner = new ProcessScriptRunner(null); }

    @AfterAll
    static void stop() { runner.close(); }

    static Script sh(String code, String user) {
        return new Script("sh -c '" + code + "'", List.of("sh", "-c", code, "script"), user);
    }

    private static ScriptOutcome run(Script script, List<String> args, Duration timeout) throws Exception {
        return runner.run(script, args, timeout).get(20, TimeUnit.SECONDS);
    }

    @Test
    void exitCodesAndArgs() throws Exception {
        assertEquals(new ScriptOutcome(0, false, null), run(sh("exit 0", null), List.of(), null));
        assertEquals(new ScriptOutcome(7, false, null), run(sh("exit 7", null), List.of(), Duration.ofSeconds(5)));
        assertEquals(new ScriptOutcome(3, false, null), run(sh("exit $#", null), List.of("a", "b", "c"), null));
    }

    @Test
    void aScriptThatCannotStartCompletesWithItsError() throws Exception {
        ScriptOutcome outcome = run(new Script("/nonexistent/script", List.of("/nonexistent/script"), null),
                List.of(), null);
        assertFalse(outcome.timedOut());
        // setsid runs first: a missing script is then setsid's exit code 127 rather than a start error
        assertTrue(outcome.exitCode() == 127 || outcome.error() != null, outcome.toString());
    }

    @Test
    void anOverrunningScriptIsKilledWithItsChildren(@TempDir Path dir) throws Exception {
        Path childPid = dir.resolve("child.pid");
        long start = System.nanoTime();
        ScriptOutcome outcome = run(sh("sleep 300 & echo $! > " + childPid + "; wait", null), List.of(),
                Duration.ofMillis(700));
        long elapsed = System.nanoTime() - start;
        assertEquals(new ScriptOutcome(-1, true, null), outcome);
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(3), "killed promptly: " + elapsed);
        long pid = Long.parseLong(Files.readString(childPid).strip());
        var child = ProcessHandle.of(pid);
        if (child.isPresent()) child.get().onExit().get(5, TimeUnit.SECONDS); // the group's SIGKILL reached it
    }

    @Test
    void runsAsTheScriptsUser() throws Exception {
        assertEquals(0, run(sh("test \"$(id -u)\" = 65534", "nobody"), List.of(), null).exitCode());
        assertEquals(0, run(sh("test \"$(id -u)\" = 0", null), List.of(), null).exitCode());
        ScriptOutcome defaultUser;
        try (ProcessScriptRunner asNobody = new ProcessScriptRunner("nobody")) {
            defaultUser = asNobody.run(sh("test \"$(id -u)\" = 65534", null), List.of(), null).get(20, TimeUnit.SECONDS);
        }
        assertNotNull(defaultUser);
        assertEquals(0, defaultUser.exitCode());
    }
}
