package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.script.ScriptRunner;
import io.jlvs.health.script.ScriptRunner.ScriptOutcome;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * MISC_CHECK: runs misc_path, killed with its process group when misc_timeout passes. Exit 0 is up, anything
 * else down; with misc_dynamic, 2-255 is up with weight exit-2.
 */
final class MiscChecker implements Checker {
    private final CheckerSpec.Misc spec;
    private final ScriptRunner scripts;

    MiscChecker(CheckerSpec.Misc spec, ScriptRunner scripts) {
        this.spec = spec;
        this.scripts = scripts;
    }

    @Override
    public CompletableFuture<CheckResult> check() {
        long start = System.nanoTime();
        return scripts.run(spec.script(), List.of(), spec.timing().connectTimeout())
                .thenApply(outcome -> verdict(outcome, System.nanoTime() - start));
    }

    private CheckResult verdict(ScriptOutcome outcome, long elapsed) {
        if (outcome.timedOut()) {
            return CheckResult.down("killed after " + CheckAttempt.seconds(spec.timing().connectTimeout()) + " s",
                    elapsed);
        }
        if (outcome.error() != null) return CheckResult.down("cannot run: " + outcome.error(), elapsed);
        int code = outcome.exitCode();
        if (code == 0) return CheckResult.up("exit code 0", elapsed);
        if (spec.dynamic() && code >= 2 && code <= 255) {
            return new CheckResult(true, "exit code " + code + " (weight " + (code - 2) + ")", elapsed, code - 2);
        }
        return CheckResult.down("exit code " + code, elapsed);
    }

    @Override
    public String describe() { return "MISC_CHECK " + spec.script().commandLine(); }
}
