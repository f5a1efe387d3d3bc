package io.jlvs.forwarder;

import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.schedulers.ServiceScheduler;

import java.util.List;

/**
 * A virtual service as the data plane runs it: its scheduler (with persistence), its real servers and counters.
 * The server list is replaced as a whole (copy on write) so workers never see it half changed.
 */
public final class RuntimeService {
    final int id;
    final ServiceKey key;
    volatile ServiceConfig config;
    final ServiceScheduler scheduler;
    final TrafficCounters counters;
    /** Workers writing the counters of this service and its servers. */
    final int workers;
    volatile List<RuntimeDest> dests = List.of();
    /** --pe sip on a persistent service: templates are keyed by the SIP Call-ID too. */
    volatile boolean sipPersistence;
    /** -o: every UDP packet is scheduled on its own and leaves no connection behind. */
    volatile boolean onePacket;
    /** --synproxy: the director answers SYNs with cookies and opens connections only on a returned cookie. */
    volatile boolean synproxy;
    /** --sloppy-tcp: a TCP segment without SYN and without a connection is scheduled (sloppy_tcp for this service). */
    volatile boolean sloppyTcp;
    /** --laddr: the local addresses FullNAT connections of this service leave from. */
    volatile LocalAddressPorts[] localAddresses = new LocalAddressPorts[0];

    RuntimeService(int id, ServiceConfig config, ServiceScheduler scheduler, int workers) {
        this.id = id;
        this.workers = workers;
        this.counters = new TrafficCounters(workers);
        this.key = config.key();
        this.config = config;
        this.scheduler = scheduler;
    }

    public int id() { return id; }

    public ServiceKey key() { return key; }

    public ServiceConfig config() { return config; }

    public TrafficCounters counters() { return counters; }

    public List<RuntimeDest> dests() { return dests; }

    RuntimeDest dest(long addrHi, long addrLo, int port) {
        for (RuntimeDest d : dests) {
            if (d.server.addrHi() == addrHi && d.server.addrLo() == addrLo && d.server.port() == port) return d;
        }
        return null;
    }
}
