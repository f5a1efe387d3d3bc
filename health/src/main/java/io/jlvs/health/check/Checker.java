package io.jlvs.health.check;

import java.util.concurrent.CompletableFuture;

/**
 * One checker of one real server. check() starts a check without blocking the caller and returns its verdict;
 * the future always completes normally (a failure is a down result with its reason) and within the checker's
 * connect_timeout (misc_timeout for MISC_CHECK), however slowly the server answers. One check of a checker
 * runs at a time. close() releases what the checker holds.
 */
public interface Checker extends AutoCloseable {
    CompletableFuture<CheckResult> check();

    /** For logs and status: "HTTP_GET 10.0.0.2:80 /health", "TCP_CHECK 10.0.0.2:80". */
    String describe();

    @Override
    default void close() {}
}
