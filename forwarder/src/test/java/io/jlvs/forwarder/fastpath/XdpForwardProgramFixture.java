package io.jlvs.forwarder.fastpath;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfTestRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.HexFormat;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the tests of the fast path's XDP program share: the maps and the loaded program (the verifier accepts it, or
 * the test fails with its log), the egress device, the MACs of the frames, one connection slot, and the runs of the
 * program on crafted frames with BPF_PROG_TEST_RUN.
 */
abstract class XdpForwardProgramFixture {
    static final long CLIENT_MAC = 0x02_00_00_00_00_01L, DIRECTOR_IN_MAC = 0x02_00_00_00_00_02L,
            DIRECTOR_OUT_MAC = 0x02_00_00_00_00_03L, SERVER_MAC = 0x02_00_00_00_00_04L;
    static final int EGRESS = 1;   // lo: present in every namespace
    /** The connection slot whose counters the tests' entries use. */
    static final int SLOT = 5;
    static final int TCP = 6, UDP = 17;

    FastPathMaps maps;

    @BeforeEach
    void load() throws Exception {
        maps = FastPathMaps.create(16);
        maps.addEgress(EGRESS);
    }

    @AfterEach
    void close() {
        maps.close();
    }

    BpfTestRun.Result run(byte[] frame) throws Exception {
        return BpfTestRun.run(maps.programFd(), frame);
    }

    /** The program leaves {@code frame} to the kernel (and so to Java) as it came. */
    void assertPassedUnchanged(byte[] frame) throws Exception {
        BpfTestRun.Result out = run(frame);
        assertEquals(BpfAttr.XDP_PASS, out.returnValue(), HexFormat.of().formatHex(frame));
        assertArrayEquals(frame, out.frame());
    }

    /** The program redirects {@code in}, rewritten into {@code expected}. */
    void assertRedirectedAs(byte[] expected, byte[] in) throws Exception {
        BpfTestRun.Result out = run(in);
        assertEquals(BpfAttr.XDP_REDIRECT, out.returnValue());
        assertFrame(expected, out.frame());
    }

    static void assertFrame(byte[] expected, byte[] actual) {
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual));
    }

    /** The slot's counters of {@code direction} hold {@code packets} packets of {@code bytes} bytes in all. */
    void assertCounted(int direction, long packets, long bytes) {
        long[] counted = new long[2];
        assertTrue(maps.readCounters(SLOT, direction, counted));
        assertEquals(packets, counted[0], "packets");
        assertEquals(bytes, counted[1], "bytes: Ethernet header and IP packet");
    }

    /**
     * With an entry of {@code direction} whose longest packet is {@code maxLength}: the frame whose IP packet is
     * that long is forwarded and counted, the one a byte longer goes to the kernel unchanged and uncounted.
     * {@code frameOfIpLength} builds the frame of the entry's flow whose IP packet has the given length.
     */
    void assertLongestForwarded(IntFunction<byte[]> frameOfIpLength, int maxLength, int direction) throws Exception {
        byte[] fits = frameOfIpLength.apply(maxLength), tooLong = frameOfIpLength.apply(maxLength + 1);
        assertEquals(14 + maxLength, fits.length, "the frame is built to the length asked");
        assertEquals(BpfAttr.XDP_REDIRECT, run(fits).returnValue(), "a packet of the longest length");
        assertPassedUnchanged(tooLong);
        assertCounted(direction, 1, fits.length);
    }
}
