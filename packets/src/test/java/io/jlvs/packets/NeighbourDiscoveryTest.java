package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Neighbour advertisements as jlvs writes them, read back by the parser: fields, flags and checksum. */
class NeighbourDiscoveryTest {
    static final long MAC = 0x02_00_00_00_00_0dL, SOLICITOR_MAC = 0x02_00_00_00_00_0aL;
    static final long VIP_HI = 0xFD00_0001_0000_0000L, VIP_LO = 0x100L;
    static final long CLIENT_HI = 0xFD00_0001_0000_0000L, CLIENT_LO = 0x2L;

    private final MemorySegment out = MemorySegment.ofArray(new byte[256]);
    private final FlowDescription f = new FlowDescription();

    private void parse(int length) {
        assertEquals(ParseStatus.OK, PacketParser.parse(out, 0, length, f));
        assertTrue(Checksums.verify(out, f), "ICMPv6 checksum");
    }

    @Test
    void aSolicitedAdvertisementGoesToTheSolicitorWithSolicitedAndOverrideAndTheTargetsMac() {
        int length = NeighbourDiscovery.writeSolicitedAdvertisement(out, 0, MAC, VIP_HI, VIP_LO, SOLICITOR_MAC,
                CLIENT_HI, CLIENT_LO);
        parse(length);
        assertEquals(NeighbourDiscovery.NEIGHBOUR_ADVERTISEMENT, f.icmpType);
        assertEquals(255, f.ttl);
        assertEquals(VIP_LO, f.srcLo);
        assertEquals(CLIENT_LO, f.dstLo);
        assertEquals(SOLICITOR_MAC, Layouts.mac(out, Ethernet.DST_MAC));
        assertEquals(NeighbourDiscovery.FLAG_SOLICITED | NeighbourDiscovery.FLAG_OVERRIDE,
                Layouts.u8(out, f.l4Offset + 4));
        assertEquals(VIP_LO, NeighbourDiscovery.targetLo(out, f));
        assertEquals(MAC, Layouts.mac(out, f.l4Offset + 26));
        assertFalse(NeighbourDiscovery.isSolicitation(f));
    }

    @Test
    void anUnsolicitedAdvertisementGoesToAllNodesWithOverrideOnly() {
        int length = NeighbourDiscovery.writeUnsolicitedAdvertisement(out, 0, MAC, VIP_HI, VIP_LO);
        parse(length);
        assertEquals(NeighbourDiscovery.ALL_NODES_HI, f.dstHi);
        assertEquals(NeighbourDiscovery.ALL_NODES_LO, f.dstLo);
        assertEquals(0x3333_0000_0001L, Layouts.mac(out, Ethernet.DST_MAC));
        assertEquals(NeighbourDiscovery.FLAG_OVERRIDE, Layouts.u8(out, f.l4Offset + 4));
    }

    @Test
    void aSolicitationIsRecognisedOnlyWithHopLimit255() {
        int length = NeighbourDiscovery.writeUnsolicitedAdvertisement(out, 0, MAC, VIP_HI, VIP_LO);
        Layouts.put8(out, Ethernet.HEADER_LENGTH + Ipv6.HEADER_LENGTH, NeighbourDiscovery.NEIGHBOUR_SOLICITATION);
        long icmp = Ethernet.HEADER_LENGTH + Ipv6.HEADER_LENGTH;
        Layouts.put16(out, icmp + Icmp.CHECKSUM,
                Checksums.transportIpv6(out, Ethernet.HEADER_LENGTH, icmp, 32, Ipv4.PROTO_ICMPV6));
        parse(length);
        assertTrue(NeighbourDiscovery.isSolicitation(f));
        Layouts.put8(out, Ethernet.HEADER_LENGTH + Ipv6.HOP_LIMIT, 254);
        PacketParser.parse(out, 0, length, f);
        assertFalse(NeighbourDiscovery.isSolicitation(f));
    }
}
