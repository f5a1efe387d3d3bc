package io.jlvs.health.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.health.check.CheckResult;
import io.jlvs.health.check.Checker;
import io.jlvs.health.config.CheckEndpoint;
import io.jlvs.health.config.CheckTiming;
import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.config.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ServerWatchTest {
    /** delay_loop 5 s, retry 1 one second after a failure. */
    private static final CheckerSpec TCP = new CheckerSpec.Tcp(new Source(Path.of("test"), 1), CheckEndpoint.DEFAULT,
            new CheckTiming(Duration.ofSeconds(5), Duration.ofSeconds(3), 1, Duration.ofSeconds(1), Duration.ZERO,
                    false));

    private static final CheckerSpec NO_RETRY = new CheckerSpec.Tcp(new Source(Path.of("test"), 1),
            CheckEndpoint.DEFAULT, new CheckTiming(Duration.ofSeconds(5), Duration.ofSeconds(3), 0,
                    Duration.ofSeconds(1), Duration.ZERO, false));

    @Test
    void downAfterRetryPlusOneFailuresAndUpAtTheFirstPass() {
        ManualScheduler loop = new ManualScheduler();
        HealthEngineTest.FakeChecker checker = new HealthEngineTest.FakeChecker(1, loop);
        List<String> changes = new ArrayList<>();
        ServerWatch watch = new ServerWatch(TCP, checker, loop,
                (up, cause) -> changes.add((up ? "up " : "down ") + cause.reason()));
        watch.start(0);
        loop.runDue();
        assertTrue(watch.up());
        assertEquals("connected", watch.last().reason());

        checker.up = false;
        loop.advance(Duration.ofSeconds(5));
        assertTrue(watch.up(), "one failure is within the retry");
        loop.advance(Duration.ofSeconds(1));
        assertFalse(watch.up(), "the retry, a second later, failed too");
        assertEquals(List.of("down connection refused"), changes);
        assertEquals(List.of(1_000_005_000L, 1_000_006_000L), checker.failureTimes);

        checker.up = true;
        loop.advance(Duration.ofSeconds(5));
        assertTrue(watch.up());
        assertEquals(List.of("down connection refused", "up connected"), changes);
    }

    @Test
    void aClosedWatchChecksNoMoreAndDropsAVerdictOnItsWay() {
        ManualScheduler loop = new ManualScheduler();
        List<CompletableFuture<CheckResult>> checks = new ArrayList<>();
        Checker pending = new Checker() {
            public CompletableFuture<CheckResult> check() {
                CompletableFuture<CheckResult> f = new CompletableFuture<>();
                checks.add(f);
                return f;
            }

            public String describe() { return "PENDING"; }
        };
        List<Boolean> changes = new ArrayList<>();
        ServerWatch watch = new ServerWatch(NO_RETRY, pending, loop, (up, cause) -> changes.add(up));
        watch.start(0);
        loop.runDue();
        checks.getFirst().complete(CheckResult.down("connection refused", 1));
        loop.runDue();
        assertEquals(List.of(false), changes, "a verdict while open is heard");
        loop.advance(Duration.ofSeconds(5));
        assertEquals(2, checks.size(), "the next check started");
        watch.close();
        checks.get(1).complete(CheckResult.up("connected", 1));
        loop.advance(Duration.ofSeconds(60));
        assertEquals(List.of(false), changes, "the verdict that came after close is dropped");
        assertEquals(2, checks.size(), "no check after close");
    }
}
