package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Tcp;
import io.jlvs.packets.TcpOptions;
import io.jlvs.packets.TcpSegmentWriter;
import io.jlvs.packets.TcpSplice;
import io.jlvs.platform.net.Ipv6NextHopLookup;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/**
 * One worker's SYN proxy for the NAT services that ask for it (DPVS's synproxy): the director answers a client's
 * SYN itself with a SYN cookie and creates nothing; a client's ACK that returns a valid cookie opens the
 * connection, and the director then makes the handshake with the real server on the client's behalf, with the
 * client's initial sequence number and options; once the server answers, the two sequence and timestamp spaces
 * are joined for the connection's life ({@link TcpSplice}). A spoofed SYN flood therefore reaches neither the
 * connection table nor the real servers. Both families: an IPv6 flow gets IPv6 cookies ({@link SynCookies#make6},
 * the IPv6 MSS table) and IPv6 segments, by the flow's version. Single-threaded, as its worker; allocation-free per
 * packet.
 */
final class SynProxy {
    /** The window scale the director offers a client that offered one (the server's may differ: windows rescale). */
    static final int DIRECTOR_WINDOW_SCALE = 7;
    /** The MSS the director offers clients, and the window of its own segments. */
    static final int DIRECTOR_MSS = 1460, WINDOW = 65535;
    /** The MSS the director offers IPv6 clients: a 1500-byte link's less the 60 bytes of IPv6 and TCP headers. */
    static final int DIRECTOR_MSS6 = 1440;
    /** The MSS the director offers on a link of {@code mtu}: its default, less on a smaller link. */
    static int directorMss(int mtu, boolean v6) {
        return v6 ? Math.min(DIRECTOR_MSS6, mtu - 60) : Math.min(DIRECTOR_MSS, mtu - 40);
    }

    /** What {@link #admit} returns for a segment that goes no further (answered, or dropped and counted). */
    static final int NOT_ADMITTED = -1;

