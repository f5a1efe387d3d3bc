package io.jlvs.failover.sync;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every hand-written kernel message decodes to its entries, and those entries encode back to the same bytes. */
class SyncMessageFixturesTest {
    @TestFactory
    Stream<DynamicTest> decodesToItsEntries() {
        return SyncFixtures.ALL.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            SyncMessageReader reader = new SyncMessageReader(SyncFixtures.SYNC_ID);
            List<String> read = new ArrayList<>();
            assertNull(reader.read(f.bytes(), e -> read.add(e.toString())));
            assertEquals(f.entries().stream().map(SyncEntry::toString).toList(), read);
            assertEquals(0, reader.dropped());
        }));
    }

    @TestFactory
    Stream<DynamicTest> encodesBackToTheSameBytes() {
        return SyncFixtures.ALL.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            SyncMessageWriter writer = f.version() == 1 ? SyncMessageWriter.version1(1500, SyncFixtures.SYNC_ID)
                    : SyncMessageWriter.version0(1500, SyncFixtures.SYNC_ID);
            for (SyncEntry e : f.entries()) assertEquals(SyncMessageWriter.Append.ADDED, writer.append(e));
            assertEquals(f.hex(), hex(writer.finish()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> decodedEntriesEncodeBackToTheSameBytes() {
        return SyncFixtures.ALL.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            SyncMessageWriter writer = f.version() == 1 ? SyncMessageWriter.version1(1500, SyncFixtures.SYNC_ID)
                    : SyncMessageWriter.version0(1500, SyncFixtures.SYNC_ID);
            assertNull(new SyncMessageReader(0).read(f.bytes(), writer::append));
            assertEquals(f.hex(), hex(writer.finish()));
        }));
    }

    static String hex(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return HexFormat.of().formatHex(out);
    }
}
