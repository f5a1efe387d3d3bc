package io.jlvs.failover.sync;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.jlvs.failover.sync.SyncFixtures.V4_ADDRESSES;
import static io.jlvs.failover.sync.SyncFixtures.V4_ENTRY;
import static io.jlvs.failover.sync.SyncFixtures.V4_FIXED;
import static io.jlvs.failover.sync.SyncFixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every way the kernel's backup refuses a message or an entry, each counted under its reason; and what passes. */
class SyncMessageReaderTest {
    final SyncMessageReader reader = new SyncMessageReader(7);
    final Map<SyncDrop, Long> expected = new EnumMap<>(SyncDrop.class);
    final List<String> entries = new ArrayList<>();

    /** V4_ENTRY with a different entry size and the given options after its addresses. */
    static String v4With(int size, String options) {
        return "0006" + String.format("%04x", size) + V4_FIXED.substring(8) + V4_ADDRESSES + options;
    }

    /** A version 1 message of syncid 7 with n entries. */
    static String v1(int n, String body) {
        return "0007" + String.format("%04x", 8 + body.length() / 2) + String.format("%02x", n) + "010000" + body;
    }

    SyncDrop read(String hex) {
        entries.clear();
        return reader.read(bytes(hex), e -> entries.add(e.toString()));
    }

    void refused(SyncDrop reason, String hex) {
        assertEquals(reason, read(hex), hex);
        expected.merge(reason, 1L, Long::sum);
        for (SyncDrop r : SyncDrop.values()) assertEquals(expected.getOrDefault(r, 0L), reader.dropped(r), r.name());
    }

    @Test
    void malformedMessagesAreRefusedAndCountedByReason() {
        refused(SyncDrop.TOO_SHORT, "0007");
        refused(SyncDrop.SIZE, "0007002d" + "01010000" + V4_ENTRY);
        refused(SyncDrop.OTHER_SYNCID, "0008002c" + "01010000" + V4_ENTRY);
        refused(SyncDrop.ENTRY_TRUNCATED, v1(1, ""));
        refused(SyncDrop.ENTRY_TRUNCATED, v1(2, V4_ENTRY));
        refused(SyncDrop.ENTRY_TRUNCATED, v1(1, v4With(40, "")));
        refused(SyncDrop.ENTRY_VERSION, v1(1, "0006" + "1024" + V4_ENTRY.substring(8)));
        refused(SyncDrop.ENTRY_SIZE, v1(1, "0106" + V4_ENTRY.substring(4)));
        refused(SyncDrop.OPTION_LENGTH, v1(1, v4With(38, "0300")));
        refused(SyncDrop.OPTION_LENGTH, v1(1, v4With(37, "03")));
        refused(SyncDrop.OPTION_LENGTH, v1(1, v4With(40, "0309" + "736970")));
        refused(SyncDrop.OPTION_LENGTH, v1(1, v4With(46, "0108" + "0000000000000000")));
        refused(SyncDrop.OPTION_LENGTH, v1(1, v4With(55, "0311" + "00".repeat(17))));
        refused(SyncDrop.OPTION_REPEATED, v1(1, v4With(46, "0303736970" + "0303736970")));
        refused(SyncDrop.OPTION_UNKNOWN, v1(1, v4With(40, "0502abcd")));
        refused(SyncDrop.PROTOCOL, v1(1, "0001" + V4_ENTRY.substring(4)));
        refused(SyncDrop.STATE, v1(1, V4_ENTRY.substring(0, 16) + "000b" + V4_ENTRY.substring(20)));
        refused(SyncDrop.ENTRY_TRUNCATED, "0107001c" + "0006" + "9c40" + "0050" + "1f90" + V4_ADDRESSES + "0200"
                + "0001");
    }

    @Test
    void aBadEntryDropsTheRestOfAVersion1MessageAfterTheGoodOnesBeforeIt() {
        String bad = "0001" + V4_ENTRY.substring(4);
        assertEquals(SyncDrop.PROTOCOL, read(v1(3, V4_ENTRY + bad + V4_ENTRY)));
        assertEquals(1, entries.size(), "the entry before the bad one");
    }

    @Test
    void aVersion0EntryOfAnUnknownProtocolIsSkippedAloneAsTheKernelDoes() {
        String good = "0006" + "9c40" + "0050" + "1f90" + V4_ADDRESSES + "0003" + "0001";
        String icmp = "0001" + good.substring(4);
        assertNull(read("0307" + "004c" + good + icmp + good));
        assertEquals(2, entries.size());
        assertEquals(1, reader.dropped(SyncDrop.PROTOCOL));
    }

    @Test
    void unknownOptionalOptionsAreSkippedAndSyncId0AcceptsEveryId() {
        // type 0x45: option 5 with the IPVS_OPT_F_PARAM bit, which a backup that does not know it skips
        assertNull(read(v1(1, v4With(40, "4502abcd"))));
        assertEquals(List.of(SyncFixtures.v4().toString()), entries);
        List<String> any = new ArrayList<>();
        assertNull(new SyncMessageReader(0).read(bytes("0009002c" + "01010000" + V4_ENTRY), e -> any.add(e.toString())));
        assertEquals(1, any.size());
        assertEquals(0, reader.dropped());
    }

    @Test
    void aTemplatesStateAndProtocolAreNotCheckedAsTheKernelResetsThem() {
        assertNull(read(v1(1, "0001" + "0024" + "00001000" + "0005" + V4_ENTRY.substring(20))));
        assertEquals(1, entries.size());
    }

    @Test
    void controlMessagesAreJlvsOnlyAndAKernelReadsThemAsEmpty() {
        ByteBuffer request = ByteBuffer.allocate(8);
        SyncControl.write(request, 7, SyncControl.RESYNC_REQUEST);
        assertEquals("00070008" + "00ea0000", SyncMessageFixturesTest.hex(request.flip()));
        assertEquals(0, request.get(SyncLayout.V0_OFF_NR_CONNS), "a version 0 message's entry count: none");
        List<Integer> controls = new ArrayList<>();
        assertNull(reader.read(request, new SyncMessageReader.Handler() {
            @Override public void entry(SyncEntry entry) { entries.add(entry.toString()); }

            @Override public void control(int kind) { controls.add(kind); }
        }));
        assertEquals(List.of(SyncControl.RESYNC_REQUEST), controls);
        assertEquals(List.of(), entries);
    }
}
