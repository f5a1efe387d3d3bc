package io.jlvs.console.metrics;

import io.jlvs.console.DataPlaneTelemetry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/** The data plane's own counters: the connection table's occupancy, the drops by reason, the workers' frames. */
final class DataPlaneCollector {
    static final GaugeFamily TABLE_ENTRIES = new GaugeFamily("jlvs_connection_table_entries",
            "Entries in the connection table (connections and persistence templates).");
    static final GaugeFamily TABLE_CAPACITY = new GaugeFamily("jlvs_connection_table_capacity",
            "Entries the connection table can hold.");
    static final CounterFamily DROPS = new CounterFamily("jlvs_drops",
            "Frames the data plane dropped, by reason.", null);
    static final CounterFamily SYNC_IMPORTS = new CounterFamily("jlvs_sync_imported_connections",
            "Connections learnt from sync masters, by what became of each: created, updated, stale (the end of a "
                    + "connection already replaced here), or refused (no_service, no_server, table_full, invalid).",
            null);
    static final CounterFamily WORKER_FRAMES_RECEIVED = new CounterFamily("jlvs_worker_frames_received",
            "Frames the worker took from its receive rings.", null);
    static final CounterFamily WORKER_FRAMES_SENT = new CounterFamily("jlvs_worker_frames_sent",
            "Frames the worker queued for transmission.", null);
    static final CounterFamily WORKER_RING_DROPS = new CounterFamily("jlvs_worker_ring_drops",
            "Frames the kernel dropped because the worker's receive rings were full.", null);
    static final CounterFamily WORKER_TRANSMIT_FULL = new CounterFamily("jlvs_worker_transmit_full",
            "Frames the worker did not send because a transmit ring was full.", null);
    static final CounterFamily WORKER_AFXDP_EVENTS = new CounterFamily("jlvs_worker_afxdp_events",
            "The worker's AF_XDP sockets' XDP_STATISTICS (--io afxdp), by the kernel's field name: rx_ring_full and "
                    + "rx_fill_ring_empty_descs are the overload signals.", null);

    private final DataPlaneTelemetry telemetry;
    private final ScrapeProblems problems;

    DataPlaneCollector(DataPlaneTelemetry telemetry, ScrapeProblems problems) {
        this.telemetry = telemetry;
        this.problems = problems;
    }

    /** Each source is read on its own: one that fails leaves the others' families in the scrape. */
    void families(List<MetricSnapshot> families) {
        try {
            table(families);
        } catch (RuntimeException e) {
            problems.report("the connection table's occupancy could not be read", e);
        }
        try {
            drops(families);
        } catch (RuntimeException e) {
            problems.report("the drop counters could not be read", e);
        }
        try {
            imports(families);
        } catch (RuntimeException e) {
            problems.report("the sync import counters could not be read", e);
        }
        try {
            workers(families);
        } catch (RuntimeException e) {
            problems.report("the workers' counters could not be read", e);
        }
    }

    private void table(List<MetricSnapshot> families) {
        GaugeFamily.Samples entries = TABLE_ENTRIES.samples(1);
        entries.add(Labels.EMPTY, telemetry.tableEntries());
        GaugeFamily.Samples capacity = TABLE_CAPACITY.samples(1);
        capacity.add(Labels.EMPTY, telemetry.tableCapacity());
        families.add(entries.snapshot(problems));
        families.add(capacity.snapshot(problems));
    }

    private void imports(List<MetricSnapshot> families) {
        CounterFamily.Samples imports = SYNC_IMPORTS.samples(8);
        telemetry.forEachImport((result, count) -> {
            if (result != null) imports.add(Labels.of("result", result), count);
        });
        families.add(imports.snapshot(problems));
    }

    private void drops(List<MetricSnapshot> families) {
        CounterFamily.Samples drops = DROPS.samples(32);
        telemetry.forEachDrop((reason, count) -> {
            if (reason != null) drops.add(Labels.of("reason", reason), count);
        });
        families.add(drops.snapshot(problems));
    }

    private void workers(List<MetricSnapshot> families) {
        List<DataPlaneTelemetry.WorkerCounters> workers = telemetry.workers();
        CounterFamily.Samples received = WORKER_FRAMES_RECEIVED.samples(workers.size());
        CounterFamily.Samples sent = WORKER_FRAMES_SENT.samples(workers.size());
        CounterFamily.Samples ringDrops = WORKER_RING_DROPS.samples(workers.size());
        CounterFamily.Samples transmitFull = WORKER_TRANSMIT_FULL.samples(workers.size());
        CounterFamily.Samples afXdp = WORKER_AFXDP_EVENTS.samples(6 * workers.size());
        for (DataPlaneTelemetry.WorkerCounters w : workers) {
            Labels worker = Labels.of("worker", Integer.toString(w.worker()));
            received.add(worker, w.framesReceived());
            sent.add(worker, w.framesSent());
            ringDrops.add(worker, w.ringDrops());
            transmitFull.add(worker, w.transmitFull());
            w.afXdp().forEach((event, count) ->
                    afXdp.add(Labels.of("worker", Integer.toString(w.worker()), "event", event), count));
        }
        families.add(received.snapshot(problems));
        families.add(sent.snapshot(problems));
        families.add(ringDrops.snapshot(problems));
        families.add(transmitFull.snapshot(problems));
        if (workers.stream().anyMatch(w -> !w.afXdp().isEmpty())) families.add(afXdp.snapshot(problems));
    }
}
