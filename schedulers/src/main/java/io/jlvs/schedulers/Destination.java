package io.jlvs.schedulers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A destination: one real server as the schedulers see it (the kernel's {@code struct ip_vs_dest}): address, port,
 * weight, connection thresholds, the OVERLOAD flag and the connection counters. The desired state of a real server is
 * the control model's RealServerConfig; the data plane's RuntimeDest pairs a Destination with what forwarding needs.
 *
 * <p>The counters belong to the connection table, which calls the {@code add*} methods when it binds or unbinds a
 * connection or moves one between active and inactive; schedulers only read them. The add methods re-evaluate
 * OVERLOAD exactly as ip_vs_bind_dest/ip_vs_unbind_dest do: set when active + inactive reaches the upper threshold
 * as a connection is added; cleared, as one goes away, below the lower threshold, or below 3/4 of the upper
 * threshold when the lower one is 0, or at once when no upper threshold is set.
 *
 * <p>Every field read by forwarding threads is volatile or updated atomically. The active and inactive counts live
 * in one long word ({@link ConnectionCounts}) changed by a single atomic add, so a reader always sees a pair that
 * existed, and the least-connection scans get the overhead with one load. What makes the scans fast is the cheap
 * pre-filter that {@link #weightReciprocal} allows (see {@link LeastLoad}), not the memory layout of these fields.
 * Every change that lc, wlc, sed or nq read also bumps the version of the server's {@link ScanBlocks} block, one more atomic add, so that
 * their incremental scans rescan only the blocks that changed.
 */
public final class Destination {
    public static final int MAX_WEIGHT = 65535;

    // Hot fields first: every scheduler reads these.
    private volatile int weight;
    private volatile boolean overloaded;
    /** Active and overhead (active*256 + inactive) packed; see {@link ConnectionCounts}. */
    private volatile long connections;
    /** floor(2^32 / weight), 2^32 for weight 0: the scans' multiply-only pre-filter (see {@link LeastLoad}). */
    private volatile long weightReciprocal;
    private volatile int persistConns;
    private volatile int upperThreshold;
    private volatile int lowerThreshold;
    /** The kernel's IP_VS_DEST_F_AVAILABLE: the server belongs to its service (not deleted). */
    private volatile boolean available = true;
    /** Last weight above 0: Maglev keeps a quiescent server's slots so that draining it moves no other flow. */
    private volatile int lastWeight;

    private static final VarHandle CONNECTIONS;
    private static final VarHandle PERSIST;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONNECTIONS = lookup.findVarHandle(Destination.class, "connections", long.class);
            PERSIST = lookup.findVarHandle(Destination.class, "persistConns", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long addrHi;
    private final long addrLo;
    private final int port;
    private final int id;
    private final DestinationIds ids;

    /** The forwarder's per-server data (forwarding method, next hop ...); never read here. */
    private volatile Object attachment;
    /** The service whose tables depend on this server's weight; told when the weight changes. */
    private volatile ServiceScheduler owner;
    /**
     * The block of the incremental least-load scans that this server belongs to (null: none): bumped after every
     * change those scans read (counts, OVERLOAD, weight), so that cached block winners know they are stale.
     */
    private volatile ScanBlocks.Slot scanSlot;

    /** @param ids the allocator of the data plane the server belongs to: it gives the server its {@link #id} */
    public Destination(DestinationIds ids, long addrHi, long addrLo, int port, int weight) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        checkWeight(weight);
        this.addrHi = addrHi;
        this.addrLo = addrLo;
        this.port = port;
        this.weight = weight;
        this.weightReciprocal = reciprocal(weight);
        this.lastWeight = weight;
        this.ids = ids;
        this.id = ids.allocate(this);
    }

    public long addrHi() { return addrHi; }
    public long addrLo() { return addrLo; }
    public int port() { return port; }

    /**
     * Small dense id, unique among the live servers of its {@link DestinationIds}, for connection-table entries;
     * see {@link DestinationIds#lookup} and {@link #retire}.
     */
    public int id() { return id; }

    /**
     * Gives the id back for reuse. Call once the server is deleted and no connection-table entry refers to it any
     * more (the kernel keeps such servers in its trash until then).
     */
    public void retire() { ids.release(id, this); }

    public int weight() { return weight; }

    /** 0..65535; 0 makes the server quiescent (no new connections, existing ones stay). Rebuilds the owner's tables. */
    public void setWeight(int weight) {
        checkWeight(weight);
        this.weight = weight;
        this.weightReciprocal = reciprocal(weight);
        if (weight > 0) lastWeight = weight;
        scanInputChanged();
        ServiceScheduler service = owner;
        if (service != null) service.serverChanged(this);
    }

    /** The weight before the server was made quiescent (0 if it was added with weight 0). */
    public int lastWeight() { return lastWeight; }

    public int upperThreshold() { return upperThreshold; }
    public int lowerThreshold() { return lowerThreshold; }

    /** 0 = no limit. As __ip_vs_update_dest does, removing or raising the limit clears OVERLOAD. */
    public void setUpperThreshold(int upper) {
        if (upper < 0) throw new IllegalArgumentException("threshold must be >= 0");
        int previous = upperThreshold;
        this.upperThreshold = upper;
        if (upper == 0 || upper > previous) setOverloaded(false);
        scanInputChanged();
    }

    public void setLowerThreshold(int lower) {
        if (lower < 0) throw new IllegalArgumentException("threshold must be >= 0");
        this.lowerThreshold = lower;
    }

    /** The kernel's IP_VS_DEST_F_OVERLOAD. */
    public boolean overloaded() { return overloaded; }

    /**
     * The kernel's IP_VS_DEST_F_AVAILABLE: true while the server is part of its service. A deleted server is not
     * available; a quiescent (weight 0) or overloaded one still is. Persistence templates and the locality caches
     * drop servers that are not available.
     */
    public boolean available() { return available; }

    void setAvailable(boolean available) { this.available = available; }

    /** What most schedulers require of a candidate: weight above 0 and not OVERLOADed. */
    public boolean acceptsNewConnections() { return weight > 0 && !overloaded; }

    public int activeConns() { return ConnectionCounts.active(connections); }
    public int inactiveConns() { return ConnectionCounts.inactive(connections); }
    public int persistConns() { return persistConns; }

    /** The kernel's ip_vs_dest_conn_overhead: active connections weigh 256 times an inactive one. */
    public int overhead() { return ConnectionCounts.overhead(connections); }

    /** The packed word the scans read with one load; decode with {@link ConnectionCounts}. */
    long connections() { return connections; }

    /** floor(2^32 / weight) as of the last weight change (2^32 for weight 0). */
    long weightReciprocal() { return weightReciprocal; }

    public void addActive(int delta) {
        addConnections(delta, 0);
    }

    public void addInactive(int delta) {
        addConnections(0, delta);
    }

    /**
     * Both counts at once, OVERLOAD re-evaluated on the net change of active + inactive: +1 binds (may set it),
     * -1 unbinds (may clear it), 0 is a state change between active and inactive (leaves it, as the kernel does).
     * Prefer this to two add calls, which would evaluate a transient total.
     */
    public void addConnections(int activeDelta, int inactiveDelta) {
        long delta = ConnectionCounts.delta(activeDelta, inactiveDelta);
        long after = (long) CONNECTIONS.getAndAdd(this, delta) + delta;
        reevaluateOverload(activeDelta + inactiveDelta, ConnectionCounts.total(after));
        scanInputChanged();
    }

    /** Persistence templates; counted apart, but binding one re-evaluates OVERLOAD as any connection does. */
    public void addPersistent(int delta) {
        PERSIST.getAndAdd(this, delta);
        reevaluateOverload(delta, ConnectionCounts.total(connections));
        scanInputChanged();
    }

    /** A connection changing between inactive and active (TCP state change): the total stays, OVERLOAD too. */
    public void moveInactiveToActive() {
        CONNECTIONS.getAndAdd(this, ConnectionCounts.delta(1, -1));
        scanInputChanged();
    }

    public void moveActiveToInactive() {
        CONNECTIONS.getAndAdd(this, ConnectionCounts.delta(-1, 1));
        scanInputChanged();
    }

    public Object attachment() { return attachment; }
    public void setAttachment(Object attachment) { this.attachment = attachment; }

    ServiceScheduler owner() { return owner; }
    void setOwner(ServiceScheduler owner) { this.owner = owner; }

    ScanBlocks.Slot scanSlot() { return scanSlot; }
    void setScanSlot(ScanBlocks.Slot slot) { this.scanSlot = slot; }

    private void setOverloaded(boolean on) { overloaded = on; }

    /** After the change itself (see {@link ScanBlocks#bump}): one atomic add per update. */
    private void scanInputChanged() {
        ScanBlocks.Slot slot = scanSlot;
        if (slot != null) slot.bump();
    }

    private void reevaluateOverload(int delta, int total) {
        int upper = upperThreshold;
        if (delta > 0) {
            if (upper != 0 && total >= upper) setOverloaded(true);
        } else if (delta < 0 && overloaded) {
            int lower = lowerThreshold;
            if (lower != 0) {
                if (total < lower) setOverloaded(false);
            } else if (upper != 0) {
                if (total * 4 < upper * 3) setOverloaded(false);
            } else {
                setOverloaded(false);
            }
        }
    }

    private static long reciprocal(int weight) {
        return weight == 0 ? 1L << 32 : (1L << 32) / weight;
    }

    private static void checkWeight(int weight) {
        if (weight < 0 || weight > MAX_WEIGHT) throw new IllegalArgumentException("weight out of range 0..65535: " + weight);
    }

    @Override
    public String toString() {
        return ServerAddresses.format(addrHi, addrLo, port) + " w=" + weight() + " id=" + id;
    }
}
