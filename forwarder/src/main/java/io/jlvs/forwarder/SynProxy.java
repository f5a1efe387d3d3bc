package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Tcp;
import io.jlvs.packets.TcpOptions;
import io.jlvs.packets.TcpSegmentWriter;
import io.jlvs.packets.TcpSplice;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One worker's SYN proxy for the NAT services that ask for it (DPVS's synproxy): the director answers a client's
 * SYN itself with a SYN cookie and creates nothing; a client's ACK that returns a valid cookie opens the
 * connection, and the director then makes the handshake with the real server on the client's behalf, with the
 * client's initial sequence number and options; once the server answers, the two sequence and timestamp spaces
 * are joined for the connection's life ({@link TcpSplice}). A spoofed SYN flood therefore reaches neither the
 * connection table nor the real servers. Single-threaded, as its worker; allocation-free per packet.
 */
final class SynProxy {
    /** The window scale the director offers a client that offered one (the server's may differ: windows rescale). */
    static final int DIRECTOR_WINDOW_SCALE = 7;
    /** The MSS the director offers clients, and the window of its own segments. */
    static final int DIRECTOR_MSS = 1460, WINDOW = 65535;

    private final SynCookies cookies;
    private final NextHopLookup nextHops;
    private final Egress egress;
    private final DropCounters drops;
    private final TcpOptions options = new TcpOptions();
    private final TcpSegmentWriter writer = new TcpSegmentWriter();
    /**
     * Where the director's own segments are written: made at first use, in the global arena, so that the transmit
     * path copies from the segment class and scope it copies received frames from.
     */
    private MemorySegment scratch;

    SynProxy(SynCookies cookies, NextHopLookup nextHops, Egress egress, DropCounters drops) {
        this.cookies = cookies;
        this.nextHops = nextHops;
        this.egress = egress;
        this.drops = drops;
    }

    /** The options of the TCP segment in {@code flow}; false (counted) when they are malformed. */
    boolean readOptions(MemorySegment seg, FlowDescription flow) {
        if (options.parse(seg, flow.l4Offset, (int) (flow.payloadOffset - flow.l4Offset))) return true;
        drops.count(DropReason.MALFORMED);
        return false;
    }

    TcpOptions options() { return options; }

    /** A client's SYN: answered on the port it came in on, with a cookie for its ISN and MSS. */
    void answerSyn(MemorySegment seg, FlowDescription flow, PacketPort rxPort, long epochMillis) {
        if (flow.vlanId >= 0) {
            drops.count(DropReason.UNSUPPORTED); // the director's own segments go out untagged
            return;
        }
        if (!readOptions(seg, flow)) return;
        int clientIsn = Layouts.u32(seg, flow.l4Offset + Tcp.SEQ);
        int mssIndex = SynCookies.mssIndex(options.mss < 0 ? 536 : options.mss);
        int cookie = cookies.make(flow.srcV4(), flow.dstV4(), flow.srcPort, flow.dstPort, clientIsn, mssIndex,
                SynCookies.minute(epochMillis));
        boolean timestamps = options.timestampAt >= 0;
        writer.reset();
        writer.srcMac = Layouts.mac(seg, flow.frameOffset + Ethernet.DST_MAC);
        writer.dstMac = Layouts.mac(seg, flow.frameOffset + Ethernet.SRC_MAC);
        writer.srcIp = flow.dstV4();
        writer.dstIp = flow.srcV4();
        writer.srcPort = flow.dstPort;
        writer.dstPort = flow.srcPort;
        writer.seq = cookie;
        writer.ack = clientIsn + 1;
        writer.flags = Tcp.SYN | Tcp.ACK;
        writer.window = WINDOW;
        writer.mss = Math.min(DIRECTOR_MSS, rxPort.mtu() - 40);
        if (timestamps) {
            // Without timestamps the cookie cannot carry window scale and SACK: they are not negotiated.
            writer.timestamps = true;
            writer.tsVal = SynCookies.timestamp((int) epochMillis, options.windowScale, options.sackPermitted);
            writer.tsEcr = options.tsVal;
            writer.sackPermitted = options.sackPermitted;
            writer.windowScale = options.windowScale >= 0 ? DIRECTOR_WINDOW_SCALE : -1;
        }
        int n = writer.write(scratch(), 0);
        egress.send(rxPort, scratch, 0, n);
        drops.count(DropReason.SYNPROXY_SYN);
    }

    /**
     * A client's ACK for a flow without connection: the MSS index its cookie carries, or -1 (counted) when it
     * returns no valid cookie. The options were read ({@link #readOptions}).
     */
    int checkAck(MemorySegment seg, FlowDescription flow, long epochMillis) {
        int index = cookieIndex(seg, flow, epochMillis);
        if (index < 0) drops.count(DropReason.SYNPROXY_BAD_ACK);
        return index;
    }

    /** Whether a client's ACK returns a valid cookie; counts nothing. */
    boolean returnsCookie(MemorySegment seg, FlowDescription flow, long epochMillis) {
        return cookieIndex(seg, flow, epochMillis) >= 0;
    }

