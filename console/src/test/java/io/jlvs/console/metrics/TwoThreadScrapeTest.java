package io.jlvs.console.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A scrape written in two parts on two threads is the scrape of one thread, byte for byte. */
class TwoThreadScrapeTest {
    private final DirectorFixture director = new DirectorFixture();

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = MetricsTextTest.OPEN_METRICS)
    void aHelperThreadChangesNoByte(String accept) throws Exception {
        byte[] alone = director.metrics().scrape(accept);
        ExecutorService helper = Executors.newSingleThreadExecutor();
        try {
            DirectorMetrics metrics = new DirectorMetrics(director.executor, director.telemetry, helper);
            for (int i = 0; i < 20; i++) assertArrayEquals(alone, metrics.scrape(accept));
        } finally {
            helper.shutdownNow();
        }
    }

    /** A helper that takes no work leaves its part to the scraping thread. */
    @ParameterizedTest
    @NullSource
    @ValueSource(strings = MetricsTextTest.OPEN_METRICS)
    void aRefusingHelperLeavesTheWorkToTheCaller(String accept) throws Exception {
        byte[] alone = director.metrics().scrape(accept);
        DirectorMetrics metrics = new DirectorMetrics(director.executor, director.telemetry, task -> {
            throw new RejectedExecutionException("busy");
        });
        assertArrayEquals(alone, metrics.scrape(accept));
    }
}
