package io.jlvs.forwarder;

import io.jlvs.forwarder.fastpath.FastPathMaps;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.connections.ChangeFeed;
import io.jlvs.connections.ConnectionEvents;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.TcpState;
import io.jlvs.control.model.Timeouts;
import io.jlvs.packets.Ipv4;
import io.jlvs.platform.net.Ipv6NextHopLookup;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.schedulers.Destination;
import io.jlvs.schedulers.DestinationIds;

import java.lang.foreign.MemorySegment;

/**
 * What every worker shares: the connection table, the ids of the real servers its entries name, the next-hop
 * cache, the published service index and the knobs. The control plane replaces the index as a whole; workers
 * read it once per frame.
 */
public final class DataPlane implements ConnectionEvents {
    private final ConnectionTable connections;
    private final ChangeFeed changes;
    private final DestinationIds serverIds = new DestinationIds();
    private final NextHopLookup nextHops;
    private volatile Ipv6NextHopLookup ipv6NextHops = Ipv6NextHopLookup.NONE;
    private final Knobs knobs = new Knobs();
    private final DefenseLevels defense = new DefenseLevels(knobs);
    private final SynCookies synCookies = new SynCookies();
    /** The SYN proxy's records, made with the first --synproxy service. */
    private volatile SynProxyStates synProxyStates;
    /** FullNAT's records, made with the first service that has local addresses. */
    private volatile FullNatStates fullNatStates;
    private final LocalAddressPools localAddresses;
    private final int workers;
    private volatile ServiceIndex services = ServiceIndex.EMPTY;
    /** The XDP fast path's connections (--fast-path xdp), or null. */
    private volatile FlowMirror fastPath;
    /** When a connection enters the fast path; set before {@link #fastPath}. */
    private volatile FastPathPromotion fastPathPromotion;
    /** The XDP fast path's answers to SYNs of --synproxy services, or null. */
    private volatile XdpSynProxy xdpSynProxy;
    /** The first worker's ports, where the fast path's sweep reads each interface's MTU; null before a worker. */
    private volatile WorkerPorts egressPorts;

    public DataPlane(int capacity, NextHopLookup nextHops) {
        this(capacity, nextHops, 1);
    }

    /**
     * A data plane with IPVS's default timeouts (jlvsadm --set changes them, see {@link #setTimeouts}).
     *
     * @param workers forwarding threads that will write the traffic counters
     */
    public DataPlane(int capacity, NextHopLookup nextHops, int workers) {
        this(null, capacity, nextHops, workers);
    }

    /**
     * A data plane whose connection entries live in {@code entries} (a {@link io.jlvs.connections.TableFile}'s,
     * so that they outlive the process), or in memory of the table's own when null.
     */
    public DataPlane(MemorySegment entries, int capacity, NextHopLookup nextHops, int workers) {
        this.connections = new ConnectionTable(entries, capacity, this);
        this.localAddresses = new LocalAddressPools(capacity);
        // One ring per worker, and the last for the fast path's sweep (the housekeeping thread).
        this.changes = new ChangeFeed(connections, workers + 1, ChangeFeed.DEFAULT_RING_CAPACITY);
        this.nextHops = nextHops;
        this.workers = workers;
    }

    public int workers() { return workers; }

    /**
     * Lets established connections be mirrored into {@code maps} for the XDP fast path; before the workers start.
     * Returns the mirror, whose {@link FlowMirror#sweep} the housekeeping calls.
     */
    public FlowMirror enableFastPath(FastPathMaps maps) {
        return enableFastPath(maps, 0);
    }

    /**
     * {@link #enableFastPath(FastPathMaps)}, a connection entering only once the Java path has forwarded
     * {@code afterPackets} of its packets (0..255; --fast-path-after).
     */
    public synchronized FlowMirror enableFastPath(FastPathMaps maps, int afterPackets) {
        if (fastPath != null) throw new IllegalStateException("the fast path is enabled already");
        if (maps.capacity() != connections.capacity()) {
            throw new IllegalArgumentException("fast path maps for " + maps.capacity() + " connections, table of "
                    + connections.capacity());
        }
        fastPathPromotion = new FastPathPromotion(connections.capacity(), afterPackets);
        fastPath = new FlowMirror(maps, new FastPathCounters(this, changes.ring(workers)));
        XdpSynProxy answers = new XdpSynProxy(maps.synProxy(), synCookies);
        answers.follow(services);
        xdpSynProxy = answers;
        return fastPath;
    }

    /** The XDP fast path's SYN answers (null when it is off): its clock, its interfaces, its count. */
    public XdpSynProxy xdpSynProxy() { return xdpSynProxy; }

    /** The XDP fast path's connections, or null when it is off. */
    public FlowMirror fastPath() { return fastPath; }

    /**
     * A worker's ports: the first ones given are where the fast path's sweep reads each interface's MTU (every
     * worker has one port on each interface, each following the interface's MTU).
     */
    synchronized void knowPorts(WorkerPorts ports) {
        if (egressPorts == null) egressPorts = ports;
    }

    /** The ports of {@link #knowPorts}, or null before a worker's. */
    WorkerPorts egressPorts() { return egressPorts; }

    /** When a connection enters the fast path; read after {@link #fastPath} returned non-null. */
    FastPathPromotion fastPathPromotion() { return fastPathPromotion; }

    SynCookies synCookies() { return synCookies; }

