package io.jlvs.health.config;

import java.time.Duration;

/**
 * Flap damping beyond keepalived's retry: a server that changes state more than maxChanges times within window
 * is held down for hold, doubling on each further hold up to maxHold. maxChanges 0 turns damping off (the
 * default, so keepalived's semantics hold).
 */
public record FlapPolicy(int maxChanges, Duration window, Duration hold, Duration maxHold) {
    public static final FlapPolicy OFF = new FlapPolicy(0, Duration.ofSeconds(60), Duration.ofSeconds(30),
            Duration.ofMinutes(10));

    public boolean enabled() { return maxChanges > 0; }
}
