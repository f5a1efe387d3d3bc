package io.jlvs.tools;

import io.jlvs.forwarder.ForwardingWarmup;

import java.time.Duration;

/**
 * The training run of the daemon's ahead-of-time cache (JEP 483 and 515), which the launcher makes once per build
 * with {@code -XX:AOTCacheOutput}: the forwarding path on synthetic traffic, so that the cache holds its classes
 * loaded and linked and the method profiles of a warm path. A daemon started with the cache then spends its first
 * seconds forwarding instead of loading classes and profiling. Touches nothing on the host.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        Duration length = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 4);
        ForwardingWarmup.Result r = ForwardingWarmup.run(length);
        System.out.println("jlvs: ahead-of-time cache trained on " + r.framesIn() + " synthetic frames");
    }
}
