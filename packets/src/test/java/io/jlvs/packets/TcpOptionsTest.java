package io.jlvs.packets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpOptionsTest {
    final TcpOptions o = new TcpOptions();

    /** A TCP header of 20 bytes (zeros) followed by {@code options}. */
    static MemorySegment header(String optionsHex) {
        byte[] options = HexFormat.of().parseHex(optionsHex);
        MemorySegment seg = MemorySegment.ofArray(new byte[Tcp.MIN_HEADER_LENGTH + options.length]);
        MemorySegment.copy(MemorySegment.ofArray(options), 0, seg, Tcp.MIN_HEADER_LENGTH, options.length);
        return seg;
    }

    @Test
    void linuxsSynOptionsAreRead() {
        // MSS 1460, SACK permitted, timestamps 0x01020304/0, NOP, window scale 7: as a Linux client sends them.
        MemorySegment seg = header("020405b4" + "0402" + "080a0102030400000000" + "01" + "030307");
        assertTrue(o.parse(seg, 0, (int) seg.byteSize()));
        assertEquals(1460, o.mss);
        assertTrue(o.sackPermitted);
        assertEquals(0x01020304, o.tsVal);
        assertEquals(0, o.tsEcr);
        assertEquals(Tcp.MIN_HEADER_LENGTH + 8, o.timestampAt);
        assertEquals(7, o.windowScale);
        assertEquals(-1, o.sackAt);
    }

    @Test
    void sackBlocksAndUnknownOptionsAndEndOfList() {
        // NOP NOP, SACK with two blocks, an unknown kind 30 of length 4, end of list, padding.
        MemorySegment seg = header("0101" + "0512" + "0000000100000002" + "0000000300000004" + "1e040000" + "00000000");
        assertTrue(o.parse(seg, 0, (int) seg.byteSize()));
        assertEquals(2, o.sackBlocks);
        assertEquals(Tcp.MIN_HEADER_LENGTH + 4, o.sackAt);
        assertEquals(-1, o.mss);
        assertEquals(-1, o.windowScale);
        assertEquals(-1, o.timestampAt);
    }

    @Test
    void malformedOptionsAreRefused() {
        assertFalse(o.parse(header("0200"), 0, 22), "length 0");
        assertFalse(o.parse(header("020405"), 0, 23), "past the header");
        assertFalse(o.parse(header("02"), 0, 21), "no length byte");
        assertFalse(o.parse(header("02030500"), 0, 24), "an MSS of length 3");
        assertFalse(o.parse(header("050e000000000000000000000000"), 0, 34), "a SACK of a block and a half");
        assertTrue(o.parse(header("03030f00"), 0, 24));
        assertEquals(14, o.windowScale, "a scale above 14 counts as 14 (RFC 7323)");
    }

    @Property(tries = 500)
    void whatWriteSynWritesParseReadsBack(@ForAll @IntRange(min = -1, max = 65535) int mss, @ForAll boolean sack,
                                          @ForAll boolean timestamps, @ForAll int tsVal, @ForAll int tsEcr,
                                          @ForAll @IntRange(min = -1, max = 14) int scale) {
        MemorySegment seg = MemorySegment.ofArray(new byte[60]);
        int n = TcpOptions.writeSyn(seg, Tcp.MIN_HEADER_LENGTH, mss, sack, timestamps, tsVal, tsEcr, scale);
        assertEquals(0, n % 4);
        assertTrue(n <= 20);
        assertTrue(o.parse(seg, 0, Tcp.MIN_HEADER_LENGTH + n));
        assertEquals(mss, o.mss);
        assertEquals(sack, o.sackPermitted);
        assertEquals(timestamps, o.timestampAt >= 0);
        if (timestamps) {
            assertEquals(tsVal, o.tsVal);
            assertEquals(tsEcr, o.tsEcr);
        }
        assertEquals(scale, o.windowScale);
    }
}
