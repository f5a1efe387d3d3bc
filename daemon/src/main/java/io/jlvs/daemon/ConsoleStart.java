package io.jlvs.daemon;

import io.jlvs.console.http.AccessToken;
import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.http.HttpConsole;
import io.jlvs.console.http.HttpSettings;
import io.jlvs.console.MetricsEndpoint;
import io.jlvs.console.RecentEvents;
import io.jlvs.console.metrics.DirectorMetrics;
import io.jlvs.control.AdmExecutor;
import io.jlvs.platform.libc.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the HTTP console: its token (created on first start, and its path logged), its metrics, and threads at
 * nice 10, as the control socket's, so that a scrape or a listing yields the CPU to the forwarding workers.
 */
final class ConsoleStart {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleStart.class);
    private static final int CONSOLE_NICE = 10;

    private ConsoleStart() {}

    static HttpConsole start(HttpSettings settings, AdmExecutor executor, DataPlaneTelemetry telemetry)
            throws IOException {
        boolean[] created = {false};
        AccessToken token = AccessToken.loadOrCreate(settings.effectiveTokenFile(), created);
        if (created[0]) LOG.info("http: created the API token in {} (mode 0600)", settings.effectiveTokenFile());
        else LOG.info("http: API token from {}", settings.effectiveTokenFile());
        RecentEvents log = new RecentEvents();
        ConsoleLogAppender appender = ConsoleLogAppender.attach(log);
        MetricsEndpoint metrics = new DirectorMetrics(executor, telemetry, metricsHelper());
        HttpConsole console = new HttpConsole(settings, token, executor, telemetry, metrics, log,
                niceThreads("jlvs-http-"));
        try {
            console.start();
        } catch (IOException | RuntimeException e) {
            if (appender != null) appender.detach();
            throw e;
        }
        return console;
    }

    /**
     * The thread that writes half of each scrape beside the call thread that serves it: one, at nice 10, ending
     * after a minute without scrapes.
     */
    private static Executor metricsHelper() {
        ThreadPoolExecutor helper = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                niceThreads("jlvs-metrics-"));
        helper.allowCoreThreadTimeOut(true);
        return helper;
    }

    private static ThreadFactory niceThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> Thread.ofPlatform().name(prefix + n.incrementAndGet()).daemon(true).unstarted(() -> {
            try {
                Libc.setCurrentThreadNice(CONSOLE_NICE);
            } catch (IOException e) {
                LOG.debug("http: thread stays at the daemon's priority: {}", e.getMessage());
            }
            task.run();
        });
    }
}
