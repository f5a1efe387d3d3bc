package io.jlvs.failover.sync;

import io.jlvs.control.model.Addresses;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Messages against bytes laid out as ip_vs_sync.c's structs, and every way a message is refused. */
class SyncMessagesTest {
    /** Version 1 header: reserved 0, syncid 7, size 44, one entry, version 1, spare 0. */
    static final String V1_HEADER = "0007002c" + "01010000";
    /**
     * struct ip_vs_sync_v4: type 0, TCP, ver 0 / size 36, flags DROUTE (3), ESTABLISHED (1), cport 40000 (9c40),
     * vport 80, dport 8080 (1f90), fwmark 0, timeout 900 (384), caddr 10.0.0.2, vaddr 10.0.0.100, daddr 10.0.0.11.
     */
    static final String V4_ENTRY = "00060024" + "00000003" + "0001" + "9c40" + "0050" + "1f90" + "00000000"
            + "00000384" + "0a000002" + "0a000064" + "0a00000b";

    static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    static List<String> read(ByteBuffer m, int syncId, List<Integer> controls, SyncDrop[] drop) {
        List<String> out = new ArrayList<>();
        drop[0] = SyncMessages.read(m, syncId, new SyncEntry(), new SyncMessages.Sink() {
            @Override public void entry(SyncEntry e) { out.add(e.toString()); }

            @Override public void control(int kind) { controls.add(kind); }
        });
        return out;
    }

    static SyncEntry expectedV4() {
        SyncEntry e = new SyncEntry();
        e.protocol = 6;
        e.flags = SyncEntry.F_DROUTE;
        e.state = 1;
        e.clientLo = Addresses.mappedLo(0x0A000002);
        e.clientPort = 40000;
        e.virtualLo = Addresses.mappedLo(0x0A000064);
        e.virtualPort = 80;
        e.destLo = Addresses.mappedLo(0x0A00000B);
        e.destPort = 8080;
        e.timeoutSeconds = 900;
        return e;
    }

    @Test
    void writesAVersion1MessageByteForByte() {
        SyncMessages.Writer w = new SyncMessages.Writer(1500, 7);
        w.add(expectedV4());
        assertEquals(V1_HEADER + V4_ENTRY, HexFormat.of().formatHex(w.finish().array()));
    }

    @Test
    void readsVersion1EntriesSkippingOptionsToTheNextAlignedEntry() {
        SyncDrop[] drop = new SyncDrop[1];
        assertEquals(List.of(expectedV4().toString()), read(bytes(V1_HEADER + V4_ENTRY), 7, new ArrayList<>(), drop));
        assertNull(drop[0]);
        // The same entry with a SEQ_DATA option (type 1, 24 bytes) and a PE_NAME "sip" (3 bytes): size 36 + 26 + 5
        // = 67, so the next entry starts after one byte of padding, at 68.
        String withOptions = "00060043" + V4_ENTRY.substring(8) + "0118" + "00".repeat(24) + "0303" + "736970";
        String message = "000700" + Integer.toHexString(8 + 68 + 36) + "02010000" + withOptions + "00" + V4_ENTRY;
        assertEquals(List.of(expectedV4().toString(), expectedV4().toString()),
                read(bytes(message), 7, new ArrayList<>(), drop));
        assertNull(drop[0]);
    }

    @Test
    void readsAnIpv6Entry() {
        String v6 = "01110048" + "00000000" + "0000" + "0035" + "0035" + "0035" + "00000005" + "0000012c"
                + "20010db8000000000000000000000002" + "20010db8000000000000000000000064"
                + "20010db800000000000000000000000b";
        SyncEntry got = new SyncEntry();
        List<SyncEntry> seen = new ArrayList<>();
        SyncDrop drop = SyncMessages.read(bytes("00000050" + "01010000" + v6), 0, got, e -> seen.add(e));
        assertNull(drop);
        assertEquals(1, seen.size());
        assertEquals(true, got.ipv6);
        assertEquals(17, got.protocol);
        assertEquals(0x20010db800000000L, got.clientHi);
        assertEquals(0x64, got.virtualLo);
        assertEquals(5, got.fwmark);
        assertEquals(300, got.timeoutSeconds);
    }

    @Test
    void readsVersion0MessagesWithAndWithoutSequenceData() {
        // struct ip_vs_sync_mesg_v0: nr_conns 2, syncid 7, size 4 + 24 + 24 + 24; ip_vs_sync_conn_v0: reserved, TCP,
        // cport, vport, dport, caddr, vaddr, daddr, flags, state; the second has IP_VS_CONN_F_OUT_SEQ (0x200).
        String entry = "0006" + "9c40" + "0050" + "1f90" + "0a000002" + "0a000064" + "0a00000b";
        String message = "0207004c" + entry + "0003" + "0001" + entry + "0203" + "0001" + "00".repeat(24);
        SyncDrop[] drop = new SyncDrop[1];
        List<String> entries = read(bytes(message), 7, new ArrayList<>(), drop);
        assertNull(drop[0]);
        assertEquals(2, entries.size());
        SyncEntry v0 = expectedV4();
        v0.timeoutSeconds = 0;
        assertEquals(v0.toString(), entries.getFirst());
    }