    /** The SYN proxy's records (null before the first --synproxy service). */
    SynProxyStates synProxyStates() { return synProxyStates; }

    /** Makes the SYN proxy's records if there are none yet (control plane, before the service is published). */
    synchronized void ensureSynProxyStates() {
        if (synProxyStates == null) synProxyStates = new SynProxyStates(connections.capacity());
    }

    /**
     * Keeps the SYN proxy's records in {@code records} ({@link SpliceRecord#BYTES} per entry of the table, zeroed;
     * a file's in shared memory, so that they outlive the process as the table's entries do). Call before any
     * service is applied.
     */
    public synchronized void keepSynProxyStatesIn(MemorySegment records) {
        if (synProxyStates != null) throw new IllegalStateException("the SYN proxy's records exist already");
        if (records.byteSize() < SpliceRecord.BYTES * connections.capacity()) {
            throw new IllegalArgumentException(records.byteSize() + " bytes for the records of "
                    + connections.capacity() + " connections");
        }
        synProxyStates = new SynProxyStates(records);
    }

    /** Whether a connection entry's flags word names FullNAT as its forwarding method. */
    public static boolean isFullNat(int connectionFlags) {
        return (connectionFlags & ConnFlags.METHOD_MASK) == ConnFlags.FULLNAT;
    }

    /** FullNAT's records (null before the first service with local addresses). */
    FullNatStates fullNatStates() { return fullNatStates; }

    /** Makes FullNAT's records if there are none yet (control plane, before the service is published). */
    synchronized void ensureFullNatStates() {
        if (fullNatStates == null) fullNatStates = new FullNatStates(connections.capacity());
    }

    /**
     * Keeps FullNAT's records in {@code records} ({@link FullNatRecord#BYTES} per entry of the table, zeroed; a
     * file's in shared memory, so that they outlive the process as the table's entries do). Call before any
     * service is applied.
     */
    public synchronized void keepFullNatStatesIn(MemorySegment records) {
        if (fullNatStates != null) throw new IllegalStateException("FullNAT's records exist already");
        if (records.byteSize() < FullNatRecord.BYTES * connections.capacity()) {
            throw new IllegalArgumentException(records.byteSize() + " bytes for the records of "
                    + connections.capacity() + " connections");
        }
        fullNatStates = new FullNatStates(records);
    }

    /** Every FullNAT local address with its ports. */
    LocalAddressPools localAddresses() { return localAddresses; }

    /** The DoS defences in force (drop_entry, drop_packet, secure_tcp), judged by the housekeeping thread. */
    public DefenseLevels defense() { return defense; }

    public ConnectionTable connections() { return connections; }

    /**
     * The connections to send to backup directors: each worker offers the ones it created or moved to a state worth
     * sending to its own ring; one consumer thread drains them ({@link ChangeFeed#drain}) or walks the table.
     */
    public ChangeFeed changes() { return changes; }

    /** The allocator of the ids that connection entries store: every Destination of this data plane takes one. */
    public DestinationIds serverIds() { return serverIds; }

    public NextHopLookup nextHops() { return nextHops; }

    /** The next hops of IPv6 destinations ({@link Ipv6NextHopLookup#NONE} until set). */
    public Ipv6NextHopLookup ipv6NextHops() { return ipv6NextHops; }

    /** Sets where IPv6 next hops come from; before the workers start. */
    public void setIpv6NextHops(Ipv6NextHopLookup lookup) { this.ipv6NextHops = lookup; }

    public Knobs knobs() { return knobs; }

    public ServiceIndex services() { return services; }

    /** Puts {@code next} in force for the workers, and for the XDP program's SYN answers. */
    void publish(ServiceIndex next) {
        this.services = next;
        XdpSynProxy answers = xdpSynProxy;
        if (answers != null) answers.follow(next);
    }

    /** The real server a connection entry names, or null once it is gone. */
    RuntimeDest dest(int destId) {
        Destination server = serverIds.lookup(destId);
        return server == null ? null : (RuntimeDest) server.attachment();
    }

    @Override
    public void countsChanged(int destId, int activeDelta, int inactiveDelta) {
        Destination server = serverIds.lookup(destId);
        if (server == null) return;
        // One call judges OVERLOAD on the net change: an inactive -> active move must not look like one more.
        server.addConnections(activeDelta, inactiveDelta);
    }

    /** The timeouts ipvsadm --set changes, as the connection table applies them. */
    public Timeouts timeouts() {
        return new Timeouts(connections.timeoutSeconds(Ipv4.PROTO_TCP, TcpState.ESTABLISHED),
                connections.timeoutSeconds(Ipv4.PROTO_TCP, TcpState.FIN_WAIT),
                connections.timeoutSeconds(Ipv4.PROTO_UDP, 0));
    }

    /** ipvsadm --set: {@link Timeouts#merge} of the update; applies from each connection's next packet. */
    public synchronized void setTimeouts(Timeouts update) {
        Timeouts next = timeouts().merge(update);
        connections.setTimeoutSeconds(Ipv4.PROTO_TCP, TcpState.ESTABLISHED, next.tcp());
        connections.setTimeoutSeconds(Ipv4.PROTO_TCP, TcpState.FIN_WAIT, next.tcpFin());
        connections.setTimeoutSeconds(Ipv4.PROTO_UDP, 0, next.udp());
    }
}
