package io.jlvs.forwarder.fastpath;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.EbpfAssembler;
import io.jlvs.platform.bpf.EbpfAssembler.Alu;
import io.jlvs.platform.bpf.EbpfAssembler.Jump;
import io.jlvs.platform.bpf.EbpfAssembler.Size;

import static io.jlvs.platform.bpf.EbpfAssembler.R0;
import static io.jlvs.platform.bpf.EbpfAssembler.R1;
import static io.jlvs.platform.bpf.EbpfAssembler.R10;
import static io.jlvs.platform.bpf.EbpfAssembler.R2;
import static io.jlvs.platform.bpf.EbpfAssembler.R3;
import static io.jlvs.platform.bpf.EbpfAssembler.R4;
import static io.jlvs.platform.bpf.EbpfAssembler.R5;
import static io.jlvs.platform.bpf.EbpfAssembler.R6;
import static io.jlvs.platform.bpf.EbpfAssembler.R7;
import static io.jlvs.platform.bpf.EbpfAssembler.R8;
import static io.jlvs.platform.bpf.EbpfAssembler.R9;

/**
 * The fast path's answer to a SYN for a --synproxy service, the same SYN-ACK the Java SYN proxy sends (SynProxy,
 * SynCookies, TcpSegmentWriter): the cookie is SipHash-2-4 under the secrets of {@link SynProxyMaps} (unrolled,
 * 64-bit; rotations as two shifts and an or), the minute from there too, the MSS index from the SYN's MSS option;
 * with the client's timestamps, the SYN-ACK's TS value is the epoch clock in milliseconds (the kernel's monotonic
 * clock plus the offset Java publishes) with window scale and SACK permitted in its low 6 bits. The frame is
 * rebuilt in place (MACs, addresses and ports swapped; MSS, SACK permitted or NOPs, timestamps, NOP and window scale
 * 7 as the client offered them; window 65535, TTL 64, DF, id 0; both checksums by bpf_csum_diff), resized by
 * bpf_xdp_adjust_tail, counted and sent back with XDP_TX. Anything the Java path would judge differently (malformed
 * options, a service not in the map, no MSS for the interface, more options than the loop reads) goes on to it
 * untouched.
 *
 * <p>Entered at label {@code syn} from {@link XdpForwardProgram} with r7 data, r8 data_end, the context at -32,
 * an untagged IPv4 TCP segment without IP options and not a fragment, its first 20 TCP bytes in the frame. Uses the
 * stack below -32 and the 16 bytes above it; r9 holds the scratch memory while the options are parsed, then the
 * configuration.
 */
final class XdpSynProxyProgram {
    private XdpSynProxyProgram() {}

    private static final int IP = 14, L4 = 34, OPTIONS = L4 + 20;
    private static final int IP_TOS = IP + 1, IP_TOTAL_LENGTH = IP + 2, IP_ID = IP + 4, IP_FRAGMENT = IP + 6,
            IP_TTL = IP + 8, IP_PROTOCOL = IP + 9, IP_CHECKSUM = IP + 10, IP_SADDR = IP + 12, IP_DADDR = IP + 16;
    private static final int TCP_DPORT = L4 + 2, TCP_SEQ = L4 + 4, TCP_ACK = L4 + 8, TCP_DATA_OFFSET = L4 + 12,
            TCP_FLAGS = L4 + 13, TCP_WINDOW = L4 + 14, TCP_CHECKSUM = L4 + 16, TCP_URGENT = L4 + 18;
    private static final int TCP = 6, SYN_ACK = 0x12, TTL = 64, DF_LOADED = 0x0040, WINDOW = 0xffff;
    /** The window scale the director offers (SynProxy.DIRECTOR_WINDOW_SCALE). */
    private static final int DIRECTOR_WINDOW_SCALE = 7;
    /** The options the loop reads at most; a SYN with more goes to Java. */
    private static final int MAX_OPTIONS = 16;
    /** No window scale: SynCookies' TS_WSCALE_MASK, above any parsed value (at most 14). */
    private static final int NO_WINDOW_SCALE = 15;
    /** Linux's smallest MSS of the cookie table, taken when the SYN has none. */
    private static final int DEFAULT_MSS = 536;

