package io.jlvs.daemon;

import io.jlvs.console.http.AccessToken;
import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.http.HttpConsole;
import io.jlvs.console.http.HttpSettings;
import io.jlvs.console.MetricsEndpoint;
import io.jlvs.console.RecentEvents;
import io.jlvs.control.AdmExecutor;
import io.jlvs.platform.libc.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the HTTP console: its token (created on first start, and its path logged), and threads at nice 10, as
 * the control socket's, so that a scrape or a listing yields the CPU to the forwarding workers.
 */
final class ConsoleStart {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleStart.class);
    private static final int CONSOLE_NICE = 10;

    private ConsoleStart() {}

    static HttpConsole start(HttpSettings settings, AdmExecutor executor, DataPlaneTelemetry telemetry,
                             MetricsEndpoint metrics) throws IOException {
        boolean[] created = {false};
        AccessToken token = AccessToken.loadOrCreate(settings.effectiveTokenFile(), created);
        if (created[0]) LOG.info("http: created the API token in {} (mode 0600)", settings.effectiveTokenFile());
        else LOG.info("http: API token from {}", settings.effectiveTokenFile());
        RecentEvents log = new RecentEvents();
        ConsoleLogAppender appender = ConsoleLogAppender.attach(log);
        HttpConsole console = new HttpConsole(settings, token, executor, telemetry, metrics, log, niceThreads());
        try {
            console.start();
        } catch (IOException | RuntimeException e) {
            if (appender != null) appender.detach();
            throw e;
        }
        return console;
    }

    private static ThreadFactory niceThreads() {
        AtomicInteger n = new AtomicInteger();
        return task -> Thread.ofPlatform().name("jlvs-http-" + n.incrementAndGet()).daemon(true).unstarted(() -> {
            try {
                Libc.setCurrentThreadNice(CONSOLE_NICE);
            } catch (IOException e) {
                LOG.debug("http: thread stays at the daemon's priority: {}", e.getMessage());
            }
            task.run();
        });
    }
}
