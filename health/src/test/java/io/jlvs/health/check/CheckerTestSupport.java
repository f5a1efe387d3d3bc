package io.jlvs.health.check;

import io.jlvs.health.script.ScriptRunner;
import io.jlvs.health.config.CheckerSpec;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs one check of a spec against an address and asserts what every check must do: finish within its bound. */
final class CheckerTestSupport {
    private CheckerTestSupport() {}

    /** Slack for scheduling on a loaded two-core machine. */
    static final Duration SLACK = Duration.ofMillis(500);

    static CheckResult check(NettyCheckers checkers, CheckerSpec spec, InetSocketAddress server) throws Exception {
        try (Checker checker = checkers.create(spec, server)) {
            CheckResult result = checker.check().get(30, TimeUnit.SECONDS);
            long bound = spec.timing().connectTimeout().plus(SLACK).toNanos();
            assertTrue(result.elapsedNanos() > 0, "elapsed set: " + result);
            assertTrue(result.elapsedNanos() <= bound, "within connect_timeout: " + result);
            return result;
        }
    }

    static NettyCheckers newCheckers(ScriptRunner scripts) {
        return new NettyCheckers(1, scripts);
    }
}
