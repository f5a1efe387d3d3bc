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
}
