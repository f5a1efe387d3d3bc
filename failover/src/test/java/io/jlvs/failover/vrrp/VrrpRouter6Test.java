package io.jlvs.failover.vrrp;

import io.jlvs.health.config.Source;
import io.jlvs.health.config.VrrpGlobals;
import io.jlvs.health.config.VrrpInstanceConfig;
import io.jlvs.health.config.VrrpNotify;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An IPv6 instance in the router on virtual time: its adverts go to ff02::12 from the port's link-local address
 * and decode as a peer would read them, keepalived's captured advert makes it a backup of that master, and bad
 * adverts (hop limit, checksum, version) are counted on the instance by reason.
 */
class VrrpRouter6Test {
    static final long S = 1_000_000_000L;
    /** fe80::1, this director's link-local address; keepalived's (fe80::ff:fe00:60a) is higher. */
    static final long ME_HI = 0xFE80_0000_0000_0000L, ME_LO = 1;

    /** An IPv6 port that keeps what is sent, each rebuilt into the IPv6 packet a peer would receive. */
    static final class Ipv6Port implements AdvertPort {
        final List<byte[]> packets = new ArrayList<>();
        final List<String> destinations = new ArrayList<>();

        @Override public boolean ipv6() { return true; }

        @Override public long sourceHi() { return ME_HI; }

        @Override public long sourceLo() { return ME_LO; }

        @Override public boolean send(byte[] message, int length, long toHi, long toLo) {
            byte[] p = new byte[VrrpAdvert.IPV6_HEADER_BYTES + length];
            p[0] = 0x60;
            p[4] = (byte) (length >>> 8);
            p[5] = (byte) length;
            p[6] = (byte) VrrpAdvert.PROTOCOL;
            p[7] = (byte) 255;
            VrrpAdvert.putLong(p, 8, ME_HI);
            VrrpAdvert.putLong(p, 16, ME_LO);
            VrrpAdvert.putLong(p, 24, toHi);
            VrrpAdvert.putLong(p, 32, toLo);
            System.arraycopy(message, 0, p, VrrpAdvert.IPV6_HEADER_BYTES, length);
            packets.add(p);
            destinations.add(io.jlvs.control.model.Addresses.formatV6(toHi, toLo));
            return true;
        }
    }

    /** What the owner was asked, with the addresses. */
    static final class Owner implements VipOwner {
        final List<String> calls = new ArrayList<>();

        @Override public void acquire(String instance, List<InetAddress> addresses) { calls.add("acquire " + addresses); }

        @Override public void release(String instance, List<InetAddress> addresses) { calls.add("release " + addresses); }

        @Override public void announce(List<InetAddress> addresses) { calls.add("announce " + addresses); }
    }

    final Ipv6Port port = new Ipv6Port();
    final Owner owner = new Owner();
    VrrpRouter router;

    static VrrpInstanceConfig ipv6Instance(int priority) {
        try {
            return new VrrpInstanceConfig("VI_6", new Source(Path.of("keepalived.conf"), 1), false, "lan0", 61,
                    priority, 100, 3, List.of(new VrrpInstanceConfig.VirtualAddress(
                            InetAddress.getByName("fd00:6::100"), 64, null)), List.of(), false, 0, null, List.of(),
                    null, List.of(), List.of(), VrrpNotify.NONE, 0, 1, 0, 1, 3);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    void build(int priority) {
        VrrpInstanceConfig c = ipv6Instance(priority);
        assertTrue(c.ipv6());
        router = new VrrpRouter(List.of(c), List.of(), List.of(), new VrrpGlobals(2, 0, false, null),
                Map.of("VI_6", port), (script, args, timeout) -> { throw new AssertionError("no scripts"); },
                owner, PreemptGate.OPEN, name -> true, () -> 0);
        router.start(0);
    }

    VrrpInstanceSnapshot status() {
        return router.snapshot().getFirst();
    }

    @Test
    void aMasterSendsVersion3ToFf02Colon12CarryingItsIpv6Addresses() throws Exception {
        build(255);
        router.tick(0); // the first burst of unsolicited neighbour advertisements
        assertEquals(VrrpState.MASTER, status().state());
        assertEquals(List.of("ff02::12"), port.destinations);
        VrrpAdvert a = new VrrpAdvert();
        byte[] p = port.packets.getFirst();
        assertNull(a.decode(p, p.length), "what jlvs sends decodes, checksum and all");
        assertEquals(6, a.family);
        assertEquals(3, a.version);
        assertEquals(61, a.virtualRouterId);
        assertEquals(255, a.priority);
        assertEquals(1, a.addressCount);
        assertEquals("fd00:6::100", io.jlvs.control.model.Addresses.formatV6(a.addresses6[0], a.addresses6[1]));
        assertEquals("fe80::1", status().master());
        assertEquals(List.of("acquire [/fd00:6:0:0:0:0:0:100]", "announce [/fd00:6:0:0:0:0:0:100]"),
                owner.calls.subList(0, 2), "the master owns and announces its IPv6 address");
    }

    @Test
    void keepalivedsAdvertMakesABackupOfItsMasterAndBadOnesAreCountedByReason() {
        build(100);
        byte[] hop = VrrpAdvert6Test.with(7, 64);
        router.receive(port, hop, hop.length, S);
        byte[] sum = VrrpAdvert6Test.with(VrrpAdvert6Test.VRRP_AT + 7, 0x16);
        router.receive(port, sum, sum.length, S);
        byte[] v2 = VrrpAdvert6Test.with(VrrpAdvert6Test.VRRP_AT, 0x21);
        router.receive(port, v2, v2.length, S);
        assertEquals(Map.of(AdvertRejection.TTL, 1L, AdvertRejection.CHECKSUM, 1L, AdvertRejection.VERSION, 1L),
                status().drops());
        assertEquals("", status().master(), "no master heard from the bad adverts");

        byte[] good = VrrpAdvert6Test.packet();
        router.receive(port, good, good.length, S);
        assertEquals(1, status().advertsReceived());
        assertEquals("fe80::ff:fe00:60a", status().master());
        router.tick(S + 3 * S);
        assertEquals(VrrpState.BACKUP, status().state(), "the master down timer restarted at its advert");
        router.tick(S + 3 * S + (256 - 100) * S / 256);
        assertEquals(VrrpState.MASTER, status().state(), "taken over when the master stayed silent");
        assertEquals(3, status().advertsDropped());
    }

    @Test
    void atEqualPriorityTheHigherLinkLocalAddressWins() {
        build(200);
        router.tick(4 * S); // master: no one heard
        assertEquals(VrrpState.MASTER, status().state());
        byte[] good = VrrpAdvert6Test.packet(); // priority 200 from fe80::ff:fe00:60a, above fe80::1
        router.receive(port, good, good.length, 4 * S);
        assertEquals(VrrpState.BACKUP, status().state());
        assertTrue(status().reason().contains("equal priority 200 advert from the higher address fe80::ff:fe00:60a"),
                status().reason());
    }
}
