package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.PreviousTable;
import io.jlvs.connections.TcpState;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.schedulers.Destination;
import io.jlvs.schedulers.PersistenceTemplates;

import java.lang.foreign.MemorySegment;

/**
 * Creates or updates connections described from outside the packet path (a sync master's messages, the
 * entries a previous daemon left) in the connection table, bound to the running services and real servers by
 * address: the service by its fwmark when the connection has one, else by protocol, virtual address and port;
 * the server by its address and port within the service (DR and TUN servers, and port-0 NAT servers, by address).
 * The connection keeps its own state, deadline and forwarding method. Calls are serialized (one importing
 * thread at a time); nothing here runs on a forwarding worker.
 */
final class ConnectionImporter {
    private static final long SECOND = 1_000_000_000L;
    private final DataPlane plane;
    private final ConnectionTable conns;
    private final ImportCounters counters = new ImportCounters();
    private final ConnectionParam key = new ConnectionParam();
    private final FlowDescription templateFlow = new FlowDescription();
    private final ConnectionView existing = new ConnectionView();
    private final SpliceRecord previousSplice = new SpliceRecord();
    private final FullNatRecord previousFullNat = new FullNatRecord();
    /** FullNAT's record of the connection {@link #bind} is binding (none: not present). */
    private FullNatRecord fullNat;
    /** The SYN proxy's record of the connection {@link #bind} is binding (state NONE: none). */
    private SpliceRecord splice;
    /** Whether {@link #bind} gave the FullNAT connection it bound its local port (the record written). */
    private boolean fullNatRecorded;
    /** Re-attached FullNAT connections that did not get their local port back, since this importer began. */
    private int fullNatWithoutPort;

    ConnectionImporter(DataPlane plane) {
        this.plane = plane;
        this.conns = plane.connections();
    }

    ImportCounters counters() { return counters; }

    synchronized ImportResult importConnection(ConnectionImport c, long nowNanos) {
        if (c.splice.state != SpliceRecord.NONE && !c.splice.valid()) {
            counters.count(ImportResult.INVALID);
            return ImportResult.INVALID;
        }
        if (c.fullNat.present() && (!c.fullNat.valid() || c.method != ForwardMethod.FULLNAT
                || c.fullNat.ipv6 == Addresses.isV4(c.virtualHi, c.virtualLo))) {
            counters.count(ImportResult.INVALID);
            return ImportResult.INVALID;
        }
        splice = c.splice;
        fullNat = c.fullNat;
        ImportResult r = bind(c.protocol, c.clientHi, c.clientLo, c.clientPort, c.virtualHi, c.virtualLo, c.virtualPort,
                c.realHi, c.realLo, c.realPort, c.fwmark, c.method == null ? -1 : ConnFlags.of(c.method), c.state,
                c.timeoutSeconds < 1 ? -1 : nowNanos + c.timeoutSeconds * SECOND, c.template, c.inactive, nowNanos);
        counters.count(r);
        return r;
    }

    /** A previous daemon's entry, as {@link PreviousTable#forEachLive} shows it, with its own deadline and method. */
    synchronized ImportResult reattach(ConnectionView v, long nowNanos) {
        return reattach(v, null, null, nowNanos);
    }

