package io.jlvs.platform.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** An assembled eBPF program: its struct bpf_insn array, immutable. */
public final class EbpfInstructions {
    /** One struct bpf_insn. */
    public static final int INSTRUCTION_SIZE = 8;
    private static final ValueLayout.OfLong LITTLE_ENDIAN_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long[] instructions;

    EbpfInstructions(long[] instructions) {
        this.instructions = instructions;
    }

    /** The number of instruction slots (the kernel's insn_cnt). */
    public int count() {
        return instructions.length;
    }

    /** The program as the kernel reads it: count() * 8 bytes. */
    public byte[] bytes() {
        byte[] bytes = new byte[instructions.length * INSTRUCTION_SIZE];
        MemorySegment view = MemorySegment.ofArray(bytes);
        for (int i = 0; i < instructions.length; i++) view.set(LITTLE_ENDIAN_LONG, (long) i * INSTRUCTION_SIZE, instructions[i]);
        return bytes;
    }

    /** A native copy for BPF_PROG_LOAD, owned by {@code arena}. */
    MemorySegment copyTo(Arena arena) {
        MemorySegment segment = arena.allocate((long) instructions.length * INSTRUCTION_SIZE, 8);
        MemorySegment.copy(MemorySegment.ofArray(bytes()), 0, segment, 0, segment.byteSize());
        return segment;
    }
}
