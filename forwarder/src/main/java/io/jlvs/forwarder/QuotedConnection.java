package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;

/**
 * The connection of the TCP/UDP packet an ICMP or ICMPv6 error quotes, for the IPv4 and IPv6 paths alike. The
 * quoted packet is one the director sent, so its destination is the connection's peer: the client (an error from
 * the client's side) or a real server. One per pipeline: it fills the pipeline's own key and entry, so finding
 * allocates nothing and the pipeline reads the entry as after any lookup. FullNAT's errors from the servers' side
 * quote a local address and port instead of the client: {@link #findFullNat}.
 */
final class QuotedConnection {
    private static final int TCP = Ipv4.PROTO_TCP, UDP = Ipv4.PROTO_UDP;

    private final FlowDescription flow;
    private final ConnectionTable conns;
    private final ConnectionParam key;
    private final ConnectionView entry;
    private final DropCounters drops;

    QuotedConnection(FlowDescription flow, ConnectionTable conns, ConnectionParam key, ConnectionView entry,
                     DropCounters drops) {
        this.flow = flow;
        this.conns = conns;
        this.key = key;
        this.entry = entry;
        this.drops = drops;
    }

    /**
     * The connection's handle, its entry read into the pipeline's entry, or -1, counted as ICMP_UNRELATED (a quoted
     * packet of another family or protocol, or of no connection). {@code sentToClient}: the quoted packet went to
     * the client rather than to a real server.
     */
    long find(boolean sentToClient) {
        if (flow.innerIpVersion != flow.ipVersion || (flow.innerProtocol != TCP && flow.innerProtocol != UDP)) {
            drops.count(DropReason.ICMP_UNRELATED);
            return -1;
        }
        key.protocol(flow.innerProtocol);
        if (sentToClient) {
            key.client(flow.innerDstHi, flow.innerDstLo, flow.innerDstPort)
                    .virtual(flow.innerSrcHi, flow.innerSrcLo, flow.innerSrcPort);
        } else {
            key.real(flow.innerDstHi, flow.innerDstLo, flow.innerDstPort)
                    .client(flow.innerSrcHi, flow.innerSrcLo, flow.innerSrcPort);
        }
        long conn = conns.lookup(key, sentToClient ? ConnectionTable.DIR_INPUT : ConnectionTable.DIR_OUTPUT, entry);
        if (conn < 0) drops.count(DropReason.ICMP_UNRELATED);
        return conn;
    }

    /**
     * The FullNAT connection of a packet the director sent a real server from the local address {@code ports} (the
     * error was sent to that address): found through the quoted local port and server, its entry read into the pipeline's
     * entry, and checked against the whole quote (protocol, server address and port, local address and port in the
     * connection's record); or -1, counted as ICMP_UNRELATED.
     */
    long findFullNat(LocalAddressPorts ports, FullNatStates states, long now) {
        int proto = flow.innerProtocol;
        if (flow.innerIpVersion != flow.ipVersion || (proto != TCP && proto != UDP) || states == null
                || flow.innerSrcHi != flow.dstHi || flow.innerSrcLo != flow.dstLo) {
            drops.count(DropReason.ICMP_UNRELATED);
            return -1;
        }
        long conn = ports.connection(proto, flow.innerSrcPort, flow.innerDstHi, flow.innerDstLo, flow.innerDstPort,
                conns);
        if (conn < 0 || !conns.read(conn, entry, now) || entry.protocol() != proto
                || entry.realHi() != flow.innerDstHi || entry.realLo() != flow.innerDstLo
                || entry.realPort() != flow.innerDstPort || ConnFlags.method(entry) != ConnFlags.FULLNAT
                || states.localAddress((int) conn) != ports.address
                || states.localPort((int) conn) != flow.innerSrcPort) {
            drops.count(DropReason.ICMP_UNRELATED);
            return -1;
        }
        return conn;
    }
}
