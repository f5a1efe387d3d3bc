package io.jlvs.platform.xdp;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.EbpfAssembler;
import io.jlvs.platform.bpf.EbpfInstructions;

import static io.jlvs.platform.bpf.EbpfAssembler.*;

/**
 * The XDP program that hands the director's traffic to its AF_XDP sockets: the classic BPF capture filter (the one
 * AF_PACKET sockets get, see the packetio BpfProgram) translated to eBPF, an accepted frame redirected to the
 * socket of its receive queue in the XSKMAP, everything else passed to the kernel (XDP_PASS).
 *
 * <p>Only IPv4 frames other than ICMP are ever redirected. ARP, IPv6 and ICMPv4 are passed even when the filter
 * accepts them, as the kernel needs them too (its own neighbours, ping and errors for its own connections): the
 * port sees those through a packet socket with the same filter, as before. A frame too short for a load the
 * filter makes is passed, as classic BPF rejects it; so is a frame whose queue has no socket in the map.
 *
 * <p>Registers: r6 the xdp_md context, r9 the frame start, r2 its end, r7 the classic accumulator A, r8 the index
 * register X; the classic scratch memory M[0..15] is the stack's top 64 bytes. Every classic instruction becomes a
 * fixed number of eBPF instructions, so classic jump targets map to eBPF offsets in one pass.
 */
public final class XskRedirectProgram {
    private XskRedirectProgram() {}

    /** The name every jlvs XSK redirect program is loaded with. */
    public static final String NAME = XdpLink.JLVS_PREFIX + "xsk";

    // classic BPF opcodes (linux/filter.h) the director filter uses
    private static final int LD_W_ABS = 0x20, LD_H_ABS = 0x28, LD_B_ABS = 0x30, LD_H_IND = 0x48, LD_B_IND = 0x50,
            LD_IMM = 0x00, LD_MEM = 0x60, LDX_B_MSH = 0xb1, ST = 0x02, JEQ_K = 0x15, JSET_K = 0x45, RET_K = 0x06;
    private static final int SCRATCH_SLOTS = 16;
    private static final int ETH_TYPE = 12, IPV4_PROTOCOL = 23, ICMP = 1;
    /** ETH_P_IP as read by a little-endian 16-bit load of its big-endian bytes. */
    private static final int ETH_P_IP_AS_LOADED = 0x0008;
    private static final int A = R7, X = R8, DATA = R9, DATA_END = R2, CONTEXT = R6;

