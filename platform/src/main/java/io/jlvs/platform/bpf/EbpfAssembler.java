package io.jlvs.platform.bpf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles eBPF instructions (linux/bpf.h, struct bpf_insn): 64 bits each, little-endian on x86-64, laid out as
 * {@code u8 code; u8 dst_reg:4, src_reg:4; s16 off; s32 imm}. The code byte is the instruction class (low 3 bits)
 * with the operation and source or size and mode bits (linux/bpf_common.h). Only what jlvs's programs need is here:
 * 64- and 32-bit arithmetic, byte swaps, loads and stores of every size through a register, the map-descriptor
 * pseudo load, conditional jumps (by offset, or to a named label resolved by {@link #build()}), helper calls and exit.
 */
public final class EbpfAssembler {
    /** An ALU operation (the op bits of BPF_ALU and BPF_ALU64). */
    public enum Alu {
        ADD(0x00), SUB(0x10), MUL(0x20), DIV(0x30), OR(0x40), AND(0x50), LSH(0x60), RSH(0x70), XOR(0xa0), MOV(0xb0), ARSH(0xc0);

        final int code;

        Alu(int code) {
            this.code = code;
        }
    }

    /** A jump condition (the op bits of BPF_JMP); the unsigned comparisons unless named signed. */
    public enum Jump {
        EQ(0x10), GT(0x20), GE(0x30), SET(0x40), NE(0x50), SGT(0x60), SGE(0x70), LT(0xa0), LE(0xb0);

        final int code;

        Jump(int code) {
            this.code = code;
        }
    }

    /** A memory access size. */
    public enum Size {
        BYTE(0x10), HALF(0x08), WORD(0x00), DOUBLE(0x18);

        final int code;

        Size(int code) {
            this.code = code;
        }
    }

    public static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9;
    /** The read-only frame pointer; the program's 512-byte stack lies below it. */
    public static final int R10 = 10;

    // instruction classes (bpf_common.h, bpf.h)
    static final int BPF_LD = 0x00, BPF_LDX = 0x01, BPF_ST = 0x02, BPF_STX = 0x03, BPF_ALU = 0x04, BPF_JMP = 0x05,
            BPF_JMP32 = 0x06, BPF_ALU64 = 0x07;
    // sizes and modes
    static final int BPF_W = 0x00, BPF_H = 0x08, BPF_B = 0x10, BPF_DW = 0x18, BPF_IMM = 0x00, BPF_MEM = 0x60;
    // operations and source
    static final int BPF_ADD = 0x00, BPF_AND = 0x50, BPF_LSH = 0x60, BPF_MOV = 0xb0, BPF_END = 0xd0, BPF_K = 0x00,
            BPF_X = 0x08, BPF_TO_BE = 0x08;
    static final int BPF_JA = 0x00, BPF_JEQ = 0x10, BPF_JGT = 0x20, BPF_JSET = 0x40, BPF_JNE = 0x50, BPF_CALL = 0x80,
            BPF_EXIT = 0x90;
    /** bpf.h: src_reg of a 64-bit immediate load whose imm is a map's file descriptor. */
    static final int BPF_PSEUDO_MAP_FD = 1;

    private long[] instructions = new long[16];
    private int length;
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Fixup> fixups = new ArrayList<>();

    private record Fixup(int at, String label) {}

    /** One encoded instruction: the long whose little-endian bytes are the kernel's struct bpf_insn. */
    static long encode(int code, int dst, int src, int offset, int immediate) {
        if (dst < 0 || dst > R10 || src < 0 || src > R10) {
            throw new IllegalArgumentException("register out of range: dst r" + dst + ", src r" + src);
        }
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit 16 bits");
        }
        return (code & 0xffL) | (long) (src << 4 | dst) << 8 | (offset & 0xffffL) << 16 | (immediate & 0xffffffffL) << 32;
    }

    private EbpfAssembler emit(int code, int dst, int src, int offset, int immediate) {
        if (length == instructions.length) instructions = Arrays.copyOf(instructions, length * 2);
        instructions[length++] = encode(code, dst, src, offset, immediate);
        return this;
    }

    /** dst = src (64 bits). */
    public EbpfAssembler mov64(int dst, int src) {
        return alu64Register(Alu.MOV, dst, src);
    }

    /** dst = immediate, sign-extended to 64 bits. */
    public EbpfAssembler mov64Immediate(int dst, int immediate) {
        return alu64(Alu.MOV, dst, immediate);
    }

    /** dst += immediate (64 bits). */
    public EbpfAssembler add64Immediate(int dst, int immediate) {
        return alu64(Alu.ADD, dst, immediate);
    }

    /** dst = *(u32 *)(src + offset). */
    public EbpfAssembler loadWord(int dst, int src, int offset) {
        return load(Size.WORD, dst, src, offset);
    }

    /** dst = *(u8 *)(src + offset). */
    public EbpfAssembler loadByte(int dst, int src, int offset) {
        return load(Size.BYTE, dst, src, offset);
    }

    /** dst = *(u16 *)(src + offset). */
    public EbpfAssembler loadHalfWord(int dst, int src, int offset) {
        return load(Size.HALF, dst, src, offset);
    }

    /** *(u32 *)(dst + offset) = src. */
    public EbpfAssembler storeWord(int dst, int offset, int src) {
        return store(Size.WORD, dst, offset, src);
    }

    /** *(u32 *)(dst + offset) = immediate. */
    public EbpfAssembler storeWordImmediate(int dst, int offset, int immediate) {
        return storeImmediate(Size.WORD, dst, offset, immediate);
    }

    /** dst = immediate as 32 bits, the upper half zeroed. */
    public EbpfAssembler mov32Immediate(int dst, int immediate) {
        return alu32(Alu.MOV, dst, immediate);
    }

    /** dst += src (64 bits). */
    public EbpfAssembler add64(int dst, int src) {
        return alu64Register(Alu.ADD, dst, src);
    }

    /** dst &= immediate (64 bits). */
    public EbpfAssembler and64Immediate(int dst, int immediate) {
        return alu64(Alu.AND, dst, immediate);
    }

    /** dst <<= immediate (64 bits). */
    public EbpfAssembler leftShift64Immediate(int dst, int immediate) {
        return alu64(Alu.LSH, dst, immediate);
    }

    /** dst = the low {@code bits} (16, 32 or 64) of dst in big-endian order, zero-extended: htons, htonl, htobe64. */
    public EbpfAssembler toBigEndian(int dst, int bits) {
        if (bits != 16 && bits != 32 && bits != 64) throw new IllegalArgumentException("byte swap of " + bits + " bits");
        return emit(BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, bits);
    }

    /** dst = *(u64 *)(src + offset). */
    public EbpfAssembler loadDoubleWord(int dst, int src, int offset) {
        return load(Size.DOUBLE, dst, src, offset);
    }

    /** *(u64 *)(dst + offset) = src. */
    public EbpfAssembler storeDoubleWord(int dst, int offset, int src) {
        return store(Size.DOUBLE, dst, offset, src);
    }

    /**
     * dst = the map behind file descriptor {@code mapFd}: a two-slot 64-bit immediate load (BPF_LD | BPF_DW |
     * BPF_IMM) with src_reg BPF_PSEUDO_MAP_FD, which the verifier replaces by the map's kernel address.
     */
    public EbpfAssembler loadMapFd(int dst, int mapFd) {
        emit(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, mapFd);
        return emit(0, 0, 0, 0, 0);
    }

    /** dst = a 64-bit constant: a two-slot immediate load (BPF_LD | BPF_DW | BPF_IMM). */
    public EbpfAssembler loadImmediate64(int dst, long value) {
        emit(BPF_LD | BPF_DW | BPF_IMM, dst, 0, 0, (int) value);
        return emit(0, 0, 0, 0, (int) (value >>> 32));
    }

    /** if dst == immediate, skip {@code offset} instructions. */
    public EbpfAssembler jumpIfEqual(int dst, int immediate, int offset) {
        return emit(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, offset, immediate);
    }

    /** if dst != immediate, skip {@code offset} instructions. */
    public EbpfAssembler jumpIfNotEqual(int dst, int immediate, int offset) {
        return emit(BPF_JMP | BPF_JNE | BPF_K, dst, 0, offset, immediate);
    }

    /** if dst > src (64 bits, unsigned), skip {@code offset} instructions. */
    public EbpfAssembler jumpIfGreater(int dst, int src, int offset) {
        return emit(BPF_JMP | BPF_JGT | BPF_X, dst, src, offset, 0);
    }

    /** if (u32) dst == immediate, skip {@code offset} instructions. */
    public EbpfAssembler jumpIfEqual32(int dst, int immediate, int offset) {
        return emit(BPF_JMP32 | BPF_JEQ | BPF_K, dst, 0, offset, immediate);
    }

    /** if (u32) dst & immediate, skip {@code offset} instructions. */
    public EbpfAssembler jumpIfAnySet32(int dst, int immediate, int offset) {
        return emit(BPF_JMP32 | BPF_JSET | BPF_K, dst, 0, offset, immediate);
    }

    /** Skip {@code offset} instructions. */
    public EbpfAssembler jump(int offset) {
        return emit(BPF_JMP | BPF_JA, 0, 0, offset, 0);
    }

    /** Calls helper {@code helperId} (bpf.h's enum bpf_func_id): arguments in r1-r5, result in r0, r1-r5 clobbered. */
    public EbpfAssembler call(int helperId) {
        return emit(BPF_JMP | BPF_CALL, 0, 0, 0, helperId);
    }

    /** Returns r0. */
    public EbpfAssembler exit() {
        return emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }

    /** dst = dst op immediate (64 bits). */
    public EbpfAssembler alu64(Alu op, int dst, int immediate) {
        return emit(BPF_ALU64 | op.code | BPF_K, dst, 0, 0, immediate);
    }

    /** dst = dst op src (64 bits). */
    public EbpfAssembler alu64Register(Alu op, int dst, int src) {
        return emit(BPF_ALU64 | op.code | BPF_X, dst, src, 0, 0);
    }

    /** dst = (u32) (dst op immediate): the upper half is zeroed. */
    public EbpfAssembler alu32(Alu op, int dst, int immediate) {
        return emit(BPF_ALU | op.code | BPF_K, dst, 0, 0, immediate);
    }

    /** dst = *(size *)(src + offset), zero-extended. */
    public EbpfAssembler load(Size size, int dst, int src, int offset) {
        return emit(BPF_LDX | BPF_MEM | size.code, dst, src, offset, 0);
    }

    /** *(size *)(dst + offset) = src. */
    public EbpfAssembler store(Size size, int dst, int offset, int src) {
        return emit(BPF_STX | BPF_MEM | size.code, dst, src, offset, 0);
    }

    /** *(size *)(dst + offset) = immediate. */
    public EbpfAssembler storeImmediate(Size size, int dst, int offset, int immediate) {
        return emit(BPF_ST | BPF_MEM | size.code, dst, 0, offset, immediate);
    }

    /** Names the position of the next instruction as a jump target. */
    public EbpfAssembler label(String name) {
        if (labels.putIfAbsent(name, length) != null) throw new IllegalArgumentException("label defined twice: " + name);
        return this;
    }

    /** if (dst cond immediate) goto label. */
    public EbpfAssembler jumpIf(Jump cond, int dst, int immediate, String label) {
        fixups.add(new Fixup(length, label));
        return emit(BPF_JMP | cond.code | BPF_K, dst, 0, 0, immediate);
    }

    /** if (dst cond src) goto label. */
    public EbpfAssembler jumpIfRegister(Jump cond, int dst, int src, String label) {
        fixups.add(new Fixup(length, label));
        return emit(BPF_JMP | cond.code | BPF_X, dst, src, 0, 0);
    }

    /** goto label. */
    public EbpfAssembler jump(String label) {
        fixups.add(new Fixup(length, label));
        return emit(BPF_JMP | BPF_JA, 0, 0, 0, 0);
    }

    /** The number of instruction slots so far (a 64-bit immediate load takes two). */
    public int length() {
        return length;
    }

    public EbpfInstructions build() {
        if (length == 0) throw new IllegalStateException("an eBPF program needs at least one instruction");
        for (Fixup fixup : fixups) {
            Integer target = labels.get(fixup.label());
            if (target == null) throw new IllegalStateException("jump to an undefined label: " + fixup.label());
            int offset = target - fixup.at() - 1;
            if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
                throw new IllegalStateException("jump to " + fixup.label() + " does not fit 16 bits");
            }
            instructions[fixup.at()] = (instructions[fixup.at()] & ~0xffff0000L) | (offset & 0xffffL) << 16;
        }
        return new EbpfInstructions(Arrays.copyOf(instructions, length));
    }
}
