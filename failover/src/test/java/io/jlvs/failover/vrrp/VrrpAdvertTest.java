package io.jlvs.failover.vrrp;

import io.jlvs.control.model.Addresses;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adverts against bytes written from RFC 3768 and RFC 5798, checksums summed by hand in the comments. */
class VrrpAdvertTest {
    static final int SRC = 0x0A000001, GROUP = 0xE0000012; // 10.0.0.1 -> 224.0.0.18
    static final int VIP = 0x0A000064;                     // 10.0.0.100

    /**
     * v2, VRID 51, priority 150, one address, PASS "secret", 1 s: 21 33 96 01 | 01 01 cksum | 0a 00 00 64 |
     * "secret\0\0". Words: 2133 + 9601 + 0101 + 0a00 + 0064 + 7365 + 6372 + 6574 = 0x1FEE4 -> 0xFEE4 + 1 = 0xFEE5;
     * checksum ~0xFEE5 = 0x011A.
     */
    static final String V2 = "213396010101011a0a0000647365637265740000";

    /**
     * v3, VRID 51, priority 100, one address, 0.2 s = 20 centiseconds: 31 33 64 01 | 00 14 cksum | 0a 00 00 64.
     * Pseudo-header 0a00 + 0001 + e000 + 0012 + 0070 (protocol) + 000c (length) = 0xEA8F; message 3133 + 6401 +
     * 0014 + 0a00 + 0064 = 0x9FAC; sum 0x18A3B -> 0x8A3C; checksum ~0x8A3C = 0x75C3.
     */
    static final String V3 = "31336401001475c30a000064";

