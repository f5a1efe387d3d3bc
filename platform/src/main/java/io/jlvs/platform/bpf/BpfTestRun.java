package io.jlvs.platform.bpf;

import io.jlvs.platform.libc.Bpf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * BPF_PROG_TEST_RUN: runs a loaded program once on a frame given in memory, in the kernel, with its real maps, and
 * returns what it returned and the frame as it left it. An XDP program's redirect is reported (XDP_REDIRECT) but
 * not carried out.
 */
public final class BpfTestRun {
    private BpfTestRun() {}

    /** The program's return value and the frame after it. */
    public record Result(int returnValue, byte[] frame) {}

    /** Room for a program that grows the frame at its head (bpf_xdp_adjust_head). */
    private static final int HEADROOM_FOR_GROWTH = 256;

    public static Result run(int programFd, byte[] frame) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(frame.length, 8);
            MemorySegment.copy(frame, 0, in, JAVA_BYTE, 0, frame.length);
            int outSize = frame.length + HEADROOM_FOR_GROWTH;
            MemorySegment out = arena.allocate(outSize, 8);
            MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.TEST_PROG_FD, programFd);
            attr.set(JAVA_INT, BpfAttr.TEST_DATA_SIZE_IN, frame.length);
            attr.set(JAVA_INT, BpfAttr.TEST_DATA_SIZE_OUT, outSize);
            attr.set(JAVA_LONG, BpfAttr.TEST_DATA_IN, in.address());
            attr.set(JAVA_LONG, BpfAttr.TEST_DATA_OUT, out.address());
            attr.set(JAVA_INT, BpfAttr.TEST_REPEAT, 1);
            Bpf.call(BpfAttr.BPF_PROG_TEST_RUN, attr, "BPF_PROG_TEST_RUN");
            int returned = attr.get(JAVA_INT, BpfAttr.TEST_RETVAL);
            int length = attr.get(JAVA_INT, BpfAttr.TEST_DATA_SIZE_OUT);
            return new Result(returned, out.asSlice(0, Math.min(length, outSize)).toArray(JAVA_BYTE));
        }
    }
}
