package io.jlvs.daemon;

import io.jlvs.connections.ConnectionTable;
import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.forwarder.DropReason;
import io.jlvs.forwarder.ImportCounters;
import io.jlvs.forwarder.ImportResult;
import io.jlvs.forwarder.Worker;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.packetio.PortStats;
import io.jlvs.platform.xdp.XdpStatistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The data plane's counters for the console and the metrics: racy reads of what the workers count. */
final class WorkerTelemetry implements DataPlaneTelemetry {
    private static final DropReason[] REASONS = DropReason.values();
    private static final String[] NAMES = new String[REASONS.length];

    private static final ImportResult[] IMPORT_RESULTS = ImportResult.values();
    private static final String[] IMPORT_NAMES = new String[IMPORT_RESULTS.length];

    static {
        for (DropReason r : REASONS) NAMES[r.ordinal()] = r.name().toLowerCase(Locale.ROOT);
        for (ImportResult r : IMPORT_RESULTS) IMPORT_NAMES[r.ordinal()] = r.name().toLowerCase(Locale.ROOT);
    }

    /** struct xdp_statistics' field names, in XdpStatistics' order. */
    private static final String[] AF_XDP_EVENTS = {"rx_dropped", "rx_invalid_descs", "tx_invalid_descs",
            "rx_ring_full", "rx_fill_ring_empty_descs", "tx_ring_empty_descs"};

    private final ConnectionTable table;
    private final Supplier<List<Worker>> workers;
    /** The SYN-ACKs the XDP fast path sent: counted with the workers' SYNPROXY_SYN. */
    private final LongSupplier kernelSynAcks;

    private final ImportCounters imports;

    WorkerTelemetry(ConnectionTable table, Supplier<List<Worker>> workers, LongSupplier kernelSynAcks,
                    ImportCounters imports) {
        this.table = table;
        this.workers = workers;
        this.kernelSynAcks = kernelSynAcks;
        this.imports = imports;
    }

    @Override
    public long tableEntries() { return table.size(); }

    @Override
    public long tableCapacity() { return table.capacity(); }

    @Override
    public void forEachDrop(DropVisitor visitor) {
        List<Worker> all = workers.get();
        for (DropReason r : REASONS) {
            long n = 0;
            for (Worker w : all) n += w.drops().get(r);
            if (r == DropReason.SYNPROXY_SYN) n += kernelSynAcks.getAsLong();
            visitor.drop(NAMES[r.ordinal()], n);
        }
    }

    @Override
    public void forEachImport(ImportVisitor visitor) {
        for (ImportResult r : IMPORT_RESULTS) visitor.imported(IMPORT_NAMES[r.ordinal()], imports.get(r));
    }

    @Override
    public List<WorkerCounters> workers() {
        List<WorkerCounters> out = new ArrayList<>();
        for (Worker w : workers.get()) {
            long received = 0, sent = 0, ringDrops = 0, full = 0;
            long[] xdp = new long[AF_XDP_EVENTS.length];
            boolean afXdp = false;
            for (PacketPort p : w.ports()) {
                PortStats s = p.stats();
                if (s == null) continue;
                received += s.received();
                sent += s.sent();
                ringDrops += s.kernelDrops();
                full += s.txFull();
                XdpStatistics x = s.xdp();
                if (x != XdpStatistics.NONE) {
                    afXdp = true;
                    long[] v = {x.rxDropped(), x.rxInvalidDescriptors(), x.txInvalidDescriptors(), x.rxRingFull(),
                            x.rxFillRingEmpty(), x.txRingEmpty()};
                    for (int i = 0; i < v.length; i++) xdp[i] += v[i];
                }
            }
            Map<String, Long> events = new LinkedHashMap<>();
            if (afXdp) for (int i = 0; i < xdp.length; i++) events.put(AF_XDP_EVENTS[i], xdp[i]);
            out.add(new WorkerCounters(w.index(), received, sent, ringDrops, full, events));
        }
        return out;
    }
}
