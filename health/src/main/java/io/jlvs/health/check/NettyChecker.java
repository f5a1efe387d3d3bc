package io.jlvs.health.check;

import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What every network checker shares: its target, the loops it runs on and the bound of a whole check. A check
 * picks a loop, starts an attempt whose timer bounds it, and lets the subclass drive the protocol.
 */
abstract class NettyChecker implements Checker {
    protected final CheckChannels channels;
    protected final CheckTarget target;
    protected final Duration timeout;
    private final String description;

    NettyChecker(CheckChannels channels, CheckTarget target, Duration timeout, String description) {
        this.channels = channels;
        this.target = target;
        this.timeout = timeout;
        this.description = description;
    }

    @Override
    public final CompletableFuture<CheckResult> check() {
        EventLoop loop = loop();
        CheckAttempt attempt = channels.track(newAttempt(loop));
        loop.execute(() -> {
            try {
                start(attempt, loop);
            } catch (RuntimeException e) {
                attempt.fail(e);
            }
        });
        return attempt.result();
    }

    /** The loop a check runs on. */
    protected EventLoop loop() { return channels.nextLoop(); }

    /** The attempt of one check; a checker whose timeout is not a failure overrides it. */
    protected CheckAttempt newAttempt(EventLoop loop) {
        return new CheckAttempt(loop, timeout);
    }

    /** Runs on the loop: opens the channel(s) and drives the protocol to a verdict on the attempt. */
    protected abstract void start(CheckAttempt attempt, EventLoop loop);

    @Override
    public String describe() { return description; }

    @Override
    public String toString() { return description; }
}
