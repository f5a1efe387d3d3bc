package io.jlvs.connections;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.jlvs.packets.Tcp;

import static io.jlvs.connections.TestAddresses.v4;
import static io.jlvs.connections.TableCalls.*;
import static io.jlvs.packets.Ipv4.PROTO_TCP;
import static io.jlvs.packets.Ipv4.PROTO_UDP;
import static io.jlvs.connections.ConnectionTable.*;
import static io.jlvs.connections.TcpState.*;
import static org.junit.jupiter.api.Assertions.*;

class ConnectionTableTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 5_000 * S + 123_456_789L; // arbitrary clock origin, not on a tick boundary
    private static final long CLIENT = v4(10, 0, 0, 2), VIP = v4(207, 175, 44, 110), REAL = v4(172, 16, 0, 2);

    private final CountingEvents events = new CountingEvents(8);
    private final List<ConnectionTable> tables = new ArrayList<>();

    private ConnectionTable table(int capacity) {
        ConnectionTable table = new ConnectionTable(capacity, events);
        tables.add(table);
        return table;
    }

    @AfterEach
    void close() {
        tables.forEach(ConnectionTable::close);
    }

    private static long tcp(ConnectionTable t, int clientPort, int destId, long now) {
        return create(t, PROTO_TCP, 0, CLIENT, clientPort, 0, VIP, 80, 0, REAL, 8080, 7, destId, 0, now);
    }

    private static long established(ConnectionTable t, int clientPort, int destId, long now) {
        long h = tcp(t, clientPort, destId, now);
        assertEquals(SYN_RECV, t.onPacket(h, DIR_INPUT_ONLY, Tcp.SYN, now));
        assertEquals(ESTABLISHED, t.onPacket(h, DIR_INPUT_ONLY, Tcp.ACK, now));
        return h;
    }

    @Test
    void bothLookupsFindTheSameConnectionAndItsFields() {
        ConnectionTable t = table(64);
        long h = create(t, PROTO_TCP, 0, CLIENT, 52814, 0, VIP, 80, 0, REAL, 8080, 3, 5, 0x42, T0);
        assertTrue(h >= 0);
        assertEquals(h, inbound(t, PROTO_TCP, 0, CLIENT, 52814, 0, VIP, 80));
        assertEquals(h, outbound(t, PROTO_TCP, 0, REAL, 8080, 0, CLIENT, 52814));
        ConnectionView v = read(t, h);
        assertTrue(v.isValid());
        assertEquals(h, v.handle());
        assertEquals(PROTO_TCP, v.protocol());
        assertEquals(NONE, v.state());
        assertEquals(NONE, t.state(h));
        assertEquals(3, v.serviceId());
        assertEquals(5, v.destId());
        assertEquals(0x42, v.flags());
        assertEquals(CLIENT, v.clientLo());
        assertEquals(52814, v.clientPort());
        assertEquals(VIP, v.virtualLo());
        assertEquals(80, v.virtualPort());
        assertEquals(REAL, v.realLo());
        assertEquals(8080, v.realPort());
        assertEquals(T0 + 2 * S, v.expiresAtNanos(), "NONE lives 2 s until the creating packet is applied");
        assertEquals(T0 + 2 * S, t.expiresAtNanos(h));
        assertEquals(1, t.size());
    }

    @Test
    void aLookupCopiesTheEntryIntoTheViewAndAMissLeavesItInvalidAsAWhole() {
        ConnectionTable t = table(64);
        ConnectionParam key = new ConnectionParam().protocol(PROTO_TCP).client(0, CLIENT, 1000).virtual(0, VIP, 80)
                .real(0, REAL, 8080).binding(3, 5, 0x42);
        ConnectionView entry = new ConnectionView();
        assertFalse(entry.isValid(), "a new view holds no connection");
        long h = t.create(key, T0, entry);
        assertTrue(entry.isValid());
        assertEquals(h, entry.handle());
        assertEquals(5, entry.destId());
        assertEquals(NONE, entry.state());
        assertEquals(-1, t.create(key, T0, entry), "exists");
        assertFalse(entry.isValid());
        for (int direction : new int[] {DIR_INPUT, DIR_OUTPUT}) {
            assertEquals(h, t.lookup(key, direction, entry));
            assertTrue(entry.isValid());
            assertEquals(h, entry.handle());
            assertEquals(PROTO_TCP, entry.protocol());
            assertEquals(3, entry.serviceId());
            assertEquals(5, entry.destId());
            assertEquals(0x42, entry.flags());
            assertEquals(REAL, entry.realLo());
            assertEquals(8080, entry.realPort());
            assertEquals(VIP, entry.virtualLo());
            assertEquals(80, entry.virtualPort());
        }
        key.client(0, CLIENT, 1001);
        assertEquals(-1, t.lookup(key, DIR_INPUT, entry));
        assertFalse(entry.isValid());
        assertEquals(-1, entry.handle());
        assertEquals(ConnectionView.INVALID, entry.flags(), "no field of the previous entry is left");
        assertEquals(ConnectionView.INVALID, entry.destId());
        assertEquals(ConnectionView.INVALID, entry.realPort());
        assertEquals(0, entry.realLo());
    }

    @Test
    void everyKeyFieldTakesPartInTheLookups() {
        ConnectionTable t = table(64);
        long h = create(t, PROTO_TCP, 0, CLIENT, 1000, 0, VIP, 80, 0, REAL, 8080, 0, 0, 0, T0);
        assertEquals(h, inbound(t, PROTO_TCP, 0, CLIENT, 1000, 0, VIP, 80));
        assertEquals(-1, inbound(t, PROTO_UDP, 0, CLIENT, 1000, 0, VIP, 80));
        assertEquals(-1, inbound(t, PROTO_TCP, 1, CLIENT, 1000, 0, VIP, 80));
        assertEquals(-1, inbound(t, PROTO_TCP, 0, CLIENT + 1, 1000, 0, VIP, 80));
        assertEquals(-1, inbound(t, PROTO_TCP, 0, CLIENT, 1001, 0, VIP, 80));
        assertEquals(-1, inbound(t, PROTO_TCP, 0, CLIENT, 1000, 1, VIP, 80));
        assertEquals(-1, inbound(t, PROTO_TCP, 0, CLIENT, 1000, 0, VIP + 1, 80));
        assertEquals(-1, inbound(t, PROTO_TCP, 0, CLIENT, 1000, 0, VIP, 81));
        assertEquals(h, outbound(t, PROTO_TCP, 0, REAL, 8080, 0, CLIENT, 1000));
        assertEquals(-1, outbound(t, PROTO_UDP, 0, REAL, 8080, 0, CLIENT, 1000));
        assertEquals(-1, outbound(t, PROTO_TCP, 0, REAL + 1, 8080, 0, CLIENT, 1000));
        assertEquals(-1, outbound(t, PROTO_TCP, 0, REAL, 8081, 0, CLIENT, 1000));
        assertEquals(-1, outbound(t, PROTO_TCP, 0, REAL, 8080, 0, CLIENT, 1001));
        assertEquals(-1, outbound(t, PROTO_TCP, 0, REAL, 8080, 2, CLIENT, 1000));
    }

    @Test
    void ipv6KeysAreDistinctEvenWhenTheLowHalvesAreEqual() {
        ConnectionTable t = table(64);
        long cHi = 0x2001_0db8_0000_0001L, vHi = 0x2001_0db8_0000_00ffL, rHi = 0xfd00_0000_0000_0002L;
        long h6 = create(t, PROTO_TCP, cHi, 0x10, 40000, vHi, 0x1, 443, rHi, 0x2, 443, 1, 1, 0, T0);
        long h6b = create(t, PROTO_TCP, cHi + 1, 0x10, 40000, vHi, 0x1, 443, rHi, 0x2, 443, 1, 1, 0, T0);
        assertTrue(h6 >= 0 && h6b >= 0 && h6 != h6b);
        assertEquals(h6, inbound(t, PROTO_TCP, cHi, 0x10, 40000, vHi, 0x1, 443));
        assertEquals(h6b, inbound(t, PROTO_TCP, cHi + 1, 0x10, 40000, vHi, 0x1, 443));
        assertEquals(h6, outbound(t, PROTO_TCP, rHi, 0x2, 443, cHi, 0x10, 40000));
        assertEquals(h6b, outbound(t, PROTO_TCP, rHi, 0x2, 443, cHi + 1, 0x10, 40000));
        ConnectionView v = read(t, h6);
        assertEquals(cHi, v.clientHi());
        assertEquals(vHi, v.virtualHi());
        assertEquals(rHi, v.realHi());
    }

    @Test
    void creatingAnExistingKeyFailsWithoutDroppingCount() {
        ConnectionTable t = table(64);
        long h = tcp(t, 1234, 0, T0);
        assertEquals(-1, tcp(t, 1234, 0, T0));
        assertEquals(1, t.size());
        assertEquals(0, t.fullDrops());
        assertEquals(h, inbound(t, PROTO_TCP, 0, CLIENT, 1234, 0, VIP, 80));
    }

    @Test
    void fullTableDropsAndCountsThenSpaceReturnsAfterExpiry() {
        ConnectionTable t = table(8);
        for (int port = 1; port <= 8; port++) assertTrue(tcp(t, port, 0, T0) >= 0);
        assertEquals(-1, tcp(t, 9, 0, T0));
        assertEquals(-1, tcp(t, 10, 0, T0));
        assertEquals(2, t.fullDrops());
        assertEquals(8, t.size());
        assertEquals(0, t.expire(T0 + S), "NONE entries live 2 s");
        assertEquals(8, t.expire(T0 + 3 * S));
        assertEquals(0, t.size());
        for (int port = 11; port <= 18; port++) assertTrue(tcp(t, port, 0, T0 + 3 * S) >= 0);
        assertEquals(-1, tcp(t, 19, 0, T0 + 3 * S));
        assertEquals(3, t.fullDrops());
    }

    @Test
    void handleOfAnExpiredConnectionIsStaleEvenWhenItsSlotIsReused() {
        ConnectionTable t = table(1);
        long old = tcp(t, 1, 0, T0);
        assertEquals(1, t.expire(T0 + 3 * S));
        assertEquals(-1, t.onPacket(old, DIR_INPUT, Tcp.SYN, T0 + 3 * S));
        assertEquals(-1, t.state(old));
        ConnectionView stale = read(t, old);
        assertFalse(stale.isValid(), "a stale handle reads as an invalid view");
        assertEquals(-1, stale.handle());
        assertEquals(ConnectionView.INVALID, stale.destId());
        assertEquals(ConnectionView.INVALID, stale.flags());
        assertEquals(-1, t.expiresAtNanos(old));
        assertFalse(t.isLive(old));
        assertEquals(-1, inbound(t, PROTO_TCP, 0, CLIENT, 1, 0, VIP, 80));
        long reused = tcp(t, 2, 0, T0 + 3 * S);
        assertEquals((int) old, (int) reused, "capacity 1: same slot");
        assertNotEquals(old, reused);
        assertEquals(-1, t.onPacket(old, DIR_INPUT, Tcp.ACK, T0 + 3 * S));
        assertEquals(NONE, t.state(reused), "the stale handle did not touch the new connection");
        assertFalse(read(t, old).isValid(), "the stale handle does not read the slot's new entry");
        assertEquals(-1, t.onPacket(-1, DIR_INPUT, Tcp.ACK, T0));
    }

    @Test
    void handshakeAndCloseMoveTheConnectionBetweenActiveAndInactive() {
        ConnectionTable t = table(64);
        long h = tcp(t, 4000, 2, T0);
        assertEquals(0, events.active.get(2));
        assertEquals(1, events.inactive.get(2), "a new connection counts inactive");
        assertEquals(SYN_RECV, t.onPacket(h, DIR_INPUT, Tcp.SYN, T0));
        assertEquals(1, events.active.get(2));
        assertEquals(0, events.inactive.get(2));
        assertEquals(SYN_RECV, t.onPacket(h, DIR_OUTPUT, Tcp.SYN | Tcp.ACK, T0));
        assertEquals(ESTABLISHED, t.onPacket(h, DIR_INPUT, Tcp.ACK, T0));
        assertEquals(1, events.active.get(2));
        assertEquals(CLOSE_WAIT, t.onPacket(h, DIR_INPUT, Tcp.FIN | Tcp.ACK, T0));
        assertEquals(0, events.active.get(2));
        assertEquals(1, events.inactive.get(2));
        assertEquals(TIME_WAIT, t.onPacket(h, DIR_OUTPUT, Tcp.FIN | Tcp.ACK, T0));
        assertEquals(TIME_WAIT, t.onPacket(h, DIR_INPUT, Tcp.ACK, T0));
        assertEquals(0, t.expire(T0 + 119 * S));
        assertEquals(1, t.expire(T0 + 121 * S), "TIME_WAIT lives 120 s");
        assertEquals(0, events.active.get(2));
        assertEquals(0, events.inactive.get(2));
        assertEquals(1, events.expired.get(2));
    }

    @Test
    void expiryOfAnActiveConnectionDecrementsActive() {
        ConnectionTable t = table(64);
        established(t, 1, 3, T0);
        assertEquals(1, events.active.get(3));
        assertEquals(1, t.expire(T0 + 901 * S));
        assertEquals(0, events.active.get(3));
        assertEquals(0, events.inactive.get(3));
    }

    @Test
    void udpConnectionsStayInactiveAndLiveForTheUdpTimeout() {
        ConnectionTable t = table(64);
        long h = create(t, PROTO_UDP, 0, CLIENT, 5353, 0, VIP, 53, 0, REAL, 53, 1, 4, 0, T0);
        assertEquals(0, t.onPacket(h, DIR_INPUT, 0, T0));
        assertEquals(T0 + 300 * S, t.expiresAtNanos(h));
        assertEquals(0, events.active.get(4));
        assertEquals(1, events.inactive.get(4));
        String[] state = new String[1];
        t.forEach(c -> state[0] = c.stateName(), T0);
        assertEquals("UDP", state[0]);
        assertEquals(0, t.expire(T0 + 299 * S));
        assertEquals(1, t.expire(T0 + 301 * S));
        assertEquals(0, events.inactive.get(4));
    }

    @Test
    void eachStateArmsItsTimeout() {
        ConnectionTable t = table(64);
        long h = tcp(t, 1, 0, T0);
        long now = T0 + S;
        assertEquals(SYN_RECV, t.onPacket(h, DIR_INPUT, Tcp.SYN, now));
        assertEquals(now + 60 * S, t.expiresAtNanos(h));
        assertEquals(ESTABLISHED, t.onPacket(h, DIR_INPUT, Tcp.ACK, now));
        assertEquals(now + 900 * S, t.expiresAtNanos(h));
        assertEquals(FIN_WAIT, t.onPacket(h, DIR_INPUT_ONLY, Tcp.FIN | Tcp.ACK, now));
        assertEquals(now + 120 * S, t.expiresAtNanos(h));
        assertEquals(CLOSE, t.onPacket(h, DIR_INPUT_ONLY, Tcp.RST, now));
        assertEquals(now + 10 * S, t.expiresAtNanos(h));
        assertEquals(SYN_RECV, t.onPacket(h, DIR_INPUT, Tcp.SYN, now));
        assertEquals(TIME_WAIT, t.onPacket(h, DIR_INPUT, Tcp.FIN | Tcp.ACK, now));
        assertEquals(now + 120 * S, t.expiresAtNanos(h));
        assertEquals(CLOSE, t.onPacket(h, DIR_INPUT, Tcp.RST, now));
        assertEquals(now + 10 * S, t.expiresAtNanos(h));
    }

    @Test
    void timeoutsStartAtIpvsDefaultsAndAChangeAppliesFromTheNextPacket() {
        ConnectionTable t = table(64);
        assertEquals(900, t.timeoutSeconds(PROTO_TCP, ESTABLISHED));
        assertEquals(120, t.timeoutSeconds(PROTO_TCP, FIN_WAIT));
        assertEquals(60, t.timeoutSeconds(PROTO_TCP, SYN_RECV));
        assertEquals(300, t.timeoutSeconds(PROTO_UDP, 0));
        t.setTimeoutSeconds(PROTO_TCP, ESTABLISHED, 100);
        t.setTimeoutSeconds(PROTO_UDP, 0, 30);
        t.setTimeoutSeconds(PROTO_TCP, FIN_WAIT, 50);
        assertEquals(100, t.timeoutSeconds(PROTO_TCP, ESTABLISHED));
        assertEquals(50, t.timeoutSeconds(PROTO_TCP, FIN_WAIT));
        assertEquals(30, t.timeoutSeconds(PROTO_UDP, 0));
        long h = established(t, 1, 0, T0);
        assertEquals(T0 + 100 * S, t.expiresAtNanos(h));
        assertEquals(FIN_WAIT, t.onPacket(h, DIR_INPUT_ONLY, Tcp.FIN, T0));
        assertEquals(T0 + 50 * S, t.expiresAtNanos(h));
        long u = create(t, PROTO_UDP, 0, CLIENT, 9, 0, VIP, 53, 0, REAL, 53, 1, 1, 0, T0);
        t.onPacket(u, DIR_INPUT, 0, T0);
        assertEquals(T0 + 30 * S, t.expiresAtNanos(u));
        assertThrows(IllegalArgumentException.class, () -> t.setTimeoutSeconds(PROTO_TCP, ESTABLISHED, 0));
        assertThrows(IllegalArgumentException.class, () -> t.setTimeoutSeconds(PROTO_TCP, TcpState.COUNT, 10));
    }

    @Test
    void connectionsExpireOnTimeAndARefreshedOneDoesNot() {
        ConnectionTable t = table(64);
        long idle = established(t, 1, 0, T0);
        long busy = established(t, 2, 0, T0);
        assertEquals(0, t.expire(T0 + 100 * S));
        assertEquals(ESTABLISHED, t.onPacket(busy, DIR_INPUT_ONLY, Tcp.ACK, T0 + 500 * S));
        assertEquals(0, t.expire(T0 + 899 * S));
        assertTrue(t.isLive(idle));
        assertEquals(1, t.expire(T0 + 901 * S), "expires within one tick of its deadline");
        assertFalse(t.isLive(idle));
        assertTrue(t.isLive(busy));
        assertEquals(0, t.expire(T0 + 1399 * S));
        assertEquals(1, t.expire(T0 + 1401 * S));
        assertFalse(t.isLive(busy));
        assertEquals(0, t.size());
    }

    @Test
    void aShortenedTimeoutIsHonouredAlthoughTheWheelFiledTheLongerOne() {
        ConnectionTable t = table(64);
        long h = established(t, 1, 0, T0);
        assertEquals(0, t.expire(T0 + 10 * S)); // filed at the 900 s deadline
        assertEquals(FIN_WAIT, t.onPacket(h, DIR_INPUT_ONLY, Tcp.FIN | Tcp.ACK, T0 + 20 * S));
        assertEquals(0, t.expire(T0 + 139 * S));
        assertEquals(1, t.expire(T0 + 141 * S), "FIN_WAIT's 120 s, not ESTABLISHED's 900 s");
    }

    @Test
    void expiryLooksOnlyAtDueEntriesNotTheWholeTable() {
        ConnectionTable t = table(20_000);
        for (int port = 1; port <= 10_000; port++) established(t, port, 0, T0);
        for (int port = 10_001; port <= 10_010; port++) tcp(t, port, 0, T0); // NONE: 2 s
        long before = t.examinedEntries();
        int expired = 0;
        for (int second = 1; second <= 100; second++) expired += t.expire(T0 + second * S);
        assertEquals(10, expired);
        assertEquals(10, t.examinedEntries() - before, "only the 10 due entries were looked at");
        assertEquals(10_000, t.size());
    }

    @Test
    void expireWorkIsBoundedPerCall() {
        ConnectionTable t = table(1000);
        for (int port = 1; port <= 1000; port++) tcp(t, port, 0, T0);
        assertEquals(300, t.expire(T0 + 3 * S, 300));
        assertEquals(300, t.expire(T0 + 3 * S, 300));
        assertEquals(400, t.expire(T0 + 3 * S, 1000));
        assertEquals(0, t.size());
    }

    @Test
    void listingShowsEveryConnectionWithItsRemainingTime() {
        ConnectionTable t = table(64);
        established(t, 1, 1, T0);
        long h2 = tcp(t, 2, 2, T0);
        Map<Integer, String> seen = new HashMap<>();
        Map<Integer, Long> remaining = new HashMap<>();
        t.forEach(c -> {
            seen.put(c.clientPort(), c.stateName() + " " + c.destId() + " " + Long.toHexString(c.realLo()) + ":" + c.realPort());
            remaining.put(c.clientPort(), c.remainingSeconds());
        }, T0 + 10 * S);
        assertEquals(Map.of(1, "ESTABLISHED 1 ffffac100002:8080", 2, "NONE 2 ffffac100002:8080"), seen);
        assertEquals(890L, remaining.get(1));
        assertEquals(0L, remaining.get(2), "already past its deadline, not yet expired");
        assertTrue(t.isLive(h2));
    }

    @Test
    void removeByDestDropsOnlyThatServersConnectionsAndFreesTheirSlots() {
        ConnectionTable t = table(4);
        long a = established(t, 1, 1, T0);
        long b = established(t, 2, 2, T0);
        long c = tcp(t, 3, 2, T0);
        assertEquals(2, t.removeByDest(2));
        assertTrue(t.isLive(a));
        assertFalse(t.isLive(b));
        assertFalse(t.isLive(c));
        assertEquals(-1, inbound(t, PROTO_TCP, 0, CLIENT, 2, 0, VIP, 80));
        assertEquals(-1, outbound(t, PROTO_TCP, 0, REAL, 8080, 0, CLIENT, 3));
        assertEquals(0, events.active.get(2));
        assertEquals(0, events.inactive.get(2));
        assertEquals(1, events.active.get(1));
        assertEquals(1, t.size());
        assertEquals(0, t.expire(T0 + S)); // frees the removed entries' slots, long before their deadlines
        for (int port = 10; port < 13; port++) assertTrue(tcp(t, port, 0, T0 + S) >= 0);
        assertEquals(0, t.fullDrops());
    }

    @Test
    void removeIfUsesTheView() {
        ConnectionTable t = table(16);
        established(t, 1, 1, T0);
        tcp(t, 2, 1, T0);
        assertEquals(1, t.removeIf(c -> c.state() == NONE, T0));
        assertEquals(1, t.size());
        assertEquals(1, events.active.get(1));
        assertEquals(0, events.inactive.get(1));
    }

    @Test
    void randomChurnAgreesWithAModel() {
        ConnectionTable t = table(512);
        SplittableRandom random = new SplittableRandom(42);
        Map<Integer, Long> model = new HashMap<>(); // client port -> handle
        long now = T0;
        for (int step = 0; step < 200_000; step++) {
            int port = random.nextInt(2000);
            Long known = model.get(port);
            long found = inbound(t, PROTO_TCP, 0, CLIENT, port, 0, VIP, 80);
            assertEquals(known == null ? -1 : known, found, "port " + port + " step " + step);
            if (known == null) {
                long h = tcp(t, port, 0, now);
                if (h >= 0) {
                    model.put(port, h);
                    t.onPacket(h, DIR_INPUT, Tcp.SYN, now); // 60 s
                } else {
                    assertEquals(512, model.size(), "only refused when full");
                }
            } else if (random.nextInt(4) == 0) {
                t.onPacket(known, DIR_INPUT, Tcp.RST, now); // CLOSE: 10 s
            }
            if (step % 100 == 0) {
                now += S;
                t.expire(now);
                model.values().removeIf(h -> !t.isLive(h));
                assertEquals(model.size(), t.size());
            }
        }
        assertEquals(t.size(), events.totalActive() + events.totalInactive());
    }
}
