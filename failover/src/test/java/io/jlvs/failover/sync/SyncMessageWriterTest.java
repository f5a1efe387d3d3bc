package io.jlvs.failover.sync;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static io.jlvs.failover.sync.SyncMessageWriter.Append.ADDED;
import static io.jlvs.failover.sync.SyncMessageWriter.Append.MESSAGE_FULL;
import static io.jlvs.failover.sync.SyncMessageWriter.Append.NOT_REPRESENTABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the writer ends a message, what version 0 cannot carry, and that neither side allocates per entry. */
class SyncMessageWriterTest {
    @Test
    void aMessageEndsWhenTheNextEntryWouldPassMaxlen() {
        SyncMessageWriter w = SyncMessageWriter.version1(8 + 2 * 36, 7);
        assertEquals(ADDED, w.append(SyncFixtures.v4()));
        assertEquals(ADDED, w.append(SyncFixtures.v4()));
        assertEquals(MESSAGE_FULL, w.append(SyncFixtures.v4()));
        ByteBuffer m = w.finish();
        assertEquals(80, m.remaining());
        assertEquals(2, m.get(SyncLayout.OFF_NR_CONNS));
        assertTrue(w.isEmpty());
        assertEquals(ADDED, w.append(SyncFixtures.v4()), "the next message takes it");
    }

    @Test
    void anEntryLongerThanMaxlenGoesAloneAsTheKernelSendsIt() {
        SyncMessageWriter w = SyncMessageWriter.version1(20, 7);
        assertEquals(ADDED, w.append(SyncFixtures.sipTemplate()));
        assertEquals(MESSAGE_FULL, w.append(SyncFixtures.v4()));
        assertEquals(8 + 57, w.finish().remaining());
    }

    @Test
    void aMessageHoldsAt255Entries() {
        SyncMessageWriter w = SyncMessageWriter.version1(65535, 7);
        for (int i = 0; i < SyncLayout.MAX_ENTRIES; i++) assertEquals(ADDED, w.append(SyncFixtures.v4()));
        assertEquals(MESSAGE_FULL, w.append(SyncFixtures.v4()));
        assertEquals(255, w.finish().get(SyncLayout.OFF_NR_CONNS) & 0xFF);
    }

    @Test
    void version0CarriesNeitherIpv6NorPersistenceEngines() {
        SyncMessageWriter w = SyncMessageWriter.version0(1500, 7);
        assertEquals(NOT_REPRESENTABLE, w.append(SyncFixtures.v6()));
        assertEquals(NOT_REPRESENTABLE, w.append(SyncFixtures.sipTemplate()));
        assertEquals(ADDED, w.append(SyncFixtures.v0(true)), "while IPv4 with sequence data it does");
    }

    @Test
    void writingAndReadingAllocateNothingPerEntry() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        SyncMessageWriter w = SyncMessageWriter.version1(1472, 7);
        SyncMessageReader r = new SyncMessageReader(7);
        SyncEntry[] entries = {SyncFixtures.v4(), SyncFixtures.v4WithSeq(), SyncFixtures.v6(), SyncFixtures.sipTemplate()};
        long[] read = {0};
        SyncMessageReader.Handler count = e -> read[0]++;
        int n = 200_000;
        for (int round = 0; round < 2; round++) { // the first warms up, the second is measured
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                SyncEntry e = entries[i & 3];
                if (w.append(e) == MESSAGE_FULL) {
                    assertNull(r.read(w.finish(), count));
                    w.append(e);
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) assertTrue(allocated < n / 10, allocated + " bytes allocated for " + n + " entries");
        }
        assertTrue(read[0] > n, "the entries were read: " + read[0]);
    }
}
