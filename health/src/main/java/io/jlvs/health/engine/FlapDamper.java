package io.jlvs.health.engine;

import io.jlvs.health.config.FlapPolicy;

import java.util.ArrayDeque;

/**
 * Flap damping of one server: more than maxChanges state changes within the window hold it down for the hold
 * time, doubled for each hold that follows within the window of the previous one, up to maxHold.
 */
final class FlapDamper {
    private final ArrayDeque<Long> changes = new ArrayDeque<>();
    private long holdMillis;
    private long lastHoldEndMillis;

    /** Records a state change at now; returns the end of a hold it starts (epoch ms), or 0 for none. */
    long onChange(FlapPolicy policy, long now) {
        if (!policy.enabled()) return 0;
        long window = policy.window().toMillis();
        changes.addLast(now);
        while (!changes.isEmpty() && changes.peekFirst() < now - window) changes.removeFirst();
        if (changes.size() <= policy.maxChanges()) return 0;
        boolean repeat = lastHoldEndMillis > 0 && now - lastHoldEndMillis < window;
        holdMillis = repeat ? Math.min(Math.max(holdMillis, 1) * 2, policy.maxHold().toMillis())
                : policy.hold().toMillis();
        changes.clear();
        lastHoldEndMillis = now + holdMillis;
        return lastHoldEndMillis;
    }
}
