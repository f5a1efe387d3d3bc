package io.jlvs.platform.log;

import org.slf4j.Logger;
import org.slf4j.event.Level;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One call site's log messages, at most {@code messagesPerInterval} of them per interval, for conditions that
 * repeat (a failing lookup retried every second, a bad packet, a thousand unreachable real servers). Messages over
 * the limit are counted, and the next message let through says how many were left out:
 * {@code "... (12 similar messages suppressed)"}. {@link #once} is the same with one message ever.
 *
 * <p>Keep one instance per call site, next to the class's {@code LOG}:
 * <pre>{@code
 * private static final Logger LOG = LoggerFactory.getLogger(NextHopResolver.class);
 * private static final RateLimitedLog LOOP_ERRORS = new RateLimitedLog(LOG, 5, Duration.ofMinutes(1));
 * ...
 * LOOP_ERRORS.warn("resolving next hops failed: {}", e.getMessage());
 * }</pre>
 *
 * <p>A suppressed message costs a level check, a clock read and a few atomic operations: the message is built
 * (SLF4J parameters formatted) only when it is logged, and the fixed-arity methods allocate nothing when it is not.
 * Arguments that are primitives are boxed by the caller, so on a per-packet path pass objects that exist anyway.
 * Messages below the logger's level are neither logged nor counted. Thread-safe without locks; when threads race at
 * an interval boundary, the limit may be off by one for that interval.
 */
public final class RateLimitedLog {
    private static final String SUPPRESSED_SUFFIX = " ({} similar messages suppressed)";

    private final Logger logger;
    private final int messagesPerInterval;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong intervalStart;
    private final AtomicInteger loggedInInterval = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    /** At most {@code messagesPerInterval} messages per {@code interval}, timed by {@link System#nanoTime}. */
    public RateLimitedLog(Logger logger, int messagesPerInterval, Duration interval) {
        this(logger, messagesPerInterval, interval, System::nanoTime);
    }

    /** As {@link #RateLimitedLog(Logger, int, Duration)}, timed by {@code nanoClock} (tests pass their own). */
    public RateLimitedLog(Logger logger, int messagesPerInterval, Duration interval, LongSupplier nanoClock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        if (messagesPerInterval < 1) {
            throw new IllegalArgumentException("messagesPerInterval must be at least 1, not " + messagesPerInterval);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, not " + interval);
        }
        this.messagesPerInterval = messagesPerInterval;
        this.intervalNanos = saturatedNanos(interval);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.intervalStart = new AtomicLong(nanoClock.getAsLong());
    }

    /** The first message only: for a condition that is worth saying once per instance (per daemon, per server). */
    public static RateLimitedLog once(Logger logger) {
        return new RateLimitedLog(logger, 1, Duration.ofNanos(Long.MAX_VALUE));
    }

    public void error(String format, Object arg) {
        if (admit(Level.ERROR)) emit(Level.ERROR, format, arg);
    }

    public void error(String format, Object arg1, Object arg2) {
        if (admit(Level.ERROR)) emit(Level.ERROR, format, arg1, arg2);
    }

    public void error(String format, Object arg1, Object arg2, Object arg3) {
        if (admit(Level.ERROR)) emit(Level.ERROR, format, arg1, arg2, arg3);
    }

    public void warn(String format, Object arg) {
        if (admit(Level.WARN)) emit(Level.WARN, format, arg);
    }

    public void warn(String format, Object arg1, Object arg2) {
        if (admit(Level.WARN)) emit(Level.WARN, format, arg1, arg2);
    }

    public void warn(String format, Object arg1, Object arg2, Object arg3) {
        if (admit(Level.WARN)) emit(Level.WARN, format, arg1, arg2, arg3);
    }

    public void info(String format, Object arg) {
        if (admit(Level.INFO)) emit(Level.INFO, format, arg);
    }

    public void info(String format, Object arg1, Object arg2) {
        if (admit(Level.INFO)) emit(Level.INFO, format, arg1, arg2);
    }

    public void info(String format, Object arg1, Object arg2, Object arg3) {
        if (admit(Level.INFO)) emit(Level.INFO, format, arg1, arg2, arg3);
    }

    public void debug(String format, Object arg) {
        if (admit(Level.DEBUG)) emit(Level.DEBUG, format, arg);
    }

    public void debug(String format, Object arg1, Object arg2) {
        if (admit(Level.DEBUG)) emit(Level.DEBUG, format, arg1, arg2);
    }

    public void debug(String format, Object arg1, Object arg2, Object arg3) {
        if (admit(Level.DEBUG)) emit(Level.DEBUG, format, arg1, arg2, arg3);
    }

    /** Messages left out since the last one logged. */
    public long suppressedSinceLastMessage() {
        return suppressed.get();
    }

    /** True when a message at {@code level} is to be logged now; false counts it as suppressed. */
    private boolean admit(Level level) {
        if (!logger.isEnabledForLevel(level)) return false;
        long now = nanoClock.getAsLong();
        long start = intervalStart.get();
        if (now - start >= intervalNanos && intervalStart.compareAndSet(start, now)) loggedInInterval.set(0);
        for (int n = loggedInInterval.get(); n < messagesPerInterval; n = loggedInInterval.get()) {
            if (loggedInInterval.compareAndSet(n, n + 1)) return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    /** Logs the message, with the count of those left out before it; only here are message and arguments built. */
    private void emit(Level level, String format, Object... args) {
        long missed = suppressed.getAndSet(0);
        if (missed == 0) {
            log(level, format, args);
            return;
        }
        // SLF4J takes a Throwable in last place as the exception to print: the count goes before it.
        boolean throwableLast = args[args.length - 1] instanceof Throwable;
        int at = throwableLast ? args.length - 1 : args.length;
        Object[] withCount = new Object[args.length + 1];
        System.arraycopy(args, 0, withCount, 0, at);
        withCount[at] = missed;
        System.arraycopy(args, at, withCount, at + 1, args.length - at);
        log(level, format + SUPPRESSED_SUFFIX, withCount);
    }

    private void log(Level level, String format, Object[] args) {
        switch (level) {
            case ERROR -> logger.error(format, args);
            case WARN -> logger.warn(format, args);
            case INFO -> logger.info(format, args);
            case DEBUG -> logger.debug(format, args);
            case TRACE -> logger.trace(format, args);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
