package io.jlvs.console.metrics;

import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.MetricsEndpoint;
import io.jlvs.control.AdmExecutor;
import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The director's Prometheus metrics, what GET /metrics answers: the services and real servers with their counters
 * (one jlvsadm listing per scrape), their health and the VRRP instances (one status request), the data
 * plane's table, drops and workers, and the layer-7 proxy's services and splicers (one tcpvsadm listing). Values are read when scraped; label sets are bounded by the configuration (services,
 * servers, workers, instances, drop reasons), never by connections or clients.
 *
 * <p>A scrape runs on two threads, the caller's and a helper's: the status request while the listing runs, then
 * each thread builds and writes one part of the families with the library's writer, and the parts are joined in
 * order. Safe for concurrent scrapes.
 */
public final class DirectorMetrics implements MetricsEndpoint {
    private final ServiceTableCollector table;
    private final StatusCollector status;
    private final DataPlaneCollector dataPlane;
    private final L7Collector layer7;
    private final Executor helper;
    private final ScrapeFormat text;
    private final ScrapeFormat openMetrics;

    /** Scrapes on the caller's thread alone. */
    public DirectorMetrics(AdmExecutor executor, DataPlaneTelemetry telemetry) {
        this(executor, telemetry, Runnable::run);
    }

    /** helper: runs the part of each scrape done beside the caller's (the daemon gives it a thread at nice 10). */
    public DirectorMetrics(AdmExecutor executor, DataPlaneTelemetry telemetry, Executor helper) {
        ScrapeProblems problems = new ScrapeProblems();
        LabelCache labels = new LabelCache();
        this.table = new ServiceTableCollector(executor, labels, problems);
        this.status = new StatusCollector(executor, labels, problems);
        this.dataPlane = new DataPlaneCollector(telemetry, problems);
        this.layer7 = new L7Collector(executor, problems);
        this.helper = helper;
        // The exporter's defaults, not properties read from the environment: no _created series.
        ExpositionFormats formats = ExpositionFormats.init(ExporterProperties.builder().build());
        text = new ScrapeFormat(formats.getPrometheusTextFormatWriter());
        openMetrics = new ScrapeFormat(formats.getOpenMetricsTextFormatWriter());
    }

    /** The content type answered for this Accept header (Prometheus text 0.0.4, or OpenMetrics 1.0.0 when asked). */
    @Override
    public String contentType(String acceptHeader) {
        return format(acceptHeader).contentType();
    }

    /** One scrape in that format. */
    @Override
    public byte[] scrape(String acceptHeader) throws IOException {
        ExpositionPart[] parts = parts(format(acceptHeader));
        byte[] body = new byte[parts[0].size() + parts[1].size()];
        parts[1].copyTo(body, parts[0].copyTo(body, 0));
        return body;
    }

    /**
     * The scrape's two parts. The first, the caller's: the services' families and the servers' connections,
     * packets and active connections. The second, the helper's: the servers' bytes, inactive connections and
     * weights, the status request's families, the data plane's and the layer-7 proxy's.
     */
    private ExpositionPart[] parts(ScrapeFormat format) throws IOException {
        Fork<StatusCollector.Status> health = Fork.start(helper, status::status);
        LabelledListing listing = table.listing();
        Fork<ExpositionPart> second = Fork.start(helper, () -> {
            List<MetricSnapshot> families = new ArrayList<>();
            table.secondPart(listing, families);
            status.families(health.join(), families);
            dataPlane.families(families);
            layer7.families(families);
            return format.second(families);
        });
        List<MetricSnapshot> families = new ArrayList<>();
        table.firstPart(listing, families);
        ExpositionPart first = format.first(families);
        return new ExpositionPart[] {first, second.join()};
    }

    /** OpenMetrics when the header names it (null: no header), else the text format; never the protobuf one. */
    private ScrapeFormat format(String acceptHeader) {
        return openMetrics.accepts(acceptHeader) ? openMetrics : text;
    }
}
