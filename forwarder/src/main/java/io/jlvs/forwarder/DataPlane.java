package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionEvents;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.schedulers.RealServer;

/**
 * What every worker shares: the connection table, the next-hop cache, the published service index and the
 * knobs. The control plane replaces the index as a whole; workers read it once per frame.
 */
public final class DataPlane implements ConnectionEvents {
    private final ConnectionTable connections;
    private final NextHopLookup nextHops;
    private final Knobs knobs = new Knobs();
    private volatile ServiceIndex services = ServiceIndex.EMPTY;

    public DataPlane(int capacity, io.jlvs.connections.Timeouts timeouts, NextHopLookup nextHops) {
        this(capacity, timeouts, nextHops, 1);
    }

    /** @param workers forwarding threads that will write the traffic counters */
    public DataPlane(int capacity, io.jlvs.connections.Timeouts timeouts, NextHopLookup nextHops, int workers) {
        this.connections = new ConnectionTable(capacity, this, timeouts);
        this.nextHops = nextHops;
        this.workers = workers;
    }

    private final int workers;

    public int workers() { return workers; }

    public ConnectionTable connections() { return connections; }

    public NextHopLookup nextHops() { return nextHops; }

    public Knobs knobs() { return knobs; }

    public ServiceIndex services() { return services; }

    void publish(ServiceIndex next) { this.services = next; }

    /** The real server a connection entry names, or null once it is gone. */
    RuntimeDest dest(int destId) {
        RealServer server = RealServer.byId(destId);
        return server == null ? null : (RuntimeDest) server.attachment();
    }

    @Override
    public void countsChanged(int destId, int activeDelta, int inactiveDelta) {
        RealServer server = RealServer.byId(destId);
        if (server == null) return;
        // One call judges OVERLOAD on the net change: an inactive -> active move must not look like one more.
        server.addConnections(activeDelta, inactiveDelta);
    }
}
