package io.jlvs.packets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpSpliceTest {
    static final int ACK = Tcp.ACK, PSH = Tcp.PSH;

    /** An IPv4 TCP frame with timestamps (TSval 1000, TSecr 2000) and one SACK block (5000..6000). */
    static byte[] frame(long seq, long ack, int window, int flags) {
        byte[] options = HexFormat.of().parseHex("0101080a000003e8000007d0" + "0101050a0000138800001770");
        return PacketBuilder.ethernet(0x020000000001L, 0x020000000002L).ipv4("10.0.0.2", "172.16.0.2").ttl(64)
                .tcp(40000, 80).seq(seq).ack(ack).window(window).flags(flags).tcpOptions(options)
                .payload(new byte[] {1, 2, 3}).build();
    }

    static FlowDescription parse(MemorySegment seg, int length, TcpOptions o) {
        FlowDescription f = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, 0, length, f));
        assertTrue(o.parse(seg, f.l4Offset, (int) (f.payloadOffset - f.l4Offset)));
        return f;
    }

    @Test
    void towardTheServerTheAckSackEdgesAndEchoedTimestampMove() {
        byte[] bytes = frame(100, 0xFFFF_FFF0L, 500, ACK | PSH);
        MemorySegment seg = MemorySegment.ofArray(bytes);
        TcpOptions o = new TcpOptions();
        FlowDescription f = parse(seg, bytes.length, o);
        TcpSplice.towardServer(seg, f.l4Offset, o, 0x20, -500, false);
        TcpOptions after = new TcpOptions();
        f = parse(seg, bytes.length, after);
        assertEquals(100, Layouts.u32(seg, f.l4Offset + Tcp.SEQ), "the client's own sequence stays");
        assertEquals(0x10, Layouts.u32(seg, f.l4Offset + Tcp.ACK_NUMBER), "wraps as TCP's do");
        assertEquals(5000 + 0x20, Layouts.u32(seg, after.sackAt));
        assertEquals(6000 + 0x20, Layouts.u32(seg, after.sackAt + 4));
        assertEquals(1000, after.tsVal, "the client's own clock stays");
        assertEquals(1500, after.tsEcr);
        assertTrue(Checksums.verify(seg, f), "checksum updated in place");
    }

    @Test
    void towardTheClientTheSequenceTimestampAndWindowMove() {
        byte[] bytes = frame(7000, 100, 1000, ACK);
        MemorySegment seg = MemorySegment.ofArray(bytes);
        TcpOptions o = new TcpOptions();
        FlowDescription f = parse(seg, bytes.length, o);
        TcpSplice.towardClient(seg, f.l4Offset, o, 1000, 300, 2, false);
        TcpOptions after = new TcpOptions();
        f = parse(seg, bytes.length, after);
        assertEquals(6000, Layouts.u32(seg, f.l4Offset + Tcp.SEQ));
        assertEquals(100, Layouts.u32(seg, f.l4Offset + Tcp.ACK_NUMBER));
        assertEquals(700, after.tsVal);
        assertEquals(2000, after.tsEcr, "the echo of the client's clock stays");
        assertEquals(4000, Layouts.u16(seg, f.l4Offset + Tcp.WINDOW), "scale 2 more at the server: 1000 << 2");
        assertTrue(Checksums.verify(seg, f));
        TcpSplice.towardClient(seg, f.l4Offset, after, 0, 0, 8, false);
        assertEquals(0xFFFF, Layouts.u16(seg, f.l4Offset + Tcp.WINDOW), "capped");
        assertTrue(Checksums.verify(seg, f));
    }

    @Property(tries = 300)
    void splicingThereAndBackRestoresTheSegmentAndItsChecksum(@ForAll int seqDelta, @ForAll int tsDelta,
                                                               @ForAll @IntRange(max = 0xFFFF) int window) {
        byte[] bytes = frame(123456, 654321, window, ACK);
        byte[] original = bytes.clone();
        MemorySegment seg = MemorySegment.ofArray(bytes);
        TcpOptions o = new TcpOptions();
        FlowDescription f = parse(seg, bytes.length, o);
        TcpSplice.towardServer(seg, f.l4Offset, o, seqDelta, tsDelta, false);
        assertTrue(Checksums.verify(seg, f));
        TcpSplice.towardServer(seg, f.l4Offset, o, -seqDelta, -tsDelta, false);
        assertEquals(HexFormat.of().formatHex(original), HexFormat.of().formatHex(bytes));
    }
}