    /**
     * As {@link #reattach(ConnectionView, long)}, with the previous daemon's SYN proxy records (null: none kept):
     * a proxied connection takes its record along, and stays proxied without one (its segments then count as
     * SYNPROXY_LOST, never forwarded unjoined); and with FullNAT's (null: none kept): a FullNAT connection keeps
     * its local address and port (the port taken again in its address's ports) and its PROXY header shift.
     */
    synchronized ImportResult reattach(ConnectionView v, MemorySegment previousSplices, MemorySegment previousFullNats,
                                       long nowNanos) {
        boolean proxied = (v.flags() & ConnFlags.SPLICED) != 0;
        previousSplice.clear();
        if (proxied && previousSplices != null) {
            SynProxyStates.read(previousSplices, (int) v.handle(), previousSplice);
            if (!previousSplice.valid()) previousSplice.clear();
        }
        splice = previousSplice;
        previousFullNat.clear();
        if ((v.flags() & ConnFlags.METHOD_MASK) == ConnFlags.FULLNAT && previousFullNats != null) {
            FullNatStates.read(previousFullNats, (int) v.handle(), previousFullNat);
            if (!previousFullNat.valid() || previousFullNat.ipv6 == Addresses.isV4(v.virtualHi(), v.virtualLo())) {
                previousFullNat.clear();
            }
        }
        fullNat = previousFullNat;
        fullNatRecorded = false;
        ImportResult r = bind(v.protocol(), v.clientHi(), v.clientLo(), v.clientPort(), v.virtualHi(), v.virtualLo(),
                v.virtualPort(), v.realHi(), v.realLo(), v.realPort(), v.fwmark(),
                v.flags() & (ConnFlags.METHOD_MASK | (proxied ? ConnFlags.SPLICED : 0)), v.state(),
                v.expiresAtNanos(), false, false, nowNanos);
        boolean bound = r == ImportResult.CREATED || r == ImportResult.UPDATED;
        if (bound && DataPlane.isFullNat(v.flags()) && !fullNatRecorded) fullNatWithoutPort++;
        return r;
    }

    /** Re-attached FullNAT connections that did not get their local port back (no record, or not claimed). */
    synchronized int fullNatWithoutPort() { return fullNatWithoutPort; }

    private ImportResult bind(int proto, long cHi, long cLo, int cPort, long vHi, long vLo, int vPort,
                              long rHi, long rLo, int rPort, int fwmark, int flags, int state, long deadline,
                              boolean template, boolean inactive, long now) {
        if ((proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP) || flags < 0 || deadline < 0
                || (proto == Ipv4.PROTO_TCP ? state < 0 || state >= TcpState.COUNT : state != 0)
                || (cPort | vPort | rPort) >>> 16 != 0) {
            return ImportResult.INVALID;
        }
        ServiceIndex index = plane.services();
        boolean v4 = Addresses.isV4(vHi, vLo);
        RuntimeService service = fwmark != 0 ? (v4 ? index.byMark(fwmark) : index.ipv6().byMark(fwmark))
                : v4 ? index.lookup(proto, (int) vLo, vPort)
                : index.ipv6().lookup(proto, vHi, vLo, vPort);
        if (service == null) return ImportResult.NO_SERVICE;
        RuntimeDest dest = serverOf(service, rHi, rLo, rPort);
        if (dest == null) return ImportResult.NO_SERVER;
        if (template) return bindTemplate(service, dest, proto, cHi, cLo, cPort, vHi, vLo, vPort, deadline, now);
        key.protocol(proto).client(cHi, cLo, cPort).virtual(vHi, vLo, vPort).real(rHi, rLo, rPort)
                .binding(service.id, dest.server.id(), flags).fwmark(fwmark);
        if (inactive && conns.lookup(key, ConnectionTable.DIR_INPUT, existing) >= 0
                && !boundTo(existing, rHi, rLo, rPort)) {
            return ImportResult.STALE;
        }
        // The client of a persistent service stays with this server, as its template on the other side says: a
        // connection learnt from a master or a previous daemon binds it (for the persistence timeout at least).
        PersistenceTemplates templates = service.scheduler.templates();
        if (templates.enabled()) {
            bindTemplate(service, dest, proto, cHi, cLo, cPort, vHi, vLo, vPort,
                    Math.max(deadline, now + templates.timeoutSeconds() * SECOND), now);
        }
        boolean proxied = splice != null && splice.state != SpliceRecord.NONE;
        if (proxied) {
            flags |= ConnFlags.SPLICED;
            key.binding(service.id, dest.server.id(), flags);
        }
        boolean remade = false;
        for (;;) {
            long h = conns.lookup(key, ConnectionTable.DIR_INPUT, existing);
            if (h >= 0 && ((proxied && (existing.flags() & ConnFlags.SPLICED) == 0)
                    || !boundTo(existing, rHi, rLo, rPort))) {
                // Learnt before its splice was known, or an earlier connection of the client's port to another
                // server: made again, as described.
                conns.removeNow(h);
                remade = true;
                continue;
            }
            if (h >= 0 && conns.update(h, state, deadline)) {
                if (proxied) recordSplice(h);
                recordFullNat(h, proto, rHi, rLo, rPort);
                return ImportResult.UPDATED;
            }
            if (h >= 0) continue; // ended meanwhile: create it afresh
            long created = conns.restore(key, state, deadline);
            if (created >= 0) {
                if (proxied) recordSplice(created);
                recordFullNat(created, proto, rHi, rLo, rPort);
                return remade ? ImportResult.UPDATED : ImportResult.CREATED;
            }
            if (created == ConnectionTable.FULL) return ImportResult.TABLE_FULL;
            // EXISTS: a worker created the same connection a moment ago; update that one
        }
    }

