package io.jlvs.packets;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpSegmentWriterTest {

    @Test
    void aSynAckWithEveryOptionParsesBackWithValidChecksums() {
        TcpSegmentWriter w = new TcpSegmentWriter();
        w.srcMac = 0x020000000002L;
        w.dstMac = 0x020000000001L;
        w.srcIp = 0x0A000064;
        w.dstIp = 0x0A000002;
        w.srcPort = 80;
        w.dstPort = 40000;
        w.seq = 0xCAFEBABE;
        w.ack = 1235;
        w.flags = Tcp.SYN | Tcp.ACK;
        w.window = 65535;
        w.mss = 1460;
        w.sackPermitted = true;
        w.timestamps = true;
        w.tsVal = 777;
        w.tsEcr = 555;
        w.windowScale = 7;
        MemorySegment out = MemorySegment.ofArray(new byte[128]);
        int n = w.write(out, 0);
        assertEquals(14 + 20 + 40, n);
        FlowDescription f = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(out, 0, n, f));
        assertTrue(Checksums.verify(out, f));
        assertEquals(Tcp.SYN | Tcp.ACK, f.tcpFlags);
        assertEquals(0xCAFEBABE, Layouts.u32(out, f.l4Offset + Tcp.SEQ));
        assertEquals(1235, Layouts.u32(out, f.l4Offset + Tcp.ACK_NUMBER));
        assertEquals(0x0A000064, f.srcV4());
        assertEquals(40000, f.dstPort);
        TcpOptions o = new TcpOptions();
        assertTrue(o.parse(out, f.l4Offset, (int) (f.payloadOffset - f.l4Offset)));
        assertEquals(1460, o.mss);
        assertTrue(o.sackPermitted);
        assertEquals(777, o.tsVal);
        assertEquals(555, o.tsEcr);
        assertEquals(7, o.windowScale);
    }

    @Test
    void aBareAckHasNoOptionsAndTooSmallABufferGetsNothing() {
        TcpSegmentWriter w = new TcpSegmentWriter();
        w.flags = Tcp.ACK;
        w.srcIp = 1;
        w.dstIp = 2;
        MemorySegment out = MemorySegment.ofArray(new byte[128]);
        int n = w.write(out, 0);
        assertEquals(54, n);
        FlowDescription f = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(out, 0, n, f));
        assertTrue(Checksums.verify(out, f));
        assertEquals(0, w.write(MemorySegment.ofArray(new byte[60]), 0));
    }

    @Test
    void anIpv6SynAckParsesBackWithItsAddressesAndAValidPseudoHeaderChecksum() {
        TcpSegmentWriter w = new TcpSegmentWriter();
        w.srcIpHi = 0xfd00_0001_0000_0000L;
        w.srcIpLo = 0x100;
        w.dstIpHi = 0xfd00_0001_0000_0000L;
        w.dstIpLo = 2;
        w.srcPort = 80;
        w.dstPort = 40000;
        w.seq = 0xCAFEBABE;
        w.ack = 1235;
        w.flags = Tcp.SYN | Tcp.ACK;
        w.window = 65535;
        w.mss = 1440;
        w.sackPermitted = true;
        w.timestamps = true;
        w.tsVal = 777;
        w.tsEcr = 555;
        w.windowScale = 7;
        MemorySegment out = MemorySegment.ofArray(new byte[128]);
        int n = w.writeIpv6(out, 0);
        assertEquals(14 + 40 + 40, n);
        FlowDescription f = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(out, 0, n, f));
        assertEquals(6, f.ipVersion);
        assertEquals(64, f.ttl);
        assertTrue(Checksums.verify(out, f));
        assertEquals(0xfd00_0001_0000_0000L, f.srcHi);
        assertEquals(0x100, f.srcLo);
        assertEquals(2, f.dstLo);
        assertEquals(Tcp.SYN | Tcp.ACK, f.tcpFlags);
        assertEquals(0xCAFEBABE, Layouts.u32(out, f.l4Offset + Tcp.SEQ));
        TcpOptions o = new TcpOptions();
        assertTrue(o.parse(out, f.l4Offset, (int) (f.payloadOffset - f.l4Offset)));
        assertEquals(1440, o.mss);
        assertEquals(7, o.windowScale);
        assertEquals(0, w.writeIpv6(MemorySegment.ofArray(new byte[93]), 0), "no room: nothing written");
    }
}
