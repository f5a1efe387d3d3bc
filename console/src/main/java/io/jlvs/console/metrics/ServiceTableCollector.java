package io.jlvs.console.metrics;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The services and real servers with their counters, from one {@code jlvsadm -L -n --stats} request per scrape:
 * the listing jlvsadm prints, so metrics and listings agree.
 */
final class ServiceTableCollector implements MultiCollector {
    private static final ControlRequest LIST = new ControlRequest.Run(new AdmCommand.List(AdmCommand.ListWhat.ALL,
            null, new ListFormat(true, true, false, false, false, false, false, false)));

    static final CounterFamily SERVICE_CONNECTIONS = new CounterFamily("jlvs_service_connections",
            "Connections scheduled to the service.", null, "service");
    static final CounterFamily SERVICE_PACKETS = new CounterFamily("jlvs_service_packets",
            "Packets of the service's connections, in: from clients, out: to clients.", null, "service", "direction");
    static final CounterFamily SERVICE_BYTES = new CounterFamily("jlvs_service_bytes",
            "Bytes of the service's connections, in: from clients, out: to clients.", Unit.BYTES, "service",
            "direction");
    static final CounterFamily SERVER_CONNECTIONS = new CounterFamily("jlvs_real_server_connections",
            "Connections scheduled to the real server.", null, "service", "server");
    static final CounterFamily SERVER_PACKETS = new CounterFamily("jlvs_real_server_packets",
            "Packets of the real server's connections, in: from clients, out: to clients.", null, "service",
            "server", "direction");
    static final CounterFamily SERVER_BYTES = new CounterFamily("jlvs_real_server_bytes",
            "Bytes of the real server's connections, in: from clients, out: to clients.", Unit.BYTES, "service",
            "server", "direction");
    // Two gauges rather than one with a state label: a label less on 20,000 lines of a 1,000 x 10 scrape.
    static final GaugeFamily SERVER_ACTIVE_CONNECTIONS = new GaugeFamily("jlvs_real_server_active_connections",
            "Established connections to the real server now (ipvsadm's ActiveConn).", "service", "server");
    static final GaugeFamily SERVER_INACTIVE_CONNECTIONS = new GaugeFamily("jlvs_real_server_inactive_connections",
            "Connections to the real server in any other state now (ipvsadm's InActConn).", "service", "server");
    static final GaugeFamily SERVER_WEIGHT = new GaugeFamily("jlvs_real_server_weight",
            "Weight of the real server in force (0: no new connections).", "service", "server");

    private static final List<MetricFamilyDescriptor> FAMILIES = List.of(SERVICE_CONNECTIONS.descriptor(),
            SERVICE_PACKETS.descriptor(), SERVICE_BYTES.descriptor(), SERVER_CONNECTIONS.descriptor(),
            SERVER_PACKETS.descriptor(), SERVER_BYTES.descriptor(), SERVER_ACTIVE_CONNECTIONS.descriptor(),
            SERVER_INACTIVE_CONNECTIONS.descriptor(), SERVER_WEIGHT.descriptor());

    private final AdmExecutor executor;
    private final LabelCache labels;
    private final ScrapeProblems problems;

    ServiceTableCollector(AdmExecutor executor, LabelCache labels, ScrapeProblems problems) {
        this.executor = executor;
        this.labels = labels;
        this.problems = problems;
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() { return FAMILIES; }

    @Override
    public MetricSnapshots collect() {
        ControlReply.ServiceTable table = listing();
        if (table == null) return MetricSnapshots.of();
        LabelledListing listing = labels.label(table.services(), problems);
        List<MetricSnapshot> families = new ArrayList<>(FAMILIES.size());
        try {
            serviceFamilies(listing, families);
        } catch (RuntimeException e) {
            problems.report("the services' counters could not be read", e);
        }
        try {
            serverFamilies(listing, families);
        } catch (RuntimeException e) {
            problems.report("the real servers' counters could not be read", e);
        }
        return new MetricSnapshots(families);
    }

    /** The service table, or null (reported) when the listing failed. */
    private ControlReply.ServiceTable listing() {
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

    /** The families of the real servers, in the library's order as for the services. */
    private void serverFamilies(LabelledListing listing, List<MetricSnapshot> families) {
        ControlReply.RealServerRow[] rows = listing.servers();
        ServerLabels[] labels = listing.serverLabels();
        int[] order = listing.serverOrder();
        CounterFamily.Samples connections = SERVER_CONNECTIONS.samples(rows.length);
        CounterFamily.Samples packets = SERVER_PACKETS.samples(2 * rows.length);
        CounterFamily.Samples bytes = SERVER_BYTES.samples(2 * rows.length);
        GaugeFamily.Samples active = SERVER_ACTIVE_CONNECTIONS.samples(rows.length);
        GaugeFamily.Samples inactive = SERVER_INACTIVE_CONNECTIONS.samples(rows.length);
        GaugeFamily.Samples weight = SERVER_WEIGHT.samples(rows.length);
        for (int i : order) connections.add(labels[i].server(), rows[i].stats().conns());
        for (int i : order) packets.add(labels[i].in(), rows[i].stats().inPackets());
        for (int i : order) packets.add(labels[i].out(), rows[i].stats().outPackets());
        for (int i : order) bytes.add(labels[i].in(), rows[i].stats().inBytes());
        for (int i : order) bytes.add(labels[i].out(), rows[i].stats().outBytes());
        for (int i : order) active.add(labels[i].server(), rows[i].stats().activeConns());
        for (int i : order) inactive.add(labels[i].server(), rows[i].stats().inactiveConns());
        for (int i : order) weight.add(labels[i].server(), rows[i].server().weight());
        families.add(connections.snapshot(problems));
        families.add(packets.snapshot(problems));
        families.add(bytes.snapshot(problems));
        families.add(active.snapshot(problems));
        families.add(inactive.snapshot(problems));
        families.add(weight.snapshot(problems));
    }
}
