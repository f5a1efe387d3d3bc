package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.config.Script;
import io.jlvs.health.script.ProcessScriptRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.jlvs.health.check.CheckerTestSupport.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MISC_CHECK through the process runner, and FILE_CHECK. */
class ScriptAndFileCheckersTest {
    private static ProcessScriptRunner scripts;
    private static NettyCheckers checkers;

    @BeforeAll
    static void start() {
        scripts = new ProcessScriptRunner(null);
        checkers = CheckerTestSupport.newCheckers(scripts);
    }

    @AfterAll
    static void stop() {
        checkers.close();
        scripts.close();
    }

    private static CheckerSpec.Misc misc(String code, boolean dynamic, double timeout) {
        Script script = new Script("sh -c '" + code + "'", List.of("sh", "-c", code), null);
        return new CheckerSpec.Misc(Specs.SOURCE, Specs.timing(timeout), script, dynamic);
    }

    @Test
    void miscExitCodes() throws Exception {
        CheckResult up = check(checkers, misc("exit 0", false, 5), null);
        assertEquals(new CheckResult(true, "exit code 0", up.elapsedNanos(), -1), up);
        CheckResult down = check(checkers, misc("exit 1", true, 5), null);
        assertFalse(down.up());
        assertEquals("exit code 1", down.reason());
        CheckResult dynamic = check(checkers, misc("exit 7", true, 5), null);
        assertEquals(new CheckResult(true, "exit code 7 (weight 5)", dynamic.elapsedNanos(), 5), dynamic);
        assertEquals("exit code 7", check(checkers, misc("exit 7", false, 5), null).reason());
    }

    @Test
    void miscOverrunIsKilled() throws Exception {
        CheckResult result = check(checkers, misc("sleep 30", false, 1), null);
        assertFalse(result.up());
        assertEquals("killed after 1.0 s", result.reason());
    }

    private static CheckerSpec.File file(Path path, int weight) {
        return new CheckerSpec.File(Specs.SOURCE, Specs.timing(1), "tracked", path, weight);
    }

    @Test
    void fileWithoutWeightIsUpOnZero(@TempDir Path dir) throws Exception {
        Path tracked = dir.resolve("tracked");
        Files.writeString(tracked, "0\n");
        assertTrue(check(checkers, file(tracked, 0), null).up());
        Files.writeString(tracked, "3\n");
        assertEquals("value 3", check(checkers, file(tracked, 0), null).reason());
        Files.writeString(tracked, "not a number");
        assertEquals("no number in " + tracked, check(checkers, file(tracked, 0), null).reason());
        assertFalse(check(checkers, file(dir.resolve("missing"), 0), null).up());
    }

    @Test
    void fileWithWeightSetsTheWeight(@TempDir Path dir) throws Exception {
        Path tracked = dir.resolve("tracked");
        Files.writeString(tracked, "4");
        CheckResult result = check(checkers, file(tracked, 5), null);
        assertEquals(new CheckResult(true, "value 4 gives weight 20", result.elapsedNanos(), 20), result);
        Files.writeString(tracked, "-1");
        assertFalse(check(checkers, file(tracked, 5), null).up());
    }
}
