package io.jlvs.announce;

import java.time.Duration;

/**
 * BFD for the BGP sessions that carry the VIPs (--bgp-bfd): the include file gets a BFD protocol with these
 * timers, and the operator's BGP protocols say {@code bfd on}. A peer that stops answering is declared down after
 * interval × multiplier instead of the BGP hold time.
 *
 * @param interval   the desired transmit and required receive interval, 1 ms to 10 s
 * @param multiplier missed packets before the session is down, 1 to 255
 */
public record BfdSettings(Duration interval, int multiplier) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
    public static final int DEFAULT_MULTIPLIER = 3;

    public BfdSettings {
        if (interval.toMillis() < 1 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("--bgp-bfd-interval must be 1 to 10000 ms: " + interval.toMillis());
        }
        if (multiplier < 1 || multiplier > 255) {
            throw new IllegalArgumentException("BFD multiplier must be 1 to 255: " + multiplier);
        }
    }

    /** How long a silent peer takes to be declared down. */
    public Duration detectionTime() { return interval.multipliedBy(multiplier); }
}
