package io.jlvs.console;

/**
 * What the console reads from the data plane beside the control requests: the connection table's occupancy, the
 * drops by reason and the workers' counters. The daemon implements it over its workers; every read is racy (the
 * workers are the single writers) and cheap enough for a scrape a second.
 */
public interface DataPlaneTelemetry {
    /** Entries in the connection table now (connections and persistence templates). */
    long tableEntries();

    /** Entries the table can hold (--capacity). */
    long tableCapacity();

    /** Receives one drop reason and its count summed over the workers. */
    @FunctionalInterface
    interface DropVisitor {
        void drop(String reason, long count);
    }

    /** Every drop reason (by its name in DropReason, lower case) with its count, zeros included. */
    void forEachDrop(DropVisitor visitor);

    /** Receives one result of importing a connection a sync master sent, and its count. */
    @FunctionalInterface
    interface ImportVisitor {
        void imported(String result, long count);
    }

    /**
     * Every result of the connections imported from sync masters (by its name in ImportResult, lower case: created,
     * updated, stale, no_service, ...) with its count, zeros included; none for a director without a data plane.
     */
    default void forEachImport(ImportVisitor visitor) {}

    /**
     * One worker's counters.
     *
     * @param framesReceived frames the worker took from its rings
     * @param framesSent     frames it queued for transmission
     * @param ringDrops      frames the kernel dropped because the worker's receive rings were full
     * @param transmitFull   frames not sent because a transmit ring was full
     * @param afXdp          the worker's AF_XDP sockets' XDP_STATISTICS summed, by the kernel's field name
     *                       (rx_ring_full, rx_fill_ring_empty_descs, ...); empty for the other packet backends
     */
    record WorkerCounters(int worker, long framesReceived, long framesSent, long ringDrops, long transmitFull,
                          java.util.Map<String, Long> afXdp) {
        public WorkerCounters(int worker, long framesReceived, long framesSent, long ringDrops, long transmitFull) {
            this(worker, framesReceived, framesSent, ringDrops, transmitFull, java.util.Map.of());
        }
    }

    /** The forwarding workers' counters, one per worker. */
    java.util.List<WorkerCounters> workers();

    /** A director with no data plane (tests of the HTTP surface): an empty table, no drops, no workers. */
    DataPlaneTelemetry NONE = new DataPlaneTelemetry() {
        public long tableEntries() { return 0; }

        public long tableCapacity() { return 0; }

        public void forEachDrop(DropVisitor visitor) {}

        public java.util.List<WorkerCounters> workers() { return java.util.List.of(); }
    };
}