    // stack
    private static final int SERVICE_KEY = -8, ZERO_KEY = -12, IFINDEX_KEY = -16, CONTEXT = -32;
    private static final int CLIENT_MSS = -40, CLIENT_SCALE = -48, CLIENT_SACK = -56, CLIENT_TS = -64,
            CLIENT_TS_VAL = -72, DIRECTOR_MSS = -80, M0 = -88, M1 = -96, H0 = -104, COOKIE = -112, TS_VAL = -120,
            MSS_INDEX = -128, CONFIG = -136;

    private static final long SIP_C0 = 0x736f6d6570736575L, SIP_C1 = 0x646f72616e646f6dL,
            SIP_C2 = 0x6c7967656e657261L, SIP_C3 = 0x7465646279746573L;

    /** Emits the SYN answer at label {@code syn}; jumps to {@code pass} (untouched) and {@code drop}. */
    static void emit(EbpfAssembler a, SynProxyMaps maps) {
        // a --synproxy service's VIP and port
        a.label("syn")
                .load(Size.WORD, R1, R7, IP_DADDR).store(Size.WORD, R10, SERVICE_KEY, R1)
                .load(Size.HALF, R1, R7, TCP_DPORT).store(Size.HALF, R10, SERVICE_KEY + 4, R1)
                .storeImmediate(Size.HALF, R10, SERVICE_KEY + 6, TCP)
                .loadMapFd(R1, maps.servicesFd()).mov64(R2, R10).add64Immediate(R2, SERVICE_KEY)
                .call(BpfAttr.BPF_FUNC_MAP_LOOKUP_ELEM)
                .jumpIf(Jump.EQ, R0, 0, "pass")
                .load(Size.DOUBLE, R1, R10, CONTEXT).load(Size.WORD, R1, R1, BpfAttr.XDP_MD_INGRESS_IFINDEX)
                .store(Size.WORD, R10, IFINDEX_KEY, R1)
                .loadMapFd(R1, maps.mssFd()).mov64(R2, R10).add64Immediate(R2, IFINDEX_KEY)
                .call(BpfAttr.BPF_FUNC_MAP_LOOKUP_ELEM)
                .jumpIf(Jump.EQ, R0, 0, "pass")
                .load(Size.WORD, R1, R0, 0).store(Size.DOUBLE, R10, DIRECTOR_MSS, R1)
                .storeImmediate(Size.WORD, R10, ZERO_KEY, 0)
                .loadMapFd(R1, maps.configFd()).mov64(R2, R10).add64Immediate(R2, ZERO_KEY)
                .call(BpfAttr.BPF_FUNC_MAP_LOOKUP_ELEM)
                .jumpIf(Jump.EQ, R0, 0, "pass")
                .store(Size.DOUBLE, R10, CONFIG, R0)
                .loadMapFd(R1, maps.scratchFd()).mov64(R2, R10).add64Immediate(R2, ZERO_KEY)
                .call(BpfAttr.BPF_FUNC_MAP_LOOKUP_ELEM)
                .jumpIf(Jump.EQ, R0, 0, "pass")
                .mov64(R9, R0);
        parseOptions(a);
        // the options out of the scratch memory, whose values the verifier does not know: one path on from here
        a.load(Size.DOUBLE, R1, R9, SynProxyMaps.SCRATCH_MSS).store(Size.DOUBLE, R10, CLIENT_MSS, R1)
                .load(Size.DOUBLE, R1, R9, SynProxyMaps.SCRATCH_SCALE).store(Size.DOUBLE, R10, CLIENT_SCALE, R1)
                .load(Size.DOUBLE, R1, R9, SynProxyMaps.SCRATCH_SACK).store(Size.DOUBLE, R10, CLIENT_SACK, R1)
                .load(Size.DOUBLE, R1, R9, SynProxyMaps.SCRATCH_TS).store(Size.DOUBLE, R10, CLIENT_TS, R1)
                .load(Size.DOUBLE, R1, R9, SynProxyMaps.SCRATCH_TS_VAL).store(Size.DOUBLE, R10, CLIENT_TS_VAL, R1)
                .load(Size.DOUBLE, R9, R10, CONFIG);
        mssIndex(a);
        cookie(a);
        timestamp(a);
        // the frame's new length: 58 bytes, 70 with timestamps, 74 with window scale too
        a.mov64Immediate(R2, frameLength(false, false))
                .load(Size.DOUBLE, R1, R10, CLIENT_TS).jumpIf(Jump.EQ, R1, 0, "sp_resize")
                .mov64Immediate(R2, frameLength(true, false))
                .load(Size.DOUBLE, R1, R10, CLIENT_SCALE).jumpIf(Jump.EQ, R1, NO_WINDOW_SCALE, "sp_resize")
                .mov64Immediate(R2, frameLength(true, true))
                .label("sp_resize")
                .mov64(R1, R8).alu64Register(Alu.SUB, R1, R7).alu64Register(Alu.SUB, R2, R1)
                .load(Size.DOUBLE, R1, R10, CONTEXT)
                .call(BpfAttr.BPF_FUNC_XDP_ADJUST_TAIL)
                .jumpIf(Jump.NE, R0, 0, "pass")     // the frame as it was: Java answers it
                .load(Size.DOUBLE, R1, R10, CONTEXT)
                .load(Size.WORD, R7, R1, BpfAttr.XDP_MD_DATA)
                .load(Size.WORD, R8, R1, BpfAttr.XDP_MD_DATA_END)
                .load(Size.DOUBLE, R1, R10, CLIENT_TS).jumpIf(Jump.EQ, R1, 0, "sp_plain")
                .load(Size.DOUBLE, R1, R10, CLIENT_SCALE).jumpIf(Jump.EQ, R1, NO_WINDOW_SCALE, "sp_timestamps");
        shape(a, "sp_scaled", true, true);
        shape(a, "sp_timestamps", true, false);
        shape(a, "sp_plain", false, false);
        // counted, and back out of the interface it came in on
        a.label("sp_send")
                .storeImmediate(Size.WORD, R10, ZERO_KEY, 0)
                .loadMapFd(R1, maps.synAcksFd()).mov64(R2, R10).add64Immediate(R2, ZERO_KEY)
                .call(BpfAttr.BPF_FUNC_MAP_LOOKUP_ELEM)
                .jumpIf(Jump.EQ, R0, 0, "sp_tx")
                .load(Size.DOUBLE, R1, R0, 0).add64Immediate(R1, 1).store(Size.DOUBLE, R0, 0, R1)
                .label("sp_tx")
                .mov64Immediate(R0, BpfAttr.XDP_TX).exit();
    }