    private static boolean boundTo(ConnectionView v, long realHi, long realLo, int realPort) {
        return v.realHi() == realHi && v.realLo() == realLo && v.realPort() == realPort;
    }

    /**
     * Writes the SYN proxy's record of the connection just bound. A worker that met the entry before this write
     * would count its segment as SYNPROXY_LOST; imports run before the workers start (a restart) or while this
     * director does not own the VIP (a sync backup), so none does.
     */
    private void recordSplice(long handle) {
        plane.ensureSynProxyStates();
        plane.synProxyStates().write((int) handle, splice);
    }

    /**
     * Gives the FullNAT connection just bound its local port toward its real server again and writes its record. A
     * port some other live connection holds toward that server meanwhile is not taken: the connection then has no
     * record and its packets count as FULLNAT_LOST, as does a connection whose local address (of either family) is
     * in no pool now. As for the SYN proxy's records, imports run while no worker forwards the connection.
     */
    private void recordFullNat(long handle, int proto, long realHi, long realLo, int realPort) {
        if (fullNat == null || !fullNat.present()) return;
        ServiceIndex services = plane.services();
        LocalAddressPorts ports = fullNat.ipv6 ? services.ipv6().localAddressPorts(fullNat.localHi, fullNat.localLo)
                : services.localAddressPorts(fullNat.localAddress);
        if (ports == null || !ports.claim(proto, fullNat.localPort, realHi, realLo, realPort, handle, conns)) return;
        plane.ensureFullNatStates();
        plane.fullNatStates().write((int) handle, fullNat, ports);
        fullNatRecorded = true;
    }

    /**
     * A persistence template: the client is bound to the server in the service's templates, expiring at the
     * given deadline (the bind is done at a clock shifted so that the service's persistence timeout ends there).
     */
    private ImportResult bindTemplate(RuntimeService service, RuntimeDest dest, int proto, long cHi, long cLo,
                                      int cPort, long vHi, long vLo, int vPort, long deadline, long now) {
        PersistenceTemplates templates = service.scheduler.templates();
        if (!templates.enabled()) return ImportResult.NO_SERVICE;
        FlowDescription f = templateFlow;
        f.protocol = proto;
        f.srcHi = cHi;
        f.srcLo = cLo;
        f.srcPort = cPort;
        f.dstHi = vHi;
        f.dstLo = vLo;
        f.dstPort = vPort;
        long shifted = deadline - templates.timeoutSeconds() * SECOND;
        Destination existing = templates.lookup(f, now);
        Destination bound = templates.bind(f, dest.server, shifted);
        return existing == null && bound == dest.server ? ImportResult.CREATED : ImportResult.UPDATED;
    }

    /** The server of the service at this address: same port, or a server whose port is not the connection's. */
    private static RuntimeDest serverOf(RuntimeService service, long hi, long lo, int port) {
        RuntimeDest exact = service.dest(hi, lo, port);
        if (exact != null) return exact;
        for (RuntimeDest d : service.dests) {
            if (d.server.addrHi() == hi && d.server.addrLo() == lo
                    && (d.server.port() == 0 || d.method != ForwardMethod.MASQ)) {
                return d;
            }
        }
        return null;
    }
}
