package io.jlvs.forwarder;

import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.platform.log.RateLimitedLog;
import io.jlvs.schedulers.Destination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.jlvs.schedulers.DestinationIds;

/**
 * A real server of a running service: the scheduler's {@link Destination} (weight, thresholds, connection counts)
 * plus what forwarding needs. Attached to the Destination so a scheduling decision leads here without a lookup.
 */
public final class RuntimeDest {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeDest.class);

    final Destination server;
    final RuntimeService service;
    final TrafficCounters counters;
    volatile RealServerConfig config;
    volatile ForwardMethod method;
    /** Set when the server is deleted: it keeps its connections until they end, then its id is released. */
    volatile boolean removed;
    /** The missing-return-path warning: once per real server, the cause does not change by repeating it. */
    private final RateLimitedLog gatewayWarning = RateLimitedLog.once(LOG);
    /** TUN: path MTU to the server learnt from ICMP errors about the tunnel packets. */
    final TunnelPathMtu tunnelPathMtu = new TunnelPathMtu();
    /**
     * FullNAT, per protocol (TCP, UDP): the end of the back-off after every local address of the service was
     * found full toward this server ({@link LocalPortReservation}); 0 when none was.
     */
    final long[] localPortsFullUntil = new long[2];

    /** @param ids the data plane's real-server ids: the server takes one for its connection entries */
    RuntimeDest(RuntimeService service, RealServerConfig config, DestinationIds ids) {
        this.service = service;
        this.counters = new TrafficCounters(service.workers);
        this.config = config;
        this.method = config.method();
        this.server = new Destination(ids, config.addrHi(), config.addrLo(), config.port(), config.weight());
        server.setUpperThreshold(config.upperThreshold());
        server.setLowerThreshold(config.lowerThreshold());
        server.setAttachment(this);
    }

    void reconfigure(RealServerConfig next) {
        server.setWeight(next.weight());
        server.setUpperThreshold(next.upperThreshold());
        server.setLowerThreshold(next.lowerThreshold());
        this.method = next.method();
        this.config = next;
    }

    public Destination server() { return server; }

    public RuntimeService service() { return service; }

    public TrafficCounters counters() { return counters; }

    /** A server's reply of one of its connections, counted for it and its service; nothing when {@code dest} is gone. */
    static void countReply(RuntimeDest dest, int worker, int length) {
        if (dest == null) return;
        dest.counters.outbound(worker, length);
        dest.service.counters.outbound(worker, length);
        dest.counters.replySeen(worker);
    }

    public RealServerConfig config() { return config; }

    public ForwardMethod method() { return method; }

    public int addressV4() { return (int) server.addrLo(); }

    private long lastSyns, lastReplies;

    /**
     * Housekeeping (every 2 s): SYNs forwarded in NAT but no reply seen since the last check, while the server had
     * SYNs before too, means replies bypass the director. Logged once, with the usual cause.
     */
    public void checkReturnPath() {
        // SYNs forwarded to this server (NAT) and replies seen from it: a gap means its gateway is not the director.
        long syns = counters.synsForwarded(), replies = counters.repliesSeen();
        if (method == ForwardMethod.MASQ && syns - lastSyns >= 3 && replies == lastReplies) {
            gatewayWarning.warn("real server {} got {} SYNs in NAT mode and sent no reply through the director: "
                    + "its default gateway must be the director", server, syns - lastSyns);
        }
        lastSyns = syns;
        lastReplies = replies;
    }
}
