package io.jlvs.connections;

import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Tcp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.jlvs.connections.TestAddresses.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableFileTest {
    private static final UUID BOOT = UUID.fromString("0b1d7f2c-6d2e-4c4e-9a57-3c1e0f3a9b11");
    private static final long SECOND = 1_000_000_000L;
    private static final long NOW = 1_000 * SECOND;

    @TempDir
    Path dir;

    private static ConnectionParam flow(int proto, int clientPort, int fwmark) {
        return new ConnectionParam().protocol(proto).client(0, v4(10, 0, 0, 1), clientPort)
                .virtual(0, v4(10, 0, 0, 100), 80).real(0, v4(192, 168, 1, 2), 8080)
                .binding(7, 3, 2).fwmark(fwmark);
    }

    /** Entries of the previous file, copied out of the visitor's reused view. */
    private static List<String> scan(PreviousTable previous, long now, int[] counts) {
        List<String> seen = new ArrayList<>();
        PreviousTable.Scan s = previous.forEachLive(v -> seen.add(v.protocol() + " " + v.clientPort() + " "
                + v.stateName() + " " + v.fwmark() + " " + v.flags() + " " + v.expiresAtNanos()), now);
        counts[0] = s.live();
        counts[1] = s.expired();
        counts[2] = s.malformed();
        return seen;
    }

    @Test
    void entriesOfAKilledTableAreReadBackWithStateDeadlineAndMarkAndRestoredIntoANewTable() throws IOException {
        Path path = dir.resolve("t.conns");
        long tcp, udp;
        try (TableFile file = TableFile.create(path, 1024, 42, 4242, BOOT)) {
            ConnectionTable table = new ConnectionTable(file.entries(), 1024, null);
            tcp = table.create(flow(Ipv4.PROTO_TCP, 1000, 0), NOW);
            table.onPacket(tcp, ConnectionTable.DIR_INPUT, Tcp.SYN, NOW);
            table.onPacket(tcp, ConnectionTable.DIR_OUTPUT, Tcp.SYN | Tcp.ACK, NOW);
            table.onPacket(tcp, ConnectionTable.DIR_INPUT, Tcp.ACK, NOW);
            udp = table.create(flow(Ipv4.PROTO_UDP, 2000, 9), NOW);
            // No close of the table: the daemon died; only the mapping goes, as at the process's exit.
        }
        assertEquals(42, TableFile.readHeader(path).ownerPid());
        int[] counts = new int[3];
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            List<String> seen = scan(previous, NOW + SECOND, counts);
            assertEquals(List.of("6 1000 ESTABLISHED 0 2 " + (NOW + 900 * SECOND),
                    "17 2000 UDP 9 2 " + (NOW + 300 * SECOND)), seen);
            assertEquals(2, counts[0]);

            CountingEvents events = new CountingEvents(8);
            try (ConnectionTable next = new ConnectionTable(1024, events)) {
                ConnectionParam p = new ConnectionParam();
                previous.forEachLive(v -> {
                    p.protocol(v.protocol()).client(v.clientHi(), v.clientLo(), v.clientPort())
                            .virtual(v.virtualHi(), v.virtualLo(), v.virtualPort())
                            .real(v.realHi(), v.realLo(), v.realPort()).binding(1, 5, v.flags()).fwmark(v.fwmark());
                    assertTrue(next.restore(p, v.state(), v.expiresAtNanos()) >= 0);
                }, NOW + SECOND);
                ConnectionView view = new ConnectionView();
                long h = next.lookup(flow(Ipv4.PROTO_TCP, 1000, 0), ConnectionTable.DIR_INPUT, view);
                assertEquals(TcpState.ESTABLISHED, view.state());
                assertEquals(NOW + 900 * SECOND, next.expiresAtNanos(h));
                assertTrue(next.lookup(flow(Ipv4.PROTO_UDP, 2000, 9), ConnectionTable.DIR_OUTPUT, view) >= 0);
                assertEquals(9, view.fwmark());
                assertEquals(1, events.totalActive());
                assertEquals(1, events.totalInactive());
                assertEquals(1, next.expire(NOW + 301 * SECOND), "restored deadlines drive expiry");
            }
        }
    }

    @Test
    void expiredEntriesAreCountedAndLeftOut() throws IOException {
        Path path = dir.resolve("t.conns");
        try (TableFile file = TableFile.create(path, 1024, 1, 1, BOOT)) {
            ConnectionTable table = new ConnectionTable(file.entries(), 1024, null);
            table.restore(flow(Ipv4.PROTO_TCP, 1, 0), TcpState.ESTABLISHED, NOW + SECOND);
            table.restore(flow(Ipv4.PROTO_TCP, 2, 0), TcpState.ESTABLISHED, NOW + 10 * SECOND);
        }
        int[] counts = new int[3];
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            assertEquals(1, scan(previous, NOW + 2 * SECOND, counts).size());
            assertEquals(1, counts[1], "one expired");
        }
    }

    @Test
    void anEntryWhoseLifeWordWasNotYetPublishedIsIgnored() throws IOException {
        Path path = dir.resolve("t.conns");
        try (TableFile file = TableFile.create(path, 1024, 1, 1, BOOT)) {
            EntrySlab slab = new EntrySlab(file.entries(), 1024);
            // The writer filled slot 5 and died before publishing its life word.
            slab.fill(5, flow(Ipv4.PROTO_TCP, 5, 0), NOW + 100 * SECOND);
            slab.fill(6, flow(Ipv4.PROTO_TCP, 6, 0), NOW + 100 * SECOND);
            // Slot 6 got its word: the same scan can see a published entry.
            slab.publishWord(6, EntrySlab.liveWord(slab.wordPlain(6), Ipv4.PROTO_TCP, TcpState.ESTABLISHED));
        }
        int[] counts = new int[3];
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            List<String> seen = scan(previous, NOW, counts);
            assertEquals(1, seen.size());
            assertTrue(seen.getFirst().startsWith("6 6 ESTABLISHED"), seen.toString());
        }
    }

    @Test
    void aLiveWordWithImpossibleFieldsIsCountedMalformed() throws IOException {
        Path path = dir.resolve("t.conns");
        try (TableFile file = TableFile.create(path, 1024, 1, 1, BOOT)) {
            EntrySlab slab = new EntrySlab(file.entries(), 1024);
            slab.fill(1, flow(Ipv4.PROTO_UDP, 1, 0), NOW + 100 * SECOND);
            slab.publishWord(1, EntrySlab.liveWord(slab.wordPlain(1), Ipv4.PROTO_UDP, TcpState.ESTABLISHED));
            slab.fill(2, flow(Ipv4.PROTO_UDP, 2, 0), NOW + 100 * SECOND);
            slab.publishWord(2, EntrySlab.liveWord(slab.wordPlain(2), Ipv4.PROTO_UDP, 0));
        }
        int[] counts = new int[3];
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            assertEquals(1, scan(previous, NOW, counts).size());
            assertEquals(1, counts[2]);
        }
    }

    @Test
    void aFileOfAnotherBootIsRefused() throws IOException {
        Path path = dir.resolve("t.conns");
        TableFile.create(path, 1024, 1, 1, BOOT).close();
        var e = assertThrows(TableFile.IncompatibleTableException.class,
                () -> TableFile.readPrevious(path, UUID.randomUUID()));
        assertTrue(e.getMessage().contains("another boot"), e.getMessage());
        TableFile.readPrevious(path, BOOT).close(); // the same file of this boot is accepted
    }

    @Test
    void aFileOfAnotherLayoutVersionOrEntrySizeOrWithoutMagicIsRefused() throws IOException {
        Path path = dir.resolve("t.conns");
        TableFile.create(path, 1024, 1, 1, BOOT).close();
        overwriteInt(path, 8, TableHeader.LAYOUT_VERSION + 1);
        assertRefused(path, "layout version");
        overwriteInt(path, 8, TableHeader.LAYOUT_VERSION);
        overwriteInt(path, 12, 104);
        assertRefused(path, "entries of 104 bytes");
        overwriteInt(path, 12, (int) EntrySlab.ENTRY_BYTES);
        overwriteInt(path, 0, 0);
        assertRefused(path, "magic");
    }

    private static void assertRefused(Path path, String why) {
        var e = assertThrows(TableFile.IncompatibleTableException.class, () -> TableFile.readPrevious(path, BOOT));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static void overwriteInt(Path path, long at, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), at);
        }
    }
}
