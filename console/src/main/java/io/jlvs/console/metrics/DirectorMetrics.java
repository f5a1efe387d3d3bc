package io.jlvs.console.metrics;

import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.MetricsEndpoint;
import io.jlvs.control.AdmExecutor;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The director's Prometheus metrics, what GET /metrics answers: the services and real servers with their counters
 * (one jlvsadm listing per scrape), their health and the VRRP instances (one status request), and the data plane's
 * table, drops and workers. Values are read when scraped; label sets are bounded by the configuration (services,
 * servers, workers, instances, drop reasons), never by connections or clients.
 *
 * <p>The registry is this object's own, not the library's default one. Safe for concurrent scrapes.
 */
public final class DirectorMetrics implements MetricsEndpoint {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormatWriter text;
    private final ExpositionFormatWriter openMetrics;

    public DirectorMetrics(AdmExecutor executor, DataPlaneTelemetry telemetry) {
        ScrapeProblems problems = new ScrapeProblems();
        LabelCache labels = new LabelCache();
        registry.register(new ServiceTableCollector(executor, labels, problems));
        registry.register(new StatusCollector(executor, labels, problems));
        registry.register(new DataPlaneCollector(telemetry, problems));
        // The exporter's defaults, not properties read from the environment: no _created series.
        ExpositionFormats formats = ExpositionFormats.init(ExporterProperties.builder().build());
        text = formats.getPrometheusTextFormatWriter();
        openMetrics = formats.getOpenMetricsTextFormatWriter();
    }

    /** The content type answered for this Accept header (Prometheus text 0.0.4, or OpenMetrics 1.0.0 when asked). */
    @Override
    public String contentType(String acceptHeader) {
        return writer(acceptHeader).getContentType();
    }

    /** Writes one scrape in that format. */
    @Override
    public void write(String acceptHeader, OutputStream out) throws IOException {
        // Every metric and label name here is a legal one in the classic character set: no escaping applies.
        writer(acceptHeader).write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    /** OpenMetrics when the header names it (null: no header), else the text format; never the protobuf one. */
    private ExpositionFormatWriter writer(String acceptHeader) {
        return openMetrics.accepts(acceptHeader) ? openMetrics : text;
    }
}