    static byte[] ipPacket(String vrrpHex, int ttl) {
        byte[] vrrp = HexFormat.of().parseHex(vrrpHex);
        byte[] p = new byte[20 + vrrp.length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = (byte) ttl;
        p[9] = 112;
        VrrpAdvert.putInt(p, 12, SRC);
        VrrpAdvert.putInt(p, 16, GROUP);
        System.arraycopy(vrrp, 0, p, 20, vrrp.length);
        return p;
    }

    @Test
    void encodesVersion2WithPassAuthentication() {
        byte[] buf = new byte[64];
        int len = VrrpAdvert.encode(buf, 2, 51, 150, 100, new int[] {VIP}, "secret", SRC, GROUP);
        assertEquals(V2, HexFormat.of().formatHex(buf, 0, len));
    }

    @Test
    void encodesVersion3WithThePseudoHeaderInTheChecksum() {
        byte[] buf = new byte[64];
        int len = VrrpAdvert.encode(buf, 3, 51, 100, 20, new int[] {VIP}, null, SRC, GROUP);
        assertEquals(V3, HexFormat.of().formatHex(buf, 0, len));
    }

    @Test
    void decodesBothVersions() {
        VrrpAdvert a = new VrrpAdvert();
        byte[] v2 = ipPacket(V2, 255);
        assertNull(a.decode(v2, v2.length));
        assertEquals(2, a.version);
        assertEquals(51, a.virtualRouterId);
        assertEquals(150, a.priority);
        assertEquals(100, a.intervalCentis);
        assertEquals(1, a.addressCount);
        assertEquals(VIP, a.addresses[0]);
        assertEquals(Addresses.mappedLo(SRC), a.sourceLo);
        assertTrue(a.authenticates("secret"));
        assertFalse(a.authenticates("other"));
        assertFalse(a.authenticates(null));

        byte[] v3 = ipPacket(V3, 255);
        assertNull(a.decode(v3, v3.length));
        assertEquals(3, a.version);
        assertEquals(100, a.priority);
        assertEquals(20, a.intervalCentis);
        assertTrue(a.authenticates(null));
    }

    @Test
    void everyRejection() {
        VrrpAdvert a = new VrrpAdvert();
        assertEquals(AdvertRejection.TOO_SHORT, a.decode(new byte[20], 20));
        byte[] ttl = ipPacket(V3, 254);
        assertEquals(AdvertRejection.TTL, a.decode(ttl, ttl.length));
        byte[] udp = ipPacket(V3, 255);
        udp[9] = 17;
        assertEquals(AdvertRejection.NOT_VRRP, a.decode(udp, udp.length));
        byte[] version = ipPacket("41" + V3.substring(2), 255);
        assertEquals(AdvertRejection.VERSION, a.decode(version, version.length));
        byte[] type = ipPacket("32" + V3.substring(2), 255);
        assertEquals(AdvertRejection.TYPE, a.decode(type, type.length));
        byte[] count = ipPacket(V3.substring(0, 6) + "02" + V3.substring(8), 255);
        assertEquals(AdvertRejection.LENGTH, a.decode(count, count.length));
        byte[] sum = ipPacket(V3.substring(0, 8) + "0015" + V3.substring(12), 255);
        assertEquals(AdvertRejection.CHECKSUM, a.decode(sum, sum.length));
        byte[] short2 = ipPacket(V2, 255);
        assertEquals(AdvertRejection.LENGTH, a.decode(short2, short2.length - 1), "v2 without its full auth data");
        // VRID 0, checksum right: pseudo-header 0xEA8F + 3100 + 6401 + 0014 + 0a00 + 0064 = 0x18A08 -> 0x8A09 -> 0x75F6
        byte[] vrid = ipPacket("310064010014" + "75f6" + "0a000064", 255);
        assertEquals(AdvertRejection.VRID, a.decode(vrid, vrid.length));
        byte[] good = ipPacket(V3, 255);
        assertNull(a.decode(good, good.length), "the fixture itself is accepted");
    }

    /**
     * v2, VRID 7, priority 100, two addresses, no authentication, 3 s: 21 07 64 02 | 00 03 cksum | c0 a8 01 01 |
     * c0 a8 01 02 | 8 zero bytes. Words: 2107 + 6402 + 0003 + c0a8 + 0101 + c0a8 + 0102 = 0x2085F -> 0x0861;
     * checksum ~0x0861 = 0xF79E.
     */
    @Test
    void version2WithoutAuthenticationAndTwoAddresses() {
        String fixture = "210764020003" + "f79e" + "c0a80101c0a80102" + "0000000000000000";
        byte[] buf = new byte[64];
        int len = VrrpAdvert.encode(buf, 2, 7, 100, 300, new int[] {0xC0A80101, 0xC0A80102}, null, SRC, GROUP);
        assertEquals(fixture, HexFormat.of().formatHex(buf, 0, len));
        VrrpAdvert a = new VrrpAdvert();
        byte[] p = ipPacket(fixture, 255);
        assertNull(a.decode(p, p.length));
        assertEquals(2, a.addressCount);
        assertEquals(0xC0A80102, a.addresses[1]);
        assertEquals(VrrpAdvert.AUTH_NONE, a.authType);
        assertNull(a.mismatch(2, 300, null));
    }

    @Test
    void anAdvertThatDoesNotFitTheInstanceSaysWhy() {
        VrrpAdvert a = new VrrpAdvert();
        byte[] v2 = ipPacket(V2, 255);
        assertNull(a.decode(v2, v2.length));
        assertNull(a.mismatch(2, 100, "secret"), "version, interval and password match");
        assertEquals(AdvertRejection.VERSION, a.mismatch(3, 100, "secret"));
        assertEquals(AdvertRejection.AUTH, a.mismatch(2, 100, "secreT"));
        assertEquals(AdvertRejection.AUTH, a.mismatch(2, 100, null), "PASS received, none expected");
        assertEquals(AdvertRejection.INTERVAL, a.mismatch(2, 200, "secret"), "version 2 needs the same interval");
        byte[] v3 = ipPacket(V3, 255);
        assertNull(a.decode(v3, v3.length));
        assertNull(a.mismatch(3, 100, null), "version 3 carries the master's interval, which may differ");
    }

    @Test
    void encodeThenDecodeRoundTripsEveryField() {
        byte[] buf = new byte[1100];
        int[] addresses = new int[255];
        for (int i = 0; i < addresses.length; i++) addresses[i] = 0x0A000000 | i;
        int len = VrrpAdvert.encode(buf, 3, 255, 1, 4095, addresses, null, SRC, GROUP);
        byte[] packet = new byte[20 + len];
        System.arraycopy(ipPacket("", 255), 0, packet, 0, 20);
        packet[2] = (byte) (packet.length >>> 8);
        packet[3] = (byte) packet.length;
        System.arraycopy(buf, 0, packet, 20, len);
        VrrpAdvert a = new VrrpAdvert();
        assertNull(a.decode(packet, packet.length));
        assertEquals(4095, a.intervalCentis);
        assertEquals(255, a.addressCount);
        int[] decoded = new int[255];
        System.arraycopy(a.addresses, 0, decoded, 0, 255);
        assertArrayEquals(addresses, decoded);
    }
}
