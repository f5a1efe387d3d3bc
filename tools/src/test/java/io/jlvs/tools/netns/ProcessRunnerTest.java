package io.jlvs.tools.netns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessRunnerTest {
    @TempDir
    Path logs;

    @Test
    void closingStopsTheProcessesThenRemovesTheDirectoriesGivenAndKeepsTheLogs() throws IOException {
        Path home = Files.createDirectories(logs.resolve("home-x/tools/target"));
        Files.writeString(home.resolve("jlvs-tools.jar"), "jar");
        Path kept = Files.createDirectories(logs.resolve("home-kept"));
        ProcessRunner runner = new ProcessRunner(logs, Map.of());
        BackgroundProcess sleeper = runner.start(null, "sleeper", List.of("sh", "-c", "echo READY; exec sleep 60"));
        sleeper.awaitLogLine("READY", Duration.ofSeconds(10));
        runner.removeAtClose(logs.resolve("home-x"));

        runner.close();

        assertFalse(sleeper.isAlive(), "the process is stopped");
        assertFalse(Files.exists(logs.resolve("home-x")), "the directory given is removed");
        assertTrue(Files.isDirectory(kept), "another directory stays");
        assertTrue(Files.isRegularFile(logs.resolve("sleeper.log")), "the log stays");
    }
}
