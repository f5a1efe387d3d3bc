package io.jlvs.health.script;

import io.jlvs.health.config.Script;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs keepalived's scripts (notify_*, quorum_*, MISC_CHECK) as child processes without blocking the caller:
 * as the script's user (else global_defs' script_user, else root), with args appended to its own words, killed
 * (the whole process group) when timeout passes. The future always completes normally.
 */
public interface ScriptRunner {
    CompletableFuture<ScriptOutcome> run(Script script, List<String> args, Duration timeoutOrNull);

    /**
     * How a script ended.
     *
     * @param exitCode 0-255, or -1 when it could not start or was killed
     * @param timedOut killed because it overran its timeout
     * @param error    why it could not start (null when it ran)
     */
    record ScriptOutcome(int exitCode, boolean timedOut, String error) {}
}
