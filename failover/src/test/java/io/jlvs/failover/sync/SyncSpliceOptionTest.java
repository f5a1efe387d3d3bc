package io.jlvs.failover.sync;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.jlvs.failover.sync.SyncFixtures.V4_ADDRESSES;
import static io.jlvs.failover.sync.SyncFixtures.V4_FIXED;
import static io.jlvs.failover.sync.SyncFixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jlvs's SYN proxy option on the sync wire: its exact bytes after the kernel's options, read back to the same
 * entry, skipped by the kernel's rule for optional options, left out of version 0, and refused when malformed.
 */
class SyncSpliceOptionTest {
    /** The option of {@link #spliced()}: type 0x60, 32 bytes. */
    static final String OPTION = "6020" + "02" + "03" + "07" + "fb" + "03" + "000000"
            + "000f4240" + "89abcdef" + "000003e9" + "12345678" + "ffedcba9" + "00015f90";

    static SyncEntry spliced() {
        SyncEntry e = SyncFixtures.v4();
        SyncSplice s = e.splice;
        s.state = SyncSplice.SPLICED;
        s.flags = SyncSplice.F_SACK | SyncSplice.F_TIMESTAMPS;
        s.clientScale = 7;
        s.windowShift = -5;
        s.mssIndex = 3;
        s.clientIsn = 1_000_000;
        s.directorIsn = 0x89abcdef;
        s.clientTs = 1001;
        s.directorTs = 0x12345678;
        s.seqDelta = -0x123457;
        s.tsDelta = 90_000;
        return e;
    }

    private static String hex(ByteBuffer m) {
        byte[] b = new byte[m.remaining()];
        m.duplicate().get(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void theOptionFollowsTheEntryWithItsFieldsBigEndian() {
        SyncMessageWriter w = SyncMessageWriter.version1(1500, 7);
        w.append(spliced());
        String entry = "0006" + "0046" + V4_FIXED.substring(8) + V4_ADDRESSES + OPTION;
        assertEquals("0007" + "004e" + "01010000" + entry, hex(w.finish()));
        assertEquals(36 + 2 + 32, SyncLayout.v1EntryBytes(spliced()));
    }

    @Test
    void aJlvsBackupReadsTheSpliceBack() {
        SyncMessageWriter w = SyncMessageWriter.version1(1500, 7);
        SyncEntry sent = spliced();
        sent.flags = SyncEntry.F_MASQ;
        w.append(sent);
        w.append(SyncFixtures.v4()); // the next entry carries none: the reused entry forgets the splice
        List<String> read = new ArrayList<>();
        List<Boolean> present = new ArrayList<>();
        assertNull(new SyncMessageReader(7).read(w.finish(), e -> {
            read.add(e.toString());
            present.add(e.splice.present());
        }));
        assertEquals(List.of(sent.toString(), SyncFixtures.v4().toString()), read);
        assertEquals(List.of(true, false), present);
        assertTrue(read.getFirst().contains("shift -5") && read.getFirst().contains("delta -1193047/90000"),
                read.getFirst());
    }

    @Test
    void aKernelBackupSkipsIt() {
        // ip_vs_proc_sync_conn: switch (ptype & ~IPVS_OPT_F_PARAM) knows 1, 2 and 3; any other type with the
        // IPVS_OPT_F_PARAM bit is skipped by its length, the entry kept.
        int kind = SyncLayout.OPT_JLVS_SPLICE & ~SyncLayout.OPT_F_PARAM;
        assertTrue((SyncLayout.OPT_JLVS_SPLICE & SyncLayout.OPT_F_PARAM) != 0, "optional");
        assertFalse(kind == SyncLayout.OPT_SEQ_DATA || kind == SyncLayout.OPT_PE_DATA || kind == SyncLayout.OPT_PE_NAME,
                "not one of the kernel's");
        assertEquals(0x40, SyncLayout.OPT_F_PARAM, "IPVS_OPT_F_PARAM = 1 << (IPVS_OPT_PARAM - 1), IPVS_OPT_PARAM 7");
    }

    @Test
    void version0LeavesItOut() {
        SyncMessageWriter with = SyncMessageWriter.version0(1500, 7), without = SyncMessageWriter.version0(1500, 7);
        SyncEntry e = spliced();
        e.flags = SyncEntry.F_MASQ;
        with.append(e);
        e.splice.clear();
        without.append(e);
        assertEquals(hex(without.finish()), hex(with.finish()));
    }

    @Test
    void aMalformedSpliceOptionDropsTheMessage() {
        String entry = "0006" + "0046" + V4_FIXED.substring(8) + V4_ADDRESSES;
        assertEquals(SyncDrop.OPTION_LENGTH, read(message("0006" + "0045" + V4_FIXED.substring(8) + V4_ADDRESSES
                + OPTION.replaceFirst("^6020", "601f").substring(0, OPTION.length() - 2))));
        assertEquals(SyncDrop.OPTION_VALUE, read(message(entry + OPTION.substring(0, 4) + "05" + OPTION.substring(6))),
                "an unknown state");
        assertEquals(SyncDrop.OPTION_VALUE, read(message(entry + OPTION.substring(0, 8) + "0f" + OPTION.substring(10))),
                "a window scale above 14");
        assertEquals(SyncDrop.OPTION_VALUE, read(message(entry + OPTION.substring(0, 14) + "000001"
                + OPTION.substring(20))), "a reserved byte set");
        assertEquals(SyncDrop.OPTION_REPEATED, read(message("0006" + "0068" + V4_FIXED.substring(8) + V4_ADDRESSES
                + OPTION + OPTION)));
        assertNull(read(message(entry + OPTION)), "while the option itself is good");
    }

    private static String message(String entry) {
        return "0007" + String.format("%04x", 8 + entry.length() / 2) + "01010000" + entry;
    }

    private static SyncDrop read(String hex) {
        return new SyncMessageReader(7).read(bytes(hex), e -> {});
    }
}
