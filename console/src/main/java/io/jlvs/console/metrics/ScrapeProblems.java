package io.jlvs.console.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What went wrong while a scrape was gathered, in the log: a problem at WARN the first time it is met and at DEBUG
 * while it repeats, since a scraper asks every few seconds and the same fault would otherwise fill the log.
 */
final class ScrapeProblems {
    private static final Logger log = LoggerFactory.getLogger(DirectorMetrics.class);
    /** Problems remembered at most; past that the memory starts afresh (and each is logged at WARN once more). */
    private static final int REMEMBERED = 256;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** A source failed: problem says what could not be read, cause why. */
    void report(String problem, Throwable cause) {
        if (firstTime(problem)) log.warn("metrics: {}", problem, cause);
        else log.debug("metrics: {}", problem, cause);
    }

    /** A source answered with a failure: problem says what and its message. */
    void report(String problem) {
        if (firstTime(problem)) log.warn("metrics: {}", problem);
        else log.debug("metrics: {}", problem);
    }

    /** Samples were left out of a scrape: problem names the family and why, count how many. */
    void leftOut(String problem, int count) {
        if (firstTime(problem)) log.warn("metrics: {} ({} samples)", problem, count);
        else log.debug("metrics: {} ({} samples)", problem, count);
    }

    private boolean firstTime(String problem) {
        if (seen.size() >= REMEMBERED) seen.clear();
        return seen.add(problem);
    }
}
