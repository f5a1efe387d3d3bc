package io.jlvs.health.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The settings a virtual_server passes to its real servers and a real_server to its checkers, each null where the
 * level does not set it: delay_loop, connect_timeout, retry, delay_before_retry, warmup, log_all_failures,
 * virtualhost and inhibit_on_failure. The keywords are registered once here for all three levels.
 */
final class InheritedSettings {
    Duration delayLoop;
    Duration connectTimeout;
    Integer retry;
    Duration delayBeforeRetry;
    Duration warmup;
    Boolean logAllFailures;
    String virtualhost;
    Boolean inhibitOnFailure;

    static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Registers the timing keywords on table: connect_timeout unless the level has its own bound (MISC_CHECK's
     * misc_timeout), and at the server levels virtualhost and inhibit_on_failure.
     */
    static <C> void register(KeywordTable<C> table, Function<C, InheritedSettings> settings, boolean serverLevel,
                             boolean connectTimeout) {
        if (connectTimeout)
            table.leaf("connect_timeout", (s, c) -> settings.apply(c).connectTimeout = Values.seconds(s.value(), true));
        table.leaf("delay_loop", (s, c) -> settings.apply(c).delayLoop = Values.seconds(s.value(), true))
             .leaf("retry", (s, c) -> settings.apply(c).retry = (int) Values.integer(s.value(), 0, Integer.MAX_VALUE))
             .leaf("nb_get_retry", (s, c) -> settings.apply(c).retry = (int) Values.integer(s.value(), 0, Integer.MAX_VALUE))
             .leaf("delay_before_retry", (s, c) -> settings.apply(c).delayBeforeRetry = Values.seconds(s.value(), false))
             .leaf("warmup", (s, c) -> settings.apply(c).warmup = Values.seconds(s.value(), false))
             .leaf("log_all_failures", (s, c) -> { s.noValue(); settings.apply(c).logAllFailures = true; });
        if (serverLevel) {
            table.leaf("virtualhost", (s, c) -> settings.apply(c).virtualhost = s.value())
                 .leaf("inhibit_on_failure", (s, c) -> { s.noValue(); settings.apply(c).inhibitOnFailure = true; });
        }
    }

    /** These settings where set, else parent's. */
    InheritedSettings over(InheritedSettings parent) {
        InheritedSettings r = new InheritedSettings();
        r.delayLoop = delayLoop != null ? delayLoop : parent.delayLoop;
        r.connectTimeout = connectTimeout != null ? connectTimeout : parent.connectTimeout;
        r.retry = retry != null ? retry : parent.retry;
        r.delayBeforeRetry = delayBeforeRetry != null ? delayBeforeRetry : parent.delayBeforeRetry;
        r.warmup = warmup != null ? warmup : parent.warmup;
        r.logAllFailures = logAllFailures != null ? logAllFailures : parent.logAllFailures;
        r.virtualhost = virtualhost != null ? virtualhost : parent.virtualhost;
        r.inhibitOnFailure = inhibitOnFailure != null ? inhibitOnFailure : parent.inhibitOnFailure;
        return r;
    }

    /** The timing with keepalived's defaults where nothing is set: the checker kind gives retry and delay_before_retry. */
    CheckTiming timing(int defaultRetry, Duration defaultDelayBeforeRetry) {
        return new CheckTiming(delayLoop != null ? delayLoop : DEFAULT_DELAY_LOOP,
                connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT,
                retry != null ? retry : defaultRetry,
                delayBeforeRetry != null ? delayBeforeRetry : defaultDelayBeforeRetry,
                warmup != null ? warmup : Duration.ZERO,
                logAllFailures != null && logAllFailures);
    }
}
