package io.jlvs.failover.vrrp;

import io.jlvs.control.model.Addresses;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** IPv6 adverts (RFC 5798 over IPv6) against an advert keepalived 2.2.7 sent, captured with tcpdump. */
class VrrpAdvert6Test {
    /** fe80::ff:fe00:60a, the sender's link-local address. */
    static final long SRC_HI = 0xFE80_0000_0000_0000L, SRC_LO = 0x00FF_FE00_060AL;

    /**
     * keepalived's advert for vrrp_instance { virtual_router_id 61; priority 200; advert_int 1; virtual_ipaddress
     * { fd00:6::100/64 fd00:6::101/64 } } from fe80::ff:fe00:60a, as tcpdump captured it (without the Ethernet
     * header): IPv6 header (traffic class 0xc0, flow label 0xf5af6, payload 40, next header 112, hop limit 255,
     * source, ff02::12), then 31 3d c8 02 | 00 64 07 15 | fd00:6::100 | fd00:6::101. Checksum: pseudo-header words
     * 0x20389 (source) + 0xff14 (ff02::12) + 0x28 (length) + 0x70 (next header) = 0x30335; message words with a
     * zero checksum 0x2f5b0; sum 0x5f8e5 -> 0xf8ea; checksum ~0xf8ea = 0x0715.
     */
    static final String PACKET = "6c0f5af6" + "0028" + "70" + "ff"
            + "fe80000000000000" + "000000fffe00060a"
            + "ff020000000000000000000000000012"
            + "313dc8020064" + "0715"
            + "fd000006000000000000000000000100"
            + "fd000006000000000000000000000101";
    static final int VRRP_AT = 40;

    static byte[] packet() {
        return HexFormat.of().parseHex(PACKET);
    }

    static byte[] with(int offset, int value) {
        byte[] p = packet();
        p[offset] = (byte) value;
        return p;
    }

    @Test
    void decodesKeepalivedsAdvert() {
        VrrpAdvert a = new VrrpAdvert();
        byte[] p = packet();
        assertEquals(80, p.length);
        assertNull(a.decode(p, p.length));
        assertEquals(6, a.family);
        assertEquals(3, a.version);
        assertEquals(61, a.virtualRouterId);
        assertEquals(200, a.priority);
        assertEquals(100, a.intervalCentis);
        assertEquals(255, a.ttl);
        assertEquals(2, a.addressCount);
        assertEquals("fd00:6::100", Addresses.formatV6(a.addresses6[0], a.addresses6[1]));
        assertEquals("fd00:6::101", Addresses.formatV6(a.addresses6[2], a.addresses6[3]));
        assertEquals("fe80::ff:fe00:60a", Addresses.formatV6(a.sourceHi, a.sourceLo));
        assertEquals("ff02::12", Addresses.formatV6(a.destinationHi, a.destinationLo));
        assertNull(a.mismatch(3, 100, null));
    }

    @Test
    void encodesTheBytesKeepalivedSent() {
        byte[] buf = new byte[64];
        long[] addresses = {0xFD00_0006_0000_0000L, 0x100, 0xFD00_0006_0000_0000L, 0x101};
        int len = VrrpAdvert.encode6(buf, 61, 200, 100, addresses, SRC_HI, SRC_LO, VrrpSocket.GROUP6_HI,
                VrrpSocket.GROUP6_LO);
        assertEquals(PACKET.substring(2 * VRRP_AT), HexFormat.of().formatHex(buf, 0, len));
    }

