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
 * jlvs's FullNAT option on the sync wire: its exact bytes after the kernel's options (and the splice option), read
 * back to the same entry, skipped by the kernel's rule for optional options, never on version 0, and refused
 * when malformed.
 */
class SyncFullNatOptionTest {
    /** The option of {@link #fullNat()}: type 0x61, 12 bytes: 172.16.0.50:40001, the PROXY header, ISN 1,000,000. */
    static final String OPTION = "610c" + "ac100032" + "9c41" + "01" + "00" + "000f4240";

    static SyncEntry fullNat() {
        SyncEntry e = SyncFixtures.v4();
        e.flags = SyncEntry.F_BYPASS;
        e.fullNat.localAddress = 0xac100032;
        e.fullNat.localPort = 40001;
        e.fullNat.flags = SyncFullNat.F_PROXY_HEADER;
        e.fullNat.clientIsn = 1_000_000;
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
        w.append(fullNat());
        String written = hex(w.finish());
        assertTrue(written.endsWith(V4_ADDRESSES + OPTION), written);
        assertEquals(36 + 2 + 12, SyncLayout.v1EntryBytes(fullNat()));
    }

    @Test
    void aJlvsBackupReadsItBackBesideTheSplice() {
        SyncMessageWriter w = SyncMessageWriter.version1(1500, 7);
        SyncEntry sent = fullNat();
        sent.splice.copyFrom(SyncSpliceOptionTest.spliced().splice);
        w.append(sent);
        w.append(SyncFixtures.v4()); // the next entry carries none: the reused entry forgets it
        List<String> read = new ArrayList<>();
        List<Boolean> present = new ArrayList<>();
        assertNull(new SyncMessageReader(7).read(w.finish(), e -> {
            read.add(e.toString());
            present.add(e.fullNat.present());
        }));
        assertEquals(List.of(sent.toString(), SyncFixtures.v4().toString()), read);
        assertEquals(List.of(true, false), present);
        assertTrue(read.getFirst().contains("fullnat ac100032:40001 flags 1 isn 1000000"), read.getFirst());
    }

    @Test
    void aKernelBackupSkipsIt() {
        int kind = SyncLayout.OPT_JLVS_FULLNAT & ~SyncLayout.OPT_F_PARAM;
        assertTrue((SyncLayout.OPT_JLVS_FULLNAT & SyncLayout.OPT_F_PARAM) != 0, "optional");
        assertFalse(kind == SyncLayout.OPT_SEQ_DATA || kind == SyncLayout.OPT_PE_DATA || kind == SyncLayout.OPT_PE_NAME,
                "not one of the kernel's");
    }

    @Test
    void version0CannotCarryAFullNatConnection() {
        SyncMessageWriter w = SyncMessageWriter.version0(1500, 7);
        assertEquals(SyncMessageWriter.Append.NOT_REPRESENTABLE, w.append(fullNat()));
        SyncEntry plain = fullNat();
        plain.fullNat.clear();
        assertEquals(SyncMessageWriter.Append.ADDED, w.append(plain), "while the entry itself fits");
    }

    @Test
    void aMalformedFullNatOptionDropsTheMessage() {
        String entry = "0006" + "0032" + V4_FIXED.substring(8) + V4_ADDRESSES;
        assertEquals(SyncDrop.OPTION_LENGTH, read(message("0006" + "0031" + V4_FIXED.substring(8) + V4_ADDRESSES
                + "610b" + OPTION.substring(4, OPTION.length() - 2))));
        assertEquals(SyncDrop.OPTION_VALUE, read(message(entry + "610c" + "00000000" + OPTION.substring(12))),
                "no local address");
        assertEquals(SyncDrop.OPTION_VALUE, read(message(entry + OPTION.substring(0, 16) + "02" + OPTION.substring(18))),
                "an unknown flag");
        assertEquals(SyncDrop.OPTION_VALUE, read(message(entry + OPTION.substring(0, 18) + "01" + OPTION.substring(20))),
                "the reserved byte set");
        assertEquals(SyncDrop.OPTION_REPEATED, read(message("0006" + "0040" + V4_FIXED.substring(8) + V4_ADDRESSES
                + OPTION + OPTION)));
        assertNull(read(message(entry + OPTION)), "while the option itself is good");
    }