    private final SynCookies cookies;
    private final NextHopLookup nextHops;
    /** The IPv6 next hops, read at each use: the daemon sets them after the workers are made. */
    private final Supplier<Ipv6NextHopLookup> ipv6NextHops;
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
        this(cookies, nextHops, () -> Ipv6NextHopLookup.NONE, egress, drops);
    }

    SynProxy(SynCookies cookies, NextHopLookup nextHops, Supplier<Ipv6NextHopLookup> ipv6NextHops, Egress egress,
             DropCounters drops) {
        this.cookies = cookies;
        this.nextHops = nextHops;
        this.ipv6NextHops = ipv6NextHops;
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

    /**
     * A segment of a new flow to a --synproxy service, either family: a SYN is answered with a cookie and creates
     * nothing; an ACK returns the MSS index its valid cookie carries; anything else, or an ACK without a valid
     * cookie, is dropped and counted. {@link #NOT_ADMITTED} when the segment goes no further.
     */
    int admit(MemorySegment seg, FlowDescription flow, PacketPort rxPort) {
        int flags = flow.tcpFlags & (Tcp.SYN | Tcp.ACK | Tcp.RST);
        if (flags == Tcp.SYN) {
            answerSyn(seg, flow, rxPort, System.currentTimeMillis());
            return NOT_ADMITTED;
        }
        if (flags != Tcp.ACK) {
            drops.count(DropReason.NOT_SYN);
            return NOT_ADMITTED;
        }
        if (!readOptions(seg, flow)) return NOT_ADMITTED;
        return checkAck(seg, flow, System.currentTimeMillis());
    }

    /** A client's SYN: answered on the port it came in on, with a cookie for its ISN and MSS. */
    void answerSyn(MemorySegment seg, FlowDescription flow, PacketPort rxPort, long epochMillis) {
        if (flow.vlanId >= 0) {
            drops.count(DropReason.UNSUPPORTED); // the director's own segments go out untagged
            return;
        }
        if (!readOptions(seg, flow)) return;
        int clientIsn = Layouts.u32(seg, flow.l4Offset + Tcp.SEQ);
        boolean v6 = flow.ipVersion == 6;
        int cookie = v6 ? cookie6(flow, clientIsn, epochMillis) : cookies.make(flow.srcV4(), flow.dstV4(),
                flow.srcPort, flow.dstPort, clientIsn, SynCookies.mssIndex(options.mss < 0 ? 536 : options.mss),
                SynCookies.minute(epochMillis));
        boolean timestamps = options.timestampAt >= 0;
        writer.reset();
        writer.srcMac = Layouts.mac(seg, flow.frameOffset + Ethernet.DST_MAC);
        writer.dstMac = Layouts.mac(seg, flow.frameOffset + Ethernet.SRC_MAC);
        writer.srcIp = flow.dstV4();
        writer.dstIp = flow.srcV4();
        replyAddresses6(flow);
        writer.srcPort = flow.dstPort;
        writer.dstPort = flow.srcPort;
        writer.seq = cookie;
        writer.ack = clientIsn + 1;
        writer.flags = Tcp.SYN | Tcp.ACK;
        writer.window = WINDOW;
        writer.mss = directorMss(rxPort.mtu(), v6);
        if (timestamps) {
            // Without timestamps the cookie cannot carry window scale and SACK: they are not negotiated.
            writer.timestamps = true;
            writer.tsVal = SynCookies.timestamp((int) epochMillis, options.windowScale, options.sackPermitted);
            writer.tsEcr = options.tsVal;
            writer.sackPermitted = options.sackPermitted;
            writer.windowScale = options.windowScale >= 0 ? DIRECTOR_WINDOW_SCALE : -1;
        }
        int n = v6 ? writer.writeIpv6(scratch(), 0) : writer.write(scratch(), 0);
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
        if (flow.ipVersion == 6) {
            return cookies.check6(cookie, flow.srcHi, flow.srcLo, flow.dstHi, flow.dstLo, flow.srcPort, flow.dstPort,
                    clientIsn, SynCookies.minute(epochMillis));
        }
        return cookies.check(cookie, flow.srcV4(), flow.dstV4(), flow.srcPort, flow.dstPort, clientIsn,
                SynCookies.minute(epochMillis));
    }

    /** Records a connection just opened by a valid ACK and sends the server its SYN. */
    void open(SynProxyStates states, int slot, MemorySegment seg, FlowDescription flow, int mssIndex, int real,
              int realPort) {
        record(states, slot, seg, flow, mssIndex);
        sendServerSyn(states, slot, flow, real, realPort);
    }

    /** {@link #open} for either family: the server is the real server of {@code entry}, the connection just made. */
    void open(SynProxyStates states, int slot, MemorySegment seg, FlowDescription flow, int mssIndex,
              ConnectionView entry) {
        record(states, slot, seg, flow, mssIndex);
        sendServerSyn(states, slot, flow, entry);
    }

    /** What a valid ACK tells of the client's handshake, recorded as OPENING. */
    private void record(SynProxyStates states, int slot, MemorySegment seg, FlowDescription flow, int mssIndex) {
        int clientIsn = Layouts.u32(seg, flow.l4Offset + Tcp.SEQ) - 1;
        int cookieIsn = Layouts.u32(seg, flow.l4Offset + Tcp.ACK_NUMBER) - 1;
        boolean timestamps = options.timestampAt >= 0;
        int scale = timestamps ? SynCookies.windowScale(options.tsEcr) : -1;
        boolean sack = timestamps && SynCookies.sackPermitted(options.tsEcr);
        states.open(slot, clientIsn, cookieIsn, options.tsVal, options.tsEcr, mssIndex, scale, sack, timestamps);
    }

    /** The SYN the server gets: the client's ISN and the options it negotiated with the director. */
    void sendServerSyn(SynProxyStates states, int slot, FlowDescription flow, int real, int realPort) {
        serverSyn(states, slot, flow, realPort, SynCookies.MSS_TABLE);
        writer.srcIp = flow.srcV4();
        writer.dstIp = real;
        toServer(real);
    }

    /** {@link #sendServerSyn} for either family, to the real server of {@code entry}. */
    void sendServerSyn(SynProxyStates states, int slot, FlowDescription flow, ConnectionView entry) {
        if (flow.ipVersion != 6) {
            sendServerSyn(states, slot, flow, (int) entry.realLo(), entry.realPort());
            return;
        }
        serverSyn(states, slot, flow, entry.realPort(), SynCookies.MSS_TABLE6);
        writer.srcIpHi = flow.srcHi;
        writer.srcIpLo = flow.srcLo;
        writer.dstIpHi = entry.realHi();
        writer.dstIpLo = entry.realLo();
        toServer6(entry.realHi(), entry.realLo());
    }

    /** The server's SYN in the writer but for its addresses; the MSS of the cookie's index in {@code mssTable}. */
    private void serverSyn(SynProxyStates states, int slot, FlowDescription flow, int realPort, int[] mssTable) {
        writer.reset();
        writer.srcPort = flow.srcPort;
        writer.dstPort = realPort;
        writer.seq = states.clientIsn(slot);
        writer.flags = Tcp.SYN;
        writer.window = WINDOW;
        writer.mss = mssTable[states.mssIndex(slot)];
        writer.sackPermitted = states.sack(slot);
        writer.windowScale = states.clientScale(slot);
        if (states.timestamps(slot)) {
            writer.timestamps = true;
            writer.tsVal = states.clientTs(slot);
        }
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
        replyAddresses6(flow);
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
        if (flow.ipVersion == 6) toServer6(entry.realHi(), entry.realLo());
        else toServer((int) entry.realLo());
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

    /** An IPv6 flow's cookie for {@code clientIsn}, carrying the index of the client's MSS in the IPv6 table. */
    private int cookie6(FlowDescription flow, int clientIsn, long epochMillis) {
        int mssIndex = SynCookies.mssIndex6(options.mss < 0 ? 536 : options.mss);
        return cookies.make6(flow.srcHi, flow.srcLo, flow.dstHi, flow.dstLo, flow.srcPort, flow.dstPort, clientIsn,
                mssIndex, SynCookies.minute(epochMillis));
    }

    /** The writer's IPv6 addresses for an answer to the flow's sender (unused by an IPv4 segment). */
    private void replyAddresses6(FlowDescription flow) {
        writer.srcIpHi = flow.dstHi;
        writer.srcIpLo = flow.dstLo;
        writer.dstIpHi = flow.srcHi;
        writer.dstIpLo = flow.srcLo;
    }

    private void toServer6(long realHi, long realLo) {
        NextHop hop = ipv6NextHops.get().lookup(realHi, realLo);
        if (Egress.unresolved(hop)) {
            drops.count(DropReason.NO_ROUTE);
            return;
        }
        int n = writer.writeIpv6(scratch(), 0);
        egress.forward(scratch, 0, n, n - 14, hop);
    }
}
