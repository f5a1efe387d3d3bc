package io.jlvs.platform.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitedLogTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final long[] nanos = {1_000};
    private Logger logger;
    private ListAppender<ILoggingEvent> appender;

    @BeforeEach
    void captureALoggerOfItsOwn(TestInfo test) {
        logger = (Logger) LoggerFactory.getLogger("test.ratelimited." + test.getTestMethod().orElseThrow().getName());
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    private RateLimitedLog limited(int perInterval) {
        return new RateLimitedLog(logger, perInterval, INTERVAL, () -> nanos[0]);
    }

    private List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void logsAtMostTheLimitPerIntervalAndCountsTheRest() {
        RateLimitedLog log = limited(2);
        for (int i = 1; i <= 5; i++) log.warn("lookup {} failed", i);
        assertEquals(List.of("lookup 1 failed", "lookup 2 failed"), messages());
        assertEquals(3, log.suppressedSinceLastMessage());
    }

    @Test
    void theNextAllowedMessageSaysHowManyWereSuppressed() {
        RateLimitedLog log = limited(2);
        for (int i = 1; i <= 5; i++) log.warn("lookup {} failed", i);
        nanos[0] += INTERVAL.toNanos();
        log.warn("lookup {} failed", 6);
        log.warn("lookup {} failed", 7);
        assertEquals(List.of("lookup 1 failed", "lookup 2 failed",
                "lookup 6 failed (3 similar messages suppressed)", "lookup 7 failed"), messages());
        assertEquals(0, log.suppressedSinceLastMessage());
    }

    @Test
    void withinTheIntervalNothingMoreIsLogged() {
        RateLimitedLog log = limited(1);
        log.info("first {}", "a");
        nanos[0] += INTERVAL.toNanos() - 1;
        log.info("second {}", "b");
        assertEquals(List.of("first a"), messages());
    }

    @Test
    void eachLevelKeepsItsLevel() {
        RateLimitedLog log = limited(10);
        log.error("e {}", 1);
        log.warn("w {} {}", 1, 2);
        log.info("i {} {} {}", 1, 2, 3);
        log.debug("d {}", 1);
        assertEquals(List.of(Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG),
                appender.list.stream().map(ILoggingEvent::getLevel).toList());
        assertEquals(List.of("e 1", "w 1 2", "i 1 2 3", "d 1"), messages());
    }

    @Test
    void onceLogsTheFirstMessageOnlyHoweverLongLater() {
        RateLimitedLog log = new RateLimitedLog(logger, 1, Duration.ofNanos(Long.MAX_VALUE), () -> nanos[0]);
        RateLimitedLog viaFactory = RateLimitedLog.once(logger);
        for (int i = 0; i < 3; i++) {
            log.warn("gateway {}", i);
            viaFactory.warn("filter {}", i);
            nanos[0] += Duration.ofDays(365).toNanos();
        }
        assertEquals(List.of("gateway 0", "filter 0"), messages());
    }

    @Test
    void messagesBelowTheLoggersLevelAreNeitherLoggedNorCounted() {
        logger.setLevel(Level.WARN);
        RateLimitedLog log = limited(1);
        for (int i = 0; i < 10; i++) log.debug("detail {}", i);
        assertEquals(0, log.suppressedSinceLastMessage());
        log.warn("problem {}", "x");
        assertEquals(List.of("problem x"), messages());
    }

    @Test
    void aThrowableInLastPlaceStaysTheLoggedExceptionWhenACountIsAdded() {
        RateLimitedLog log = limited(1);
        IllegalStateException failure = new IllegalStateException("boom");
        log.error("refresh of {} failed", "eth0", failure);
        log.error("refresh of {} failed", "eth0", failure);
        nanos[0] += INTERVAL.toNanos();
        log.error("refresh of {} failed", "eth1", failure);
        assertEquals(List.of("refresh of eth0 failed", "refresh of eth1 failed (1 similar messages suppressed)"),
                messages());
        assertNotNull(appender.list.get(1).getThrowableProxy());
        assertEquals("boom", appender.list.get(1).getThrowableProxy().getMessage());
    }

    @Test
    void aSuppressedMessageAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RateLimitedLog log = limited(1);
        String address = "10.0.0.1";
        for (int i = 0; i < 20_000; i++) log.warn("next hop for {} unknown", address); // warm up
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) log.warn("next hop for {} unknown", address);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 100,000 suppressed messages");
        assertEquals(1, messages().size());
    }

    @Test
    void refusesALimitBelowOneAndANonPositiveInterval() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedLog(logger, 0, INTERVAL));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedLog(logger, 1, Duration.ZERO));
    }
}