    @Test
    void everyRejection() {
        VrrpAdvert a = new VrrpAdvert();
        byte[] hop = with(7, 254);
        assertEquals(AdvertRejection.TTL, a.decode(hop, hop.length), "hop limit 254: from beyond the link");
        byte[] sum = with(VRRP_AT + 7, 0x16);
        assertEquals(AdvertRejection.CHECKSUM, a.decode(sum, sum.length));
        byte[] otherSource = with(23, 0x0b);
        assertEquals(AdvertRejection.CHECKSUM, a.decode(otherSource, otherSource.length),
                "the pseudo-header's source is in the checksum");
        byte[] v2 = with(VRRP_AT, 0x21);
        assertEquals(AdvertRejection.VERSION, a.decode(v2, v2.length), "version 2 has no IPv6 form");
        byte[] v4 = with(VRRP_AT, 0x41);
        assertEquals(AdvertRejection.VERSION, a.decode(v4, v4.length));
        byte[] type = with(VRRP_AT, 0x32);
        assertEquals(AdvertRejection.TYPE, a.decode(type, type.length));
        byte[] udp = with(6, 17);
        assertEquals(AdvertRejection.NOT_VRRP, a.decode(udp, udp.length));
        byte[] count = with(VRRP_AT + 3, 3);
        assertEquals(AdvertRejection.LENGTH, a.decode(count, count.length), "three addresses in the room of two");
        byte[] p = packet();
        assertEquals(AdvertRejection.LENGTH, a.decode(p, p.length - 1), "the last address cut short");
        assertEquals(AdvertRejection.TOO_SHORT, a.decode(p, VRRP_AT + 4));
        assertEquals(VRRP_AT + 1, VrrpAdvert.routerIdOffset(p, p.length), "a refused packet's router id is found");
        assertNull(a.decode(p, p.length), "the fixture itself is accepted");
    }

    @Test
    void encodeThenDecodeRoundTripsTheMostAddresses() {
        byte[] buf = new byte[VrrpAdvert.length6(255)];
        long[] addresses = new long[2 * 255];
        for (int i = 0; i < 255; i++) {
            addresses[2 * i] = 0x2001_0DB8_0000_0000L | i;
            addresses[2 * i + 1] = ~(long) i;
        }
        int len = VrrpAdvert.encode6(buf, 255, 1, 4095, addresses, SRC_HI, SRC_LO, VrrpSocket.GROUP6_HI,
                VrrpSocket.GROUP6_LO);
        byte[] p = new byte[VRRP_AT + len];
        System.arraycopy(packet(), 0, p, 0, VRRP_AT);
        p[4] = (byte) (len >>> 8);
        p[5] = (byte) len;
        System.arraycopy(buf, 0, p, VRRP_AT, len);
        VrrpAdvert a = new VrrpAdvert();
        assertNull(a.decode(p, p.length));
        assertEquals(4095, a.intervalCentis);
        assertEquals(255, a.addressCount);
        assertEquals(255, a.virtualRouterId);
        for (int i = 0; i < 2 * 255; i++) assertEquals(addresses[i], a.addresses6[i], "word " + i);
    }

    /** keepalived 2.2.7 sends unicast IPv6 adverts (unicast_peer) with hop limit 64 and accepts any there. */
    @Test
    void aUnicastAdvertIsAcceptedAtAnyHopLimitAMulticastOneOnlyAt255() {
        long peerHi = 0xFD00_0001_0000_0000L, peerLo = 1; // fd00:1::1
        byte[] buf = new byte[64];
        int len = VrrpAdvert.encode6(buf, 61, 200, 100, new long[] {0xFD00_0006_0000_0000L, 0x100}, SRC_HI, SRC_LO,
                peerHi, peerLo);
        byte[] p = new byte[VRRP_AT + len];
        System.arraycopy(packet(), 0, p, 0, VRRP_AT);
        p[5] = (byte) len;
        p[7] = 64;
        VrrpAdvert.putLong(p, 24, peerHi);
        VrrpAdvert.putLong(p, 32, peerLo);
        System.arraycopy(buf, 0, p, VRRP_AT, len);
        VrrpAdvert a = new VrrpAdvert();
        assertNull(a.decode(p, p.length), "hop limit 64 to a unicast peer");
        assertEquals(64, a.ttl);
        byte[] multicast = with(7, 64);
        assertEquals(AdvertRejection.TTL, a.decode(multicast, multicast.length), "hop limit 64 to ff02::12");
    }
}
