package io.jlvs.failover.sync;

import io.jlvs.control.model.Addresses;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

/**
 * Sync messages written by hand from ip_vs_sync.c's structs, each with the entries it holds. Hex is big-endian, as
 * on the wire; the comments name each field.
 */
final class SyncFixtures {
    record Fixture(String name, int version, String hex, List<SyncEntry> entries) {
        ByteBuffer bytes() { return SyncFixtures.bytes(hex); }
    }

    static final int SYNC_ID = 7;

    /** struct ip_vs_sync_v4 from type to timeout: IPv4, TCP, size 36, DROUTE, ESTABLISHED, 40000 -> 80 -> 8080, 900 s. */
    static final String V4_FIXED = "00" + "06" + "0024" + "00000003" + "0001" + "9c40" + "0050" + "1f90" + "00000000"
            + "00000384";
    /** caddr 10.0.0.2, vaddr 10.0.0.100, daddr 10.0.0.11. */
    static final String V4_ADDRESSES = "0a000002" + "0a000064" + "0a00000b";
    static final String V4_ENTRY = V4_FIXED + V4_ADDRESSES;

    static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    /** The entry V4_ENTRY describes. */
    static SyncEntry v4() {
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

    static SyncEntry v4WithSeq() {
        SyncEntry e = v4();
        e.flags = SyncEntry.F_MASQ | SyncEntry.F_OUT_SEQ;
        int[] seq = {0x11111111, 0x10, 0x08, 0x22222222, 0x20, 0x18};
        System.arraycopy(seq, 0, e.seq, 0, seq.length);
        return e;
    }

    static SyncEntry v6() {
        SyncEntry e = new SyncEntry();
        e.ipv6 = true;
        e.protocol = 17;
        e.flags = SyncEntry.F_TUNNEL;
        e.clientHi = 0x20010db8_00000000L; e.clientLo = 2; e.clientPort = 53;
        e.virtualHi = 0x20010db8_00000000L; e.virtualLo = 0x64; e.virtualPort = 53;
        e.destHi = 0x20010db8_00000000L; e.destLo = 0x0b; e.destPort = 53;
        e.fwmark = 5;
        e.timeoutSeconds = 300;
        return e;
    }

    /** A SIP persistence template: UDP, no client port, Call-ID as the engine's data, 360 s. */
    static SyncEntry sipTemplate() {
        SyncEntry e = new SyncEntry();
        e.protocol = 17;
        e.flags = SyncEntry.F_TEMPLATE | SyncEntry.F_MASQ;
        e.clientLo = Addresses.mappedLo(0x0A000002);
        e.virtualLo = Addresses.mappedLo(0x0A000064);
        e.virtualPort = 5060;
        e.destLo = Addresses.mappedLo(0x0A00000B);
        e.destPort = 5060;
        e.timeoutSeconds = 360;
        e.peName("sip").peData("a84b4c76e66710".getBytes());
        return e;
    }

    static SyncEntry v0(boolean seq) {
        SyncEntry e = seq ? v4WithSeq() : v4();
        e.timeoutSeconds = 0; // version 0 carries no timeout
        return e;
    }

    static final List<Fixture> ALL = List.of(
            new Fixture("v1 IPv4 entry", 1,
                    // reserved 0, syncid 7, size 44 | nr_conns 1, version 1, spare 0
                    "00" + "07" + "002c" + "01" + "01" + "0000" + V4_ENTRY, List.of(v4())),
            new Fixture("v1 IPv4 entry with SEQ_DATA", 1,
                    // size 70; entry size 36 + 2 + 24 = 62 (0x3e), flags OUT_SEQ (0x200), option 1 of 24 bytes:
                    // in_seq (init_seq, delta, previous_delta), out_seq
                    "0007" + "0046" + "01010000" + "00" + "06" + "003e" + "00000200" + V4_FIXED.substring(16)
                            + V4_ADDRESSES + "01" + "18" + "11111111" + "00000010" + "00000008" + "22222222"
                            + "00000020" + "00000018", List.of(v4WithSeq())),
            new Fixture("v1 IPv6 entry", 1,
                    // size 80 | type 1 (IPv6), UDP, size 72 (0x48), TUNNEL, state 0, ports 53, fwmark 5, 300 s,
                    // 2001:db8::2, 2001:db8::64, 2001:db8::b
                    "0007" + "0050" + "01010000" + "01" + "11" + "0048" + "00000002" + "0000" + "0035" + "0035"
                            + "0035" + "00000005" + "0000012c" + "20010db8000000000000000000000002"
                            + "20010db8000000000000000000000064" + "20010db800000000000000000000000b", List.of(v6())),
            new Fixture("v1 template with PE_DATA and PE_NAME, then an entry after padding", 1,
                    // size 104, 2 entries | UDP, size 36 + 16 + 5 = 57 (0x39), TEMPLATE (0x1000), state 0, cport 0,
                    // vport/dport 5060 (13c4), 360 s (168), PE_DATA (2) of 14 bytes, PE_NAME (3) "sip"; 3 bytes of
                    // padding bring the next entry to offset 8 + 60
                    "0007" + "0068" + "02010000" + "00" + "11" + "0039" + "00001000" + "0000" + "0000" + "13c4"
                            + "13c4" + "00000000" + "00000168" + V4_ADDRESSES + "02" + "0e" + "6138346234633736653636373130"
                            + "03" + "03" + "736970" + "000000" + V4_ENTRY, List.of(sipTemplate(), v4())),
            new Fixture("v0 entry", 0,
                    // nr_conns 1, syncid 7, size 28 | reserved, TCP, cport, vport, dport, caddr, vaddr, daddr,
                    // flags DROUTE (16 bits), state ESTABLISHED
                    "01" + "07" + "001c" + "00" + "06" + "9c40" + "0050" + "1f90" + V4_ADDRESSES + "0003" + "0001",
                    List.of(v0(false))),
            new Fixture("v0 entry with sequence data", 0,
                    // size 52: the entry, flags OUT_SEQ, then struct ip_vs_sync_conn_options (in_seq, out_seq)
                    "01" + "07" + "0034" + "00" + "06" + "9c40" + "0050" + "1f90" + V4_ADDRESSES + "0200" + "0001"
                            + "11111111" + "00000010" + "00000008" + "22222222" + "00000020" + "00000018",
                    List.of(v0(true))));

    private SyncFixtures() {}
}