    /** The IPv6 option of {@link #fullNat6()}: type 0x61, 24 bytes: [fd00:2::50]:40001, no flags, ISN 0. */
    static final String OPTION6 = "6118" + "fd000002000000000000000000000050" + "9c41" + "00" + "00" + "00000000";

    static SyncEntry fullNat6() {
        SyncEntry e = SyncFixtures.v6();
        e.flags = SyncEntry.F_BYPASS;
        e.fwmark = 0;
        e.fullNat.localHi = 0xfd000002_00000000L;
        e.fullNat.localLo = 0x50;
        e.fullNat.localPort = 40001;
        return e;
    }

    @Test
    void anIpv6EntryCarriesItsIpv6LocalAddressInA24ByteOption() {
        SyncMessageWriter w = SyncMessageWriter.version1(1500, 7);
        SyncEntry sent = fullNat6();
        w.append(sent);
        w.append(fullNat()); // an IPv4 one after it keeps the 12-byte option
        ByteBuffer m = w.finish();
        String written = hex(m);
        assertTrue(written.contains(OPTION6 + "00"), written);
        assertTrue(written.endsWith(V4_ADDRESSES + OPTION), written);
        assertEquals(SyncLayout.V6_ENTRY_BYTES + 2 + 24, SyncLayout.v1EntryBytes(sent));
        List<SyncEntry> read = new ArrayList<>();
        assertNull(new SyncMessageReader(7).read(m, e -> read.add(new SyncEntry().copyFrom(e))));
        assertEquals(2, read.size());
        SyncFullNat back = read.getFirst().fullNat;
        assertTrue(back.present());
        assertEquals(0, back.localAddress);
        assertEquals(0xfd000002_00000000L, back.localHi);
        assertEquals(0x50, back.localLo);
        assertEquals(40001, back.localPort);
        assertEquals(0xac100032, read.get(1).fullNat.localAddress, "the IPv4 option read as before");
        assertEquals(0, read.get(1).fullNat.localHi | read.get(1).fullNat.localLo);
    }

    @Test
    void anOptionOfTheOtherFamilysLengthOrATruncatedOneDropsTheMessage() {
        SyncEntry e = fullNat6();
        e.fullNat.clear();
        SyncMessageWriter w = SyncMessageWriter.version1(1500, 7);
        w.append(e);
        String plain = hex(w.finish());
        String entry6 = plain.substring(16); // the entry after the 8-byte header
        String size6 = String.format("%04x", entry6.length() / 2 + 26);
        String fixed = entry6.substring(0, 4) + size6 + entry6.substring(8);
        assertNull(read(message(fixed + OPTION6)), "the good one");
        String asV4 = entry6.substring(0, 4) + String.format("%04x", entry6.length() / 2 + 14) + entry6.substring(8);
        assertEquals(SyncDrop.OPTION_LENGTH, read(message(asV4 + OPTION)), "an IPv4 option on an IPv6 entry");
        String v4Entry = "0006" + "0032" + V4_FIXED.substring(8) + V4_ADDRESSES;
        String v4As6 = "0006" + "003e" + V4_FIXED.substring(8) + V4_ADDRESSES;
        assertEquals(SyncDrop.OPTION_LENGTH, read(message(v4As6 + OPTION6)), "an IPv6 option on an IPv4 entry");
        assertEquals(SyncDrop.OPTION_LENGTH, read(message(fixed.substring(0, 4) + String.format("%04x", entry6.length() / 2 + 20)
                + fixed.substring(8) + OPTION6.substring(0, 40))), "truncated");
        assertEquals(SyncDrop.OPTION_VALUE, read(message(fixed + "6118" + "0".repeat(32) + OPTION6.substring(36))),
                "no local address");
        assertNull(read(message(v4Entry + OPTION)), "while an IPv4 entry's option is good");
    }

    private static String message(String entry) {
        return "0007" + String.format("%04x", 8 + entry.length() / 2) + "01010000" + entry;
    }

    private static SyncDrop read(String hex) {
        return new SyncMessageReader(7).read(bytes(hex), e -> {});
    }
}