    private int cookieIndex(MemorySegment seg, FlowDescription flow, long epochMillis) {
        int cookie = Layouts.u32(seg, flow.l4Offset + Tcp.ACK_NUMBER) - 1;
        int clientIsn = Layouts.u32(seg, flow.l4Offset + Tcp.SEQ) - 1;
        return cookies.check(cookie, flow.srcV4(), flow.dstV4(), flow.srcPort, flow.dstPort, clientIsn,
                SynCookies.minute(epochMillis));
    }

    /** Records a connection just opened by a valid ACK and sends the server its SYN. */
    void open(SynProxyStates states, int slot, MemorySegment seg, FlowDescription flow, int mssIndex, int real,
              int realPort) {
        int clientIsn = Layouts.u32(seg, flow.l4Offset + Tcp.SEQ) - 1;
        int cookieIsn = Layouts.u32(seg, flow.l4Offset + Tcp.ACK_NUMBER) - 1;
        boolean timestamps = options.timestampAt >= 0;
        int scale = timestamps ? SynCookies.windowScale(options.tsEcr) : -1;
        boolean sack = timestamps && SynCookies.sackPermitted(options.tsEcr);
        states.open(slot, clientIsn, cookieIsn, options.tsVal, options.tsEcr, mssIndex, scale, sack, timestamps);
        sendServerSyn(states, slot, flow, real, realPort);
    }

    /** The SYN the server gets: the client's ISN and the options it negotiated with the director. */
    void sendServerSyn(SynProxyStates states, int slot, FlowDescription flow, int real, int realPort) {
        writer.reset();
        writer.srcIp = flow.srcV4();
        writer.dstIp = real;
        writer.srcPort = flow.srcPort;
        writer.dstPort = realPort;
        writer.seq = states.clientIsn(slot);
        writer.flags = Tcp.SYN;
        writer.window = WINDOW;
        writer.mss = SynCookies.MSS_TABLE[states.mssIndex(slot)];
        writer.sackPermitted = states.sack(slot);
        writer.windowScale = states.clientScale(slot);
        if (states.timestamps(slot)) {
            writer.timestamps = true;
            writer.tsVal = states.clientTs(slot);
        }
        toServer(real);
    }

    /**
     * The server's SYN-ACK of an opening connection: the deltas recorded, the handshake completed with an ACK
     * in the client's name. The options were read ({@link #readOptions}).
     */
    void serverAnswered(SynProxyStates states, int slot, MemorySegment seg, FlowDescription flow, ConnectionView entry) {
        int serverIsn = Layouts.u32(seg, flow.l4Offset + Tcp.SEQ);
        boolean timestamps = states.timestamps(slot) && options.timestampAt >= 0;
        int tsDelta = timestamps ? options.tsVal - states.directorTs(slot) : 0;
        int clientScale = states.clientScale(slot);
        int shift = clientScale < 0 ? 0 : Math.max(options.windowScale, 0) - DIRECTOR_WINDOW_SCALE;
        states.splice(slot, serverIsn - states.cookieIsn(slot), tsDelta, shift);
        writer.reset();
        writer.srcIp = flow.dstV4();
        writer.dstIp = flow.srcV4();
        writer.srcPort = flow.dstPort;
        writer.dstPort = flow.srcPort;
        writer.seq = states.clientIsn(slot) + 1;
        writer.ack = serverIsn + 1;
        writer.flags = Tcp.ACK;
        writer.window = WINDOW >> Math.max(clientScale, 0);
        if (timestamps) {
            writer.timestamps = true;
            writer.tsVal = states.clientTs(slot);
            writer.tsEcr = options.tsVal;
        }
        toServer((int) entry.realLo());
    }

    /** A client's segment of a spliced connection, before NAT: into the server's spaces. */
    void towardServer(SynProxyStates states, int slot, MemorySegment seg, FlowDescription flow, boolean partial) {
        if (options.timestampAt >= 0) states.clientTs(slot, options.tsVal);
        TcpSplice.towardServer(seg, flow.l4Offset, options, states.seqDelta(slot), states.tsDelta(slot), partial);
    }

    /** A server's segment of a spliced connection, before NAT: into the client's spaces. */
    void towardClient(SynProxyStates states, int slot, MemorySegment seg, FlowDescription flow, boolean partial) {
        TcpSplice.towardClient(seg, flow.l4Offset, options, states.seqDelta(slot), states.tsDelta(slot),
                states.windowShift(slot), partial);
    }

    private MemorySegment scratch() {
        if (scratch == null) scratch = Arena.global().allocate(256, 64);
        return scratch;
    }

    private void toServer(int real) {
        NextHop hop = nextHops.lookup(real);
        if (Egress.unresolved(hop)) {
            drops.count(DropReason.NO_ROUTE);
            return;
        }
        int n = writer.write(scratch(), 0);
        egress.forward(scratch, 0, n, n - 14, hop);
    }
}