    private static int tcpLength(boolean timestamps, boolean scale) {
        return 20 + 4 + (timestamps ? 12 : 0) + (scale ? 4 : 0);
    }

    private static int frameLength(boolean timestamps, boolean scale) {
        return L4 + tcpLength(timestamps, scale);
    }

    /**
     * The SYN's options as TcpOptions.parse reads them, into the scratch memory (r9): MSS (536 when absent), window scale (at
     * most 14; 15 when absent), SACK permitted, timestamps and the client's TS value. Malformed options, or more
     * than {@link #MAX_OPTIONS}, go to Java. r6 the option's offset in the frame, r5 the options' end, r4 the count.
     */
    private static void parseOptions(EbpfAssembler a) {
        a.load(Size.BYTE, R1, R7, TCP_DATA_OFFSET).alu64(Alu.RSH, R1, 4).alu64(Alu.LSH, R1, 2)
                .jumpIf(Jump.LT, R1, 20, "pass")
                .mov64(R5, R1).add64Immediate(R5, L4)
                .mov64(R2, R7).alu64Register(Alu.ADD, R2, R5).jumpIfRegister(Jump.GT, R2, R8, "pass")
                .mov64Immediate(R1, DEFAULT_MSS).store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_MSS, R1)
                .mov64Immediate(R1, NO_WINDOW_SCALE).store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_SCALE, R1)
                .mov64Immediate(R1, 0).store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_SACK, R1)
                .store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_TS, R1).store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_TS_VAL, R1)
                .mov64Immediate(R6, OPTIONS).mov64Immediate(R4, 0)
                .label("sp_option")
                .jumpIfRegister(Jump.GE, R6, R5, "sp_parsed")
                .jumpIf(Jump.GE, R4, MAX_OPTIONS, "pass")
                .add64Immediate(R4, 1)
                .alu64(Alu.AND, R6, 127)
                .mov64(R1, R7).alu64Register(Alu.ADD, R1, R6)
                .mov64(R2, R1).add64Immediate(R2, 1).jumpIfRegister(Jump.GT, R2, R8, "pass")
                .load(Size.BYTE, R2, R1, 0)
                .jumpIf(Jump.EQ, R2, 0, "sp_parsed")                      // end of options
                .jumpIf(Jump.NE, R2, 1, "sp_length")
                .add64Immediate(R6, 1).jump("sp_option")                 // NOP
                .label("sp_length")
                .mov64(R3, R6).add64Immediate(R3, 1).jumpIfRegister(Jump.GE, R3, R5, "pass")
                .mov64(R3, R1).add64Immediate(R3, 2).jumpIfRegister(Jump.GT, R3, R8, "pass")
                .load(Size.BYTE, R3, R1, 1)
                .jumpIf(Jump.LT, R3, 2, "pass")
                .mov64(R0, R6).alu64Register(Alu.ADD, R0, R3).jumpIfRegister(Jump.GT, R0, R5, "pass")
                .jumpIf(Jump.EQ, R2, 2, "sp_mss")
                .jumpIf(Jump.EQ, R2, 3, "sp_scale")
                .jumpIf(Jump.EQ, R2, 4, "sp_sack_permitted")
                .jumpIf(Jump.EQ, R2, 5, "sp_sack")
                .jumpIf(Jump.EQ, R2, 8, "sp_ts")
                .jump("sp_next")
                .label("sp_mss")
                .jumpIf(Jump.NE, R3, 4, "pass")
                .mov64(R2, R1).add64Immediate(R2, 4).jumpIfRegister(Jump.GT, R2, R8, "pass")
                .load(Size.HALF, R2, R1, 2).toBigEndian(R2, 16).store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_MSS, R2)
                .jump("sp_next")
                .label("sp_scale")
                .jumpIf(Jump.NE, R3, 3, "pass")
                .mov64(R2, R1).add64Immediate(R2, 3).jumpIfRegister(Jump.GT, R2, R8, "pass")
                .load(Size.BYTE, R2, R1, 2).jumpIf(Jump.LE, R2, 14, "sp_scale_store").mov64Immediate(R2, 14)
                .label("sp_scale_store").store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_SCALE, R2)
                .jump("sp_next")
                .label("sp_sack_permitted")
                .jumpIf(Jump.NE, R3, 2, "pass")
                .mov64Immediate(R2, 1).store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_SACK, R2)
                .jump("sp_next")
                .label("sp_sack")
                .mov64(R2, R3).add64Immediate(R2, -2).alu64(Alu.AND, R2, 7).jumpIf(Jump.NE, R2, 0, "pass")
                .jump("sp_next")
                .label("sp_ts")
                .jumpIf(Jump.NE, R3, 10, "pass")
                .mov64(R2, R1).add64Immediate(R2, 10).jumpIfRegister(Jump.GT, R2, R8, "pass")
                .load(Size.WORD, R2, R1, 2).store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_TS_VAL, R2)
                .mov64Immediate(R2, 1).store(Size.DOUBLE, R9, SynProxyMaps.SCRATCH_TS, R2)
                .label("sp_next")
                .mov64(R6, R0).jump("sp_option")
                .label("sp_parsed");
    }

    /** SynCookies.mssIndex of the client's MSS: the largest of 536, 1300, 1440, 1460 not above it (0 if none). */
    private static void mssIndex(EbpfAssembler a) {
        a.load(Size.DOUBLE, R1, R10, CLIENT_MSS).mov64Immediate(R2, 0)
                .jumpIf(Jump.LT, R1, 1300, "sp_index")
                .mov64Immediate(R2, 1).jumpIf(Jump.LT, R1, 1440, "sp_index")
                .mov64Immediate(R2, 2).jumpIf(Jump.LT, R1, 1460, "sp_index")
                .mov64Immediate(R2, 3)
                .label("sp_index").store(Size.DOUBLE, R10, MSS_INDEX, R2);
    }

    /**
     * SynCookies.make: H0 + ISN + (minute << 24) + ((H1 + MSS index) mod 2^24), 32 bits, where H0 is SipHash of
     * (client, VIP, ports, 0) under the flow secrets and H1 of (client, VIP, ports, minute) under the minute ones.
     */
    private static void cookie(EbpfAssembler a) {
        a.load(Size.WORD, R1, R7, IP_SADDR).toBigEndian(R1, 32)
                .load(Size.WORD, R2, R7, IP_DADDR).toBigEndian(R2, 32).alu64(Alu.LSH, R2, 32)
                .alu64Register(Alu.OR, R1, R2).store(Size.DOUBLE, R10, M0, R1)
                .load(Size.HALF, R1, R7, L4).toBigEndian(R1, 16).alu64(Alu.LSH, R1, 16)
                .load(Size.HALF, R2, R7, TCP_DPORT).toBigEndian(R2, 16).alu64Register(Alu.OR, R1, R2)
                .store(Size.DOUBLE, R10, M1, R1);
        sipHash(a, SynProxyMaps.K0_FLOW, SynProxyMaps.K1_FLOW);
        a.store(Size.DOUBLE, R10, H0, R1)
                .load(Size.DOUBLE, R1, R10, M1).load(Size.WORD, R2, R9, SynProxyMaps.MINUTE).alu64(Alu.LSH, R2, 32)
                .alu64Register(Alu.OR, R1, R2).store(Size.DOUBLE, R10, M1, R1);
        sipHash(a, SynProxyMaps.K0_MINUTE, SynProxyMaps.K1_MINUTE);
        a.load(Size.DOUBLE, R2, R10, MSS_INDEX).alu64Register(Alu.ADD, R1, R2).alu64(Alu.AND, R1, 0xffffff)
                .load(Size.WORD, R2, R9, SynProxyMaps.MINUTE).alu64(Alu.LSH, R2, 24).alu64Register(Alu.ADD, R1, R2)
                .load(Size.DOUBLE, R2, R10, H0).alu64Register(Alu.ADD, R1, R2)
                .load(Size.WORD, R2, R7, TCP_SEQ).toBigEndian(R2, 32).alu64Register(Alu.ADD, R1, R2)
                .store(Size.DOUBLE, R10, COOKIE, R1);
    }

    /**
     * SipHash-2-4 of the 16-byte message at M0 and M1 under the secrets at {@code k0} and {@code k1} of the
     * configuration (r9): the result in r1 (its low 32 bits are the cookie hash). v0-v3 in r1-r4, r5 a scratch
     * register, r0 the message word.
     */
    private static void sipHash(EbpfAssembler a, int k0, int k1) {
        a.load(Size.DOUBLE, R1, R9, k0).loadImmediate64(R5, SIP_C0).alu64Register(Alu.XOR, R1, R5)
                .load(Size.DOUBLE, R2, R9, k1).loadImmediate64(R5, SIP_C1).alu64Register(Alu.XOR, R2, R5)
                .load(Size.DOUBLE, R3, R9, k0).loadImmediate64(R5, SIP_C2).alu64Register(Alu.XOR, R3, R5)
                .load(Size.DOUBLE, R4, R9, k1).loadImmediate64(R5, SIP_C3).alu64Register(Alu.XOR, R4, R5);
        for (int block = 0; block < 3; block++) {
            if (block == 0) a.load(Size.DOUBLE, R0, R10, M0);
            else if (block == 1) a.load(Size.DOUBLE, R0, R10, M1);
            else a.loadImmediate64(R0, 16L << 56);
            a.alu64Register(Alu.XOR, R4, R0);
            sipRound(a);
            sipRound(a);
            a.alu64Register(Alu.XOR, R1, R0);
        }
        a.alu64(Alu.XOR, R3, 0xff);
        for (int r = 0; r < 4; r++) sipRound(a);
        a.alu64Register(Alu.XOR, R1, R2).alu64Register(Alu.XOR, R1, R3).alu64Register(Alu.XOR, R1, R4);
    }

    private static void sipRound(EbpfAssembler a) {
        a.alu64Register(Alu.ADD, R1, R2);
        rotateLeft(a, R2, 13);
        a.alu64Register(Alu.XOR, R2, R1);
        rotateLeft(a, R1, 32);
        a.alu64Register(Alu.ADD, R3, R4);
        rotateLeft(a, R4, 16);
        a.alu64Register(Alu.XOR, R4, R3);
        a.alu64Register(Alu.ADD, R1, R4);
        rotateLeft(a, R4, 21);
        a.alu64Register(Alu.XOR, R4, R1);
        a.alu64Register(Alu.ADD, R3, R2);
        rotateLeft(a, R2, 17);
        a.alu64Register(Alu.XOR, R2, R3);
        rotateLeft(a, R3, 32);
    }

    /** reg = reg rotated left by {@code bits} (64 bits), through r5. */
    private static void rotateLeft(EbpfAssembler a, int reg, int bits) {
        a.mov64(R5, reg).alu64(Alu.RSH, R5, 64 - bits).alu64(Alu.LSH, reg, bits).alu64Register(Alu.OR, reg, R5);
    }

    /**
     * SynCookies.timestamp, when the client sent timestamps: the epoch in milliseconds (32 bits) with its low 6
     * bits replaced by the window scale (15: none) and SACK permitted, 64 less when that is ahead of the clock.
     */
    private static void timestamp(EbpfAssembler a) {
        a.load(Size.DOUBLE, R1, R10, CLIENT_TS).jumpIf(Jump.EQ, R1, 0, "sp_timestamp_done")
                .call(BpfAttr.BPF_FUNC_KTIME_GET_NS)
                .load(Size.DOUBLE, R1, R9, SynProxyMaps.CLOCK_OFFSET).alu64Register(Alu.ADD, R0, R1)
                .alu64(Alu.DIV, R0, 1_000_000).alu64(Alu.LSH, R0, 32).alu64(Alu.RSH, R0, 32)
                .load(Size.DOUBLE, R1, R10, CLIENT_SCALE)
                .load(Size.DOUBLE, R2, R10, CLIENT_SACK).alu64(Alu.LSH, R2, 4).alu64Register(Alu.OR, R1, R2)
                .mov64(R2, R0).alu64(Alu.AND, R2, ~0x3f).alu64Register(Alu.OR, R2, R1)
                .jumpIfRegister(Jump.LE, R2, R0, "sp_timestamp_store")
                .add64Immediate(R2, -64).alu64(Alu.LSH, R2, 32).alu64(Alu.RSH, R2, 32)
                .label("sp_timestamp_store").store(Size.DOUBLE, R10, TS_VAL, R2)
                .label("sp_timestamp_done");
    }

    /**
     * One shape of the SYN-ACK, at {@code label}: the frame checked to be its length, written as TcpSegmentWriter
     * writes it (the SYN's own header read before each field is overwritten), both checksums, then to sp_send.
     */
    private static void shape(EbpfAssembler a, String label, boolean timestamps, boolean scale) {
        int frame = frameLength(timestamps, scale), tcp = tcpLength(timestamps, scale);
        a.label(label)
                .mov64(R1, R7).add64Immediate(R1, frame).jumpIfRegister(Jump.GT, R1, R8, "drop");
        // Ethernet: the SYN's source is the destination and the other way round
        a.load(Size.WORD, R1, R7, 0).load(Size.HALF, R2, R7, 4).load(Size.WORD, R3, R7, 6).load(Size.HALF, R4, R7, 10)
                .store(Size.WORD, R7, 0, R3).store(Size.HALF, R7, 4, R4)
                .store(Size.WORD, R7, 6, R1).store(Size.HALF, R7, 10, R2);
        // IPv4
        a.storeImmediate(Size.BYTE, R7, IP_TOS, 0)
                .storeImmediate(Size.HALF, R7, IP_TOTAL_LENGTH, swap16(frame - IP))
                .storeImmediate(Size.HALF, R7, IP_ID, 0)
                .storeImmediate(Size.HALF, R7, IP_FRAGMENT, DF_LOADED)
                .storeImmediate(Size.BYTE, R7, IP_TTL, TTL)
                .storeImmediate(Size.BYTE, R7, IP_PROTOCOL, TCP)
                .storeImmediate(Size.HALF, R7, IP_CHECKSUM, 0)
                .load(Size.WORD, R1, R7, IP_SADDR).load(Size.WORD, R2, R7, IP_DADDR)
                .store(Size.WORD, R7, IP_SADDR, R2).store(Size.WORD, R7, IP_DADDR, R1);
        // TCP: ports swapped, the cookie, the client's ISN + 1
        a.load(Size.HALF, R1, R7, L4).load(Size.HALF, R2, R7, TCP_DPORT)
                .store(Size.HALF, R7, L4, R2).store(Size.HALF, R7, TCP_DPORT, R1)
                .load(Size.WORD, R1, R7, TCP_SEQ).toBigEndian(R1, 32).add64Immediate(R1, 1).toBigEndian(R1, 32)
                .store(Size.WORD, R7, TCP_ACK, R1)
                .load(Size.DOUBLE, R1, R10, COOKIE).toBigEndian(R1, 32).store(Size.WORD, R7, TCP_SEQ, R1)
                .storeImmediate(Size.BYTE, R7, TCP_DATA_OFFSET, (tcp / 4) << 4)
                .storeImmediate(Size.BYTE, R7, TCP_FLAGS, SYN_ACK)
                .storeImmediate(Size.HALF, R7, TCP_WINDOW, WINDOW)
                .storeImmediate(Size.HALF, R7, TCP_CHECKSUM, 0)
                .storeImmediate(Size.HALF, R7, TCP_URGENT, 0);
        // options: MSS; SACK permitted (or two NOPs) and timestamps; NOP and window scale
        a.storeImmediate(Size.BYTE, R7, OPTIONS, 2).storeImmediate(Size.BYTE, R7, OPTIONS + 1, 4)
                .load(Size.DOUBLE, R1, R10, DIRECTOR_MSS).toBigEndian(R1, 16).store(Size.HALF, R7, OPTIONS + 2, R1);
        if (timestamps) {
            String noSack = label + "_nop", written = label + "_sack_written";
            a.load(Size.DOUBLE, R1, R10, CLIENT_SACK).jumpIf(Jump.EQ, R1, 0, noSack)
                    .storeImmediate(Size.HALF, R7, OPTIONS + 4, 0x0204).jump(written)
                    .label(noSack).storeImmediate(Size.HALF, R7, OPTIONS + 4, 0x0101)
                    .label(written)
                    .storeImmediate(Size.HALF, R7, OPTIONS + 6, 0x0a08)
                    .load(Size.DOUBLE, R1, R10, TS_VAL).toBigEndian(R1, 32).store(Size.WORD, R7, OPTIONS + 8, R1)
                    .load(Size.DOUBLE, R1, R10, CLIENT_TS_VAL).store(Size.WORD, R7, OPTIONS + 12, R1);
        }
        if (scale) {
            a.storeImmediate(Size.WORD, R7, OPTIONS + 16, 0x01 | 0x03 << 8 | 0x03 << 16 | DIRECTOR_WINDOW_SCALE << 24);
        }
        // the IPv4 header's checksum
        a.mov64Immediate(R1, 0).mov64Immediate(R2, 0).mov64(R3, R7).add64Immediate(R3, IP)
                .mov64Immediate(R4, 20).mov64Immediate(R5, 0)
                .call(BpfAttr.BPF_FUNC_CSUM_DIFF)
                .mov64(R1, R0);
        foldAndStore(a, IP_CHECKSUM);
        // TCP's: the pseudo-header (addresses, protocol, length; as loaded) the seed of the header's sum
        a.load(Size.WORD, R5, R7, IP_SADDR).mov64(R1, R5).alu64(Alu.RSH, R1, 16).alu64(Alu.AND, R5, 0xffff)
                .alu64Register(Alu.ADD, R5, R1)
                .load(Size.HALF, R1, R7, IP_DADDR).alu64Register(Alu.ADD, R5, R1)
                .load(Size.HALF, R1, R7, IP_DADDR + 2).alu64Register(Alu.ADD, R5, R1)
                .add64Immediate(R5, swap16(TCP) + swap16(tcp))
                .mov64Immediate(R1, 0).mov64Immediate(R2, 0).mov64(R3, R7).add64Immediate(R3, L4)
                .mov64Immediate(R4, tcp)
                .call(BpfAttr.BPF_FUNC_CSUM_DIFF)
                .mov64(R1, R0);
        foldAndStore(a, TCP_CHECKSUM);
        a.jump("sp_send");
    }

    /** Stores at {@code offset} the one's complement of r1 (a 32-bit sum, as loaded) folded to 16 bits. */
    private static void foldAndStore(EbpfAssembler a, int offset) {
        a.alu64(Alu.LSH, R1, 32).alu64(Alu.RSH, R1, 32);
        for (int i = 0; i < 2; i++) {
            a.mov64(R2, R1).alu64(Alu.RSH, R2, 16).alu64(Alu.AND, R1, 0xffff).alu64Register(Alu.ADD, R1, R2);
        }
        a.alu64(Alu.XOR, R1, 0xffff).store(Size.HALF, R7, offset, R1);
    }

    /** The 16-bit value whose little-endian store writes {@code value}'s network-order bytes. */
    private static int swap16(int value) {
        return (value & 0xff) << 8 | (value >>> 8) & 0xff;
    }
}
