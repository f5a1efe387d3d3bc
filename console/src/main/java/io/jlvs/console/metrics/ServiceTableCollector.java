package io.jlvs.console.metrics;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The services and real servers with their counters, from one {@code jlvsadm -L -n --stats} request per scrape:
 * the listing jlvsadm prints, so metrics and listings agree. Its families come in two parts of about the same
 * size, which a scrape writes on two threads at once.
 */
final class ServiceTableCollector {
    private static final ControlRequest LIST = new ControlRequest.Run(new AdmCommand.List(AdmCommand.ListWhat.ALL,
            null, new ListFormat(true, true, false, false, false, false, false, false)));

    static final CounterFamily SERVICE_CONNECTIONS = new CounterFamily("jlvs_service_connections",
            "Connections scheduled to the service.", null);
    static final CounterFamily SERVICE_PACKETS = new CounterFamily("jlvs_service_packets",
            "Packets of the service's connections, in: from clients, out: to clients.", null);
    static final CounterFamily SERVICE_BYTES = new CounterFamily("jlvs_service_bytes",
            "Bytes of the service's connections, in: from clients, out: to clients.", Unit.BYTES);
    static final CounterFamily SERVER_CONNECTIONS = new CounterFamily("jlvs_real_server_connections",
            "Connections scheduled to the real server.", null);
    static final CounterFamily SERVER_PACKETS = new CounterFamily("jlvs_real_server_packets",
            "Packets of the real server's connections, in: from clients, out: to clients.", null);
    static final CounterFamily SERVER_BYTES = new CounterFamily("jlvs_real_server_bytes",
            "Bytes of the real server's connections, in: from clients, out: to clients.", Unit.BYTES);
    // Two gauges rather than one with a state label: a label less on 20,000 lines of a 1,000 x 10 scrape.
    static final GaugeFamily SERVER_ACTIVE_CONNECTIONS = new GaugeFamily("jlvs_real_server_active_connections",
            "Established connections to the real server now (ipvsadm's ActiveConn).");
    static final GaugeFamily SERVER_INACTIVE_CONNECTIONS = new GaugeFamily("jlvs_real_server_inactive_connections",
            "Connections to the real server in any other state now (ipvsadm's InActConn).");
    static final GaugeFamily SERVER_WEIGHT = new GaugeFamily("jlvs_real_server_weight",
            "Weight of the real server in force (0: no new connections).");

    private final AdmExecutor executor;
    private final LabelCache labels;
    private final ScrapeProblems problems;

    ServiceTableCollector(AdmExecutor executor, LabelCache labels, ScrapeProblems problems) {
        this.executor = executor;
        this.labels = labels;
        this.problems = problems;
    }

    /** The listing with its labels, or null (reported) when the listing failed. */
    LabelledListing listing() {
        ControlReply.ServiceTable table = table();
        return table == null ? null : labels.label(table.services(), problems);
    }

    /**
     * The services' families, and the real servers' connections, packets and active connections; samples in the
     * library's order, as for the services.
     */
    void firstPart(LabelledListing listing, List<MetricSnapshot> families) {
        if (listing == null) return;
        try {
            serviceFamilies(listing, families);
        } catch (RuntimeException e) {
            problems.report("the services' counters could not be read", e);
        }
        try {
            ControlReply.RealServerRow[] rows = listing.servers();
            ServerLabels[] labels = listing.serverLabels();
            int[] order = listing.serverOrder();
            CounterFamily.Samples connections = SERVER_CONNECTIONS.samples(rows.length);
            CounterFamily.Samples packets = SERVER_PACKETS.samples(2 * rows.length);
            GaugeFamily.Samples active = SERVER_ACTIVE_CONNECTIONS.samples(rows.length);
            for (int i : order) connections.add(labels[i].server(), rows[i].stats().conns());
            for (int i : order) packets.add(labels[i].in(), rows[i].stats().inPackets());
            for (int i : order) packets.add(labels[i].out(), rows[i].stats().outPackets());
            for (int i : order) active.add(labels[i].server(), rows[i].stats().activeConns());
            families.add(connections.snapshot(problems));
            families.add(packets.snapshot(problems));
            families.add(active.snapshot(problems));
        } catch (RuntimeException e) {
            problems.report("the real servers' counters could not be read", e);
        }
    }

    /** The real servers' bytes, inactive connections and weights, in the library's order. */
    void secondPart(LabelledListing listing, List<MetricSnapshot> families) {
        if (listing == null) return;
        try {
            ControlReply.RealServerRow[] rows = listing.servers();
            ServerLabels[] labels = listing.serverLabels();
            int[] order = listing.serverOrder();
            CounterFamily.Samples bytes = SERVER_BYTES.samples(2 * rows.length);
            GaugeFamily.Samples inactive = SERVER_INACTIVE_CONNECTIONS.samples(rows.length);
            GaugeFamily.Samples weight = SERVER_WEIGHT.samples(rows.length);
            for (int i : order) bytes.add(labels[i].in(), rows[i].stats().inBytes());
            for (int i : order) bytes.add(labels[i].out(), rows[i].stats().outBytes());
            for (int i : order) inactive.add(labels[i].server(), rows[i].stats().inactiveConns());
            for (int i : order) weight.add(labels[i].server(), rows[i].server().weight());
            families.add(bytes.snapshot(problems));
            families.add(inactive.snapshot(problems));
            families.add(weight.snapshot(problems));
        } catch (RuntimeException e) {
            problems.report("the real servers' counters could not be read", e);
        }
    }

    /** The service table, or null (reported) when the listing failed. */
    private ControlReply.ServiceTable table() {
        List<ControlReply> replies = new ArrayList<>(2);
        try {
            executor.handle(LIST, replies::add);
        } catch (IOException | RuntimeException e) {
            problems.report("the service listing failed", e);
        }
        for (ControlReply r : replies) {
            if (r instanceof ControlReply.ServiceTable t) return t;
            if (r instanceof ControlReply.Failure f) {
                problems.report("the service listing failed: " + f.message());
            }
        }
        return null;
    }

    /**
     * The families of the services. Samples are added in the order the library sorts them in: by label set, so
     * every "in" before every "out" (direction sorts first), then by service.
     */
    private void serviceFamilies(LabelledListing listing, List<MetricSnapshot> families) {
        ControlReply.ServiceRow[] rows = listing.services();
        ServiceLabels[] labels = listing.serviceLabels();
        int[] order = listing.serviceOrder();
        CounterFamily.Samples connections = SERVICE_CONNECTIONS.samples(rows.length);
        CounterFamily.Samples packets = SERVICE_PACKETS.samples(2 * rows.length);
        CounterFamily.Samples bytes = SERVICE_BYTES.samples(2 * rows.length);
        for (int i : order) connections.add(labels[i].service(), rows[i].stats().conns());
        for (int i : order) packets.add(labels[i].in(), rows[i].stats().inPackets());
        for (int i : order) packets.add(labels[i].out(), rows[i].stats().outPackets());
        for (int i : order) bytes.add(labels[i].in(), rows[i].stats().inBytes());
        for (int i : order) bytes.add(labels[i].out(), rows[i].stats().outBytes());
        families.add(connections.snapshot(problems));
        families.add(packets.snapshot(problems));
        families.add(bytes.snapshot(problems));
    }
}