    /**
     * The program for the classic filter {@code classic} (struct sock_filter entries: code in bits 0-15, jt in
     * 16-23, jf in 24-31, k in 32-63), redirecting to {@code xskMapFd}.
     *
     * @throws IllegalArgumentException for a classic instruction outside what the director filter uses
     */
    public static EbpfInstructions of(long[] classic, int xskMapFd) {
        int n = classic.length;
        int prologue = 28;
        int[] start = new int[n + 1];
        start[0] = prologue;
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + length(code(classic[i]));
        int pass = start[n], redirect = pass + 2;

        EbpfAssembler e = new EbpfAssembler();
        e.mov64(CONTEXT, R1)
                .loadWord(DATA, CONTEXT, BpfAttr.XDP_MD_DATA)
                .loadWord(DATA_END, CONTEXT, BpfAttr.XDP_MD_DATA_END)
                .mov64Immediate(A, 0)
                .mov64Immediate(X, 0);
        for (int k = 0; k < SCRATCH_SLOTS; k++) e.storeWordImmediate(R10, scratch(k), 0);
        // IPv4 other than ICMP, or pass
        e.mov64(R3, DATA).add64Immediate(R3, IPV4_PROTOCOL + 1).jumpIfGreater(R3, DATA_END, pass - (e.length() + 1));
        e.loadHalfWord(R4, DATA, ETH_TYPE).jumpIfNotEqual(R4, ETH_P_IP_AS_LOADED, pass - (e.length() + 1));
        e.loadByte(R4, DATA, IPV4_PROTOCOL).jumpIfEqual(R4, ICMP, pass - (e.length() + 1));
        if (e.length() != prologue) throw new IllegalStateException("prologue of " + e.length() + " instructions");

        for (int i = 0; i < n; i++) {
            int code = code(classic[i]), jt = (int) (classic[i] >>> 16) & 0xFF, jf = (int) (classic[i] >>> 24) & 0xFF;
            int k = (int) (classic[i] >>> 32);
            switch (code) {
                case LD_W_ABS, LD_H_ABS, LD_B_ABS -> {
                    int size = size(code);
                    e.mov64(R3, DATA).add64Immediate(R3, k + size).jumpIfGreater(R3, DATA_END, pass - (e.length() + 1));
                    load(e, A, DATA, k, size);
                }
                case LD_H_IND, LD_B_IND -> {
                    int size = size(code);
                    e.mov64(R3, DATA).add64(R3, X).mov64(R4, R3).add64Immediate(R4, k + size)
                            .jumpIfGreater(R4, DATA_END, pass - (e.length() + 1));
                    load(e, A, R3, k, size);
                }
                case LDX_B_MSH -> {
                    e.mov64(R3, DATA).add64Immediate(R3, k + 1).jumpIfGreater(R3, DATA_END, pass - (e.length() + 1));
                    e.loadByte(X, DATA, k).and64Immediate(X, 0xF).leftShift64Immediate(X, 2);
                }
                case LD_IMM -> e.mov32Immediate(A, k);
                case ST -> e.storeWord(R10, scratch(k), A);
                case LD_MEM -> e.loadWord(A, R10, scratch(k));
                case JEQ_K, JSET_K -> {
                    int toTrue = start[i + 1 + jt] - (e.length() + 1);
                    if (code == JEQ_K) e.jumpIfEqual32(A, k, toTrue);
                    else e.jumpIfAnySet32(A, k, toTrue);
                    e.jump(start[i + 1 + jf] - (e.length() + 1));
                }
                case RET_K -> e.jump((k == 0 ? pass : redirect) - (e.length() + 1));
                default -> throw new IllegalArgumentException("classic BPF opcode 0x" + Integer.toHexString(code)
                        + " has no XDP translation");
            }
            if (e.length() != start[i + 1]) throw new IllegalStateException("classic instruction " + i + " misassembled");
        }
        // a filter that ends without a return rejects
        e.mov64Immediate(R0, BpfAttr.XDP_PASS).exit();
        e.loadWord(R2, CONTEXT, BpfAttr.XDP_MD_RX_QUEUE_INDEX)
                .loadMapFd(R1, xskMapFd)
                .mov64Immediate(R3, BpfAttr.XDP_PASS)   // the action when the queue has no socket
                .call(BpfAttr.BPF_FUNC_REDIRECT_MAP)
                .exit();
        return e.build();
    }

    private static int code(long instruction) {
        return (int) instruction & 0xFFFF;
    }

    private static int size(int code) {
        return switch (code & 0x18) {
            case 0x00 -> 4;
            case 0x08 -> 2;
            default -> 1;
        };
    }

    private static void load(EbpfAssembler e, int dst, int base, int offset, int size) {
        switch (size) {
            case 4 -> e.loadWord(dst, base, offset).toBigEndian(dst, 32);
            case 2 -> e.loadHalfWord(dst, base, offset).toBigEndian(dst, 16);
            default -> e.loadByte(dst, base, offset);
        }
    }

    /** eBPF instructions per classic instruction. */
    private static int length(int code) {
        return switch (code) {
            case LD_W_ABS, LD_H_ABS -> 5;
            case LD_B_ABS -> 4;
            case LD_H_IND -> 7;
            case LD_B_IND -> 6;
            case LDX_B_MSH -> 6;
            case LD_IMM, ST, LD_MEM, RET_K -> 1;
            case JEQ_K, JSET_K -> 2;
            default -> throw new IllegalArgumentException("classic BPF opcode 0x" + Integer.toHexString(code)
                    + " has no XDP translation");
        };
    }

    /** The stack offset of classic scratch word {@code k}. */
    private static int scratch(int k) {
        if (k < 0 || k >= SCRATCH_SLOTS) throw new IllegalArgumentException("classic scratch slot " + k);
        return -4 * (k + 1);
    }
}