    @Test
    void controlMessagesAreJlvsOnlyAndAKernelReadsThemAsEmpty() {
        ByteBuffer request = ByteBuffer.allocate(8);
        SyncMessages.control(request, 7, SyncMessages.RESYNC_REQUEST);
        assertEquals("000700080" + "0ea0000", HexFormat.of().formatHex(request.array()));
        List<Integer> controls = new ArrayList<>();
        SyncDrop[] drop = new SyncDrop[1];
        assertEquals(List.of(), read(request.flip(), 7, controls, drop));
        assertEquals(List.of(SyncMessages.RESYNC_REQUEST), controls);
        assertEquals(0, request.get(0), "its first byte, a version 0 message's entry count, is 0");
    }

    @Test
    void everyMalformedMessageIsRefusedWithItsReason() {
        SyncDrop[] drop = new SyncDrop[1];
        read(bytes("0007"), 7, new ArrayList<>(), drop);
        assertEquals(SyncDrop.TOO_SHORT, drop[0]);
        read(bytes("0007002d" + "01010000" + V4_ENTRY), 7, new ArrayList<>(), drop);
        assertEquals(SyncDrop.SIZE, drop[0]);
        read(bytes(V1_HEADER + V4_ENTRY), 8, new ArrayList<>(), drop);
        assertEquals(SyncDrop.OTHER_SYNCID, drop[0]);
        read(bytes("00070008" + "01010000"), 7, new ArrayList<>(), drop);
        assertEquals(SyncDrop.ENTRY_TRUNCATED, drop[0], "one entry announced, none there");
        read(bytes(V1_HEADER + "00061024" + V4_ENTRY.substring(8)), 7, new ArrayList<>(), drop);
        assertEquals(SyncDrop.ENTRY_VERSION, drop[0]);
        String overlong = "00060027" + V4_ENTRY.substring(8) + "0109" + "00";
        read(bytes("00070030" + "01010000" + overlong + "00"), 7, new ArrayList<>(), drop);
        assertEquals(SyncDrop.OPTION, drop[0], "an option longer than its entry");
        read(bytes(V1_HEADER + V4_ENTRY.substring(0, 64) + "00000000"), 7, new ArrayList<>(), drop);
        assertEquals(SyncDrop.BAD_ENTRY, drop[0], "destination 0.0.0.0");
        read(bytes(V1_HEADER + V4_ENTRY), 0, new ArrayList<>(), drop);
        assertNull(drop[0], "syncid 0 accepts every sync id");
    }

    @Property(tries = 200)
    void whatTheWriterWritesTheReaderReads(@ForAll @IntRange(min = 1, max = 60) int count,
                                           @ForAll @IntRange(min = 0, max = 10) int state,
                                           @ForAll @IntRange(min = 1, max = 65535) int port, @ForAll boolean ipv6) {
        SyncMessages.Writer w = new SyncMessages.Writer(1500, 3);
        List<String> written = new ArrayList<>();
        List<ByteBuffer> messages = new ArrayList<>();
        SyncEntry e = new SyncEntry();
        for (int i = 0; i < count; i++) {
            e.protocol = i % 2 == 0 ? 6 : 17;
            e.ipv6 = ipv6;
            e.flags = i % 4;
            e.state = state;
            e.clientHi = ipv6 ? 0x20010db8L << 32 : 0;
            e.clientLo = ipv6 ? i : Addresses.mappedLo(0x0A000000 + i);
            e.clientPort = port;
            e.virtualHi = e.clientHi;
            e.virtualLo = ipv6 ? 0x100 : Addresses.mappedLo(0x0A000064);
            e.virtualPort = 80;
            e.destHi = e.clientHi;
            e.destLo = ipv6 ? 0x200 + i : Addresses.mappedLo(0x0A000100 + i);
            e.destPort = 8080;
            e.fwmark = i;
            e.timeoutSeconds = 900 - i;
            if (!w.fits(ipv6)) messages.add(w.finish());
            w.add(e);
            written.add(e.toString());
        }
        messages.add(w.finish());
        List<String> read = new ArrayList<>();
        for (ByteBuffer m : messages) {
            assertNull(SyncMessages.read(m, 3, new SyncEntry(), x -> read.add(x.toString())));
            assertEquals(m.limit(), m.getShort(2) & 0xFFFF);
        }
        assertEquals(written, read);
    }
}
