package io.jlvs.health.check;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * One run of a check, bounded as a whole by its timeout: from the start to the verdict, whatever the server does.
 * The first verdict wins (later ones are ignored); when it is given, the timer is cancelled and the channel the
 * attempt currently uses is closed. When the timeout passes first, the verdict is the checker's timeout verdict
 * (by default down "timeout after N.N s") and the channel is closed, so a server that trickles its answer cannot
 * stretch a check.
 */
final class CheckAttempt {
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    private final ScheduledFuture<?> timer;
    private volatile Channel channel;

    /** Starts the clock with the default timeout verdict: down "timeout after N.N s". */
    CheckAttempt(EventLoop loop, Duration timeout) {
        this(loop, timeout, elapsed -> CheckResult.down(timeoutReason(timeout), elapsed));
    }

    /** Starts the clock; when timeout passes, the verdict is onTimeout applied to the elapsed nanoseconds. */
    CheckAttempt(EventLoop loop, Duration timeout, LongFunction<CheckResult> onTimeout) {
        timer = loop.schedule(() -> finish(onTimeout.apply(elapsedNanos())), timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** "timeout after 1.0 s": the words of every timeout, seconds with one decimal. */
    static String timeoutReason(Duration timeout) {
        return "timeout after " + seconds(timeout) + " s";
    }

    /** A duration as seconds with one decimal: "1.0", "2.5". */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9);
    }

    CompletableFuture<CheckResult> result() { return result; }

    long elapsedNanos() { return System.nanoTime() - startNanos; }

    boolean isDone() { return result.isDone(); }

    /** The channel the attempt now uses: closed on the verdict (at once if the verdict is already given). */
    void use(Channel ch) {
        channel = ch;
        if (result.isDone()) ch.close();
    }

    void up(String reason) { finish(CheckResult.up(reason, elapsedNanos())); }

    void down(String reason) { finish(CheckResult.down(reason, elapsedNanos())); }

    /** A failure of the connection or of the protocol, in words. */
    void fail(Throwable cause) { down(FailureReasons.of(cause)); }

    void finish(CheckResult verdict) {
        if (!result.complete(verdict)) return;
        timer.cancel(false);
        Channel ch = channel;
        if (ch != null) ch.close();
    }
}
