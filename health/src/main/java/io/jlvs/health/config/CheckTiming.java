package io.jlvs.health.config;

import java.time.Duration;

/**
 * When and how patiently a checker runs (values inherited virtual_server to real_server to checker).
 *
 * @param delayLoop        interval between checks (delay_loop, default 60 s)
 * @param connectTimeout   bound on a whole check, connect to verdict (default 5 s; MISC_CHECK: misc_timeout)
 * @param retry            failed checks retried before the server is marked down (default 1; DNS 3; MISC 0)
 * @param delayBeforeRetry wait before a retry (default 3 s for HTTP_GET/SSL_GET, else 1 s)
 * @param warmup           a random delay up to this before the first check (default 0)
 * @param logAllFailures   log every failed check, not only transitions
 */
public record CheckTiming(Duration delayLoop, Duration connectTimeout, int retry, Duration delayBeforeRetry,
                          Duration warmup, boolean logAllFailures) {
}
