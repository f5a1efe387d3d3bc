package io.jlvs.daemon;

import io.jlvs.forwarder.SpliceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records beside the table in /dev/shm: what one daemon writes the next reads back; a file it cannot trust, never. */
class RecordsFileTest {
    @TempDir
    Path dir;

    @Test
    void theNextDaemonReadsTheRecordsBack() throws IOException {
        Path path = dir.resolve("t.splices");
        try (RecordsFile file = RecordsFile.create(path, RecordsFile.Kind.SPLICES, 1024)) {
            assertEquals(SpliceRecord.BYTES * 1024, file.records().byteSize());
            assertEquals(0, file.records().get(ValueLayout.JAVA_INT, SpliceRecord.BYTES * 1023), "none yet");
            file.records().set(ValueLayout.JAVA_INT, SpliceRecord.BYTES * 7 + 20, 0x12345678);
        }
        try (RecordsFile previous = RecordsFile.readPrevious(path, RecordsFile.Kind.SPLICES, 1024)) {
            assertEquals(0x12345678, previous.records().get(ValueLayout.JAVA_INT, SpliceRecord.BYTES * 7 + 20));
        }
        assertThrows(IOException.class, () -> RecordsFile.create(path, RecordsFile.Kind.SPLICES, 1024), "never over an existing file");
    }

    @Test
    void aFileOfAnotherCapacityLayoutOrKindIsRefusedWithItsReason() throws IOException {
        Path path = dir.resolve("t.splices");
        RecordsFile.create(path, RecordsFile.Kind.SPLICES, 1024).close();
        IOException capacity = assertThrows(IOException.class, () -> RecordsFile.readPrevious(path, RecordsFile.Kind.SPLICES, 2048));
        assertTrue(capacity.getMessage().contains("records of 1024 entries for a table of 2048"), capacity.getMessage());

        byte[] bytes = Files.readAllBytes(path);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.nativeOrder()).putInt(8, 9); // the layout number
        Files.write(path, bytes);
        IOException layout = assertThrows(IOException.class, () -> RecordsFile.readPrevious(path, RecordsFile.Kind.SPLICES, 1024));
        assertTrue(layout.getMessage().contains("layout 9"), layout.getMessage());

        Files.writeString(path, "not records at all, but long enough to hold a header of sixty-four bytes....");
        IOException kind = assertThrows(IOException.class, () -> RecordsFile.readPrevious(path, RecordsFile.Kind.SPLICES, 1024));
        assertTrue(kind.getMessage().contains("not a file of SYN proxy records"), kind.getMessage());

        Files.write(path, new byte[10]);
        IOException shortFile = assertThrows(IOException.class, () -> RecordsFile.readPrevious(path, RecordsFile.Kind.SPLICES, 1024));
        assertTrue(shortFile.getMessage().contains("too short"), shortFile.getMessage());
    }

    @Test
    void fullNatRecordsAreAKindOfTheirOwn() throws IOException {
        Path path = dir.resolve("t.fullnat");
        try (RecordsFile file = RecordsFile.create(path, RecordsFile.Kind.FULLNAT, 256)) {
            assertEquals(io.jlvs.forwarder.FullNatRecord.BYTES * 256, file.records().byteSize());
        }
        RecordsFile.readPrevious(path, RecordsFile.Kind.FULLNAT, 256).close();
        IOException kind = assertThrows(IOException.class,
                () -> RecordsFile.readPrevious(path, RecordsFile.Kind.SPLICES, 256));
        assertTrue(kind.getMessage().contains("not a file of SYN proxy records"), kind.getMessage());
    }

    @Test
    void fullNatRecordsOfTheEarlierLayoutAreReadAsThisOnesIpv4OnesKept() throws IOException {
        Path path = dir.resolve("t.fullnat");
        // What a daemon of layout 1 wrote: 16 bytes a record; slot 3 an IPv4 connection with the PROXY header,
        // slot 5 an IPv6 one named by that daemon's number for its local address (127.0.0.1).
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (RecordsFile.HEADER_BYTES + 16 * 8))
                .order(java.nio.ByteOrder.nativeOrder());
        b.put("JLVSFNAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(8, io.jlvs.forwarder.FullNatRecord.LAYOUT_1).putInt(12, 16).putInt(16, 8);
        int slot3 = (int) RecordsFile.HEADER_BYTES + 3 * 16, slot5 = (int) RecordsFile.HEADER_BYTES + 5 * 16;
        b.putInt(slot3, 0xAC100032).putInt(slot3 + 4, 1_000_000).putShort(slot3 + 8, (short) 40001).put(slot3 + 10, (byte) 1);
        b.putInt(slot5, 0x7F000001).putShort(slot5 + 8, (short) 40002);
        Files.write(path, b.array());
        try (RecordsFile previous = RecordsFile.readPrevious(path, RecordsFile.Kind.FULLNAT, 8)) {
            assertEquals(io.jlvs.forwarder.FullNatRecord.BYTES * 8, previous.records().byteSize(), "this layout's size");
            io.jlvs.forwarder.FullNatRecord r = new io.jlvs.forwarder.FullNatRecord().readFrom(previous.records(), 3);
            assertEquals("fullnat 172.16.0.50:40001 proxy-header isn 1000000", r.toString());
            assertTrue(r.valid());
            assertEquals(false, r.readFrom(previous.records(), 5).present(), "an IPv6 number means nothing here");
            assertEquals(false, r.readFrom(previous.records(), 4).present(), "none");
        }
        b.putInt(12, 24); // layout 1 of another size: not the earlier layout
        Files.write(path, b.array());
        IOException layout = assertThrows(IOException.class, () -> RecordsFile.readPrevious(path, RecordsFile.Kind.FULLNAT, 8));
        assertTrue(layout.getMessage().contains("layout 1 (24 bytes), this daemon reads layout 2 and 1"), layout.getMessage());
    }
}
