package io.jlvs.platform.packetio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A classic BPF socket filter built in Java (no libpcap compiler needed). The program runs in the kernel on every
 * frame of the interface; frames it rejects never reach user space. It sees the Ethernet frame from offset 0 with
 * any VLAN tag already removed by the kernel.
 *
 * <p>The director filter is a flat list of compare-and-accept pairs ({@code jeq #addr, 0, 1; ret #-1}) so no jump
 * is longer than one instruction, whatever the number of addresses (classic BPF jumps reach 255 at most):
 * <pre>
 *   ldh [12]                       ethertype
 *   jeq #0x0806 ; ret #-1          ARP (if accepted)
 *   jeq #0x86dd ; ret #-1          IPv6 (if accepted)
 *   jeq #0x0800, 1, 0 ; ret #0     anything else but IPv4: drop
 *   ld [30] ; (jeq #vip ; ret #-1)*        IPv4 destination is a VIP
 *   ld [26] ; (jeq #server ; ret #-1)*     IPv4 source is a real server (NAT replies, ICMP errors)
 *   ret #0
 * </pre>
 */
public final class BpfProgram {
    /** Kernel limit (BPF_MAXINSNS). */
    public static final int MAX_INSTRUCTIONS = 4096;

    static final int LD_H_ABS = 0x28, LD_W_ABS = 0x20, LD_B_ABS = 0x30, JEQ_K = 0x15, RET_K = 0x06;
    /** ldh [x + k], ldxb 4*([k]&0xf), jset #k, st M[k], ld M[k]. */
    static final int LD_H_IND = 0x48, LDX_B_MSH = 0xb1, JSET_K = 0x45, ST = 0x02, LD_MEM = 0x60;
    /** ld #k, ldb [x + k]. */
    static final int LD_IMM = 0x00, LD_B_IND = 0x50;
    private static final int ACCEPT = -1, DROP = 0;
    /** tc direct-action verdicts (linux/pkt_cls.h): TC_ACT_SHOT drops; TC_ACT_UNSPEC lets the next filter decide. */
    static final int TC_ACT_SHOT = 2, TC_ACT_UNSPEC = -1;
    private static final int ETH_TYPE = 12, IPV4_PROTOCOL = 14 + 9, IPV4_SRC = 14 + 12, IPV4_DST = 14 + 16;
    private static final int IPV4_FRAGMENT = 14 + 6, IPV4_HEADER = 14;
    /** The flags-and-offset field's more-fragments flag and offset: set in every fragment, first or later. */
    private static final int IPV4_MF_OR_OFFSET = 0x3FFF;
    private static final int SCRATCH_PROTOCOL = 0, SCRATCH_SOURCE_PORT = 1;
    /** The TCP destination port of a first fragment (0 otherwise), and 1 for an ICMP error (0 otherwise). */
    private static final int SCRATCH_TCP_DESTINATION_PORT = 2, SCRATCH_ICMP_ERROR = 3;
    private static final int PROTO_ICMP = 1, PROTO_TCP = 6;
    private static final int ICMP_DEST_UNREACHABLE = 3, ICMP_TIME_EXCEEDED = 11, ICMP_PARAMETER_PROBLEM = 12;

    private final short[] codes;
    private final byte[] jumpsTrue;
    private final byte[] jumpsFalse;
    private final int[] constants;

    private BpfProgram(Builder builder) {
        int n = builder.length;
        if (n == 0 || n > MAX_INSTRUCTIONS) throw new IllegalArgumentException("BPF program of " + n + " instructions");
        codes = Arrays.copyOf(builder.codes, n);
        jumpsTrue = Arrays.copyOf(builder.jumpsTrue, n);
        jumpsFalse = Arrays.copyOf(builder.jumpsFalse, n);
        constants = Arrays.copyOf(builder.constants, n);
    }

    /** Passes every frame whole. */
    public static BpfProgram acceptAll() {
        return new Builder().ret(ACCEPT).build();
    }

    /** Passes nothing. */
    public static BpfProgram dropAll() {
        return new Builder().ret(DROP).build();
    }

    /** {@link #forDirector(int[], int[], boolean, boolean)} with IPv6 rejected. */
    public static BpfProgram forDirector(int[] vipsV4, int[] realServersV4, boolean acceptArp) {
        return forDirector(vipsV4, realServersV4, acceptArp, false);
    }

    /** {@link #forDirector(int[], int[], int[], int[], int[], boolean, boolean)} without kernel ports or own addresses. */
    public static BpfProgram forDirector(int[] vipsV4, int[] realServersV4, boolean acceptArp, boolean acceptIpv6) {
        return forDirector(vipsV4, new int[0], new int[0], realServersV4, new int[0], acceptArp, acceptIpv6);
    }

    /**
     * Accepts ARP (optionally), IPv6 (optionally), ICMPv4, and IPv4 whose destination is a VIP or whose source is
     * a real server; drops the rest, and TCP to a kernel port (a VIP's port the director's kernel terminates: a
     * layer-7 listener) before anything to a VIP is accepted. Addresses are IPv4 addresses as ints, first octet
     * most significant (10.0.0.1 = 0x0A000001).
     *
     * @param kernelPortAddresses, kernelPorts the kernel ports, one per index
     * @param localV4 the director's own addresses: IPv4 (other than ICMP) to one of them is dropped even from a real
     *                server, as it is the director's own traffic (health checks, the layer-7 proxy's server
     *                connections), which the kernel handles and user space would only discard
     */
    public static BpfProgram forDirector(int[] vipsV4, int[] kernelPortAddresses, int[] kernelPorts,
                                         int[] realServersV4, int[] localV4, boolean acceptArp, boolean acceptIpv6) {
        if (kernelPortAddresses.length != kernelPorts.length) throw new IllegalArgumentException("one port per address");
        Builder b = new Builder().load(LD_H_ABS, ETH_TYPE);
        if (acceptArp) b.acceptIfEquals(0x0806);
        if (acceptIpv6) b.acceptIfEquals(0x86DD);
        b.jump(JEQ_K, 0x0800, 1, 0).ret(DROP);
        // Every ICMPv4 message: errors about tunnelled or NATed packets come from routers on the way too, addressed
        // to the director itself; the pipeline keeps those that quote a connection and counts the rest.
        b.load(LD_B_ABS, IPV4_PROTOCOL).acceptIfEquals(PROTO_ICMP);
        if (kernelPorts.length > 0) {
            storeTcpDestinationPort(b);
            for (int i = 0; i < kernelPorts.length; i++) kernelPort(b, kernelPortAddresses[i], kernelPorts[i], DROP);
        }
        if (vipsV4.length > 0 || localV4.length > 0) {
            b.load(LD_W_ABS, IPV4_DST);
            for (int vip : vipsV4) b.acceptIfEquals(vip);
            for (int local : localV4) b.jump(JEQ_K, local, 0, 1).ret(DROP);
        }
        if (realServersV4.length > 0) {
            b.load(LD_W_ABS, IPV4_SRC);
            for (int server : realServersV4) b.acceptIfEquals(server);
        }
        return b.ret(DROP).build();
    }

    /**
     * The host guard's tc ingress classifier (direct action): drops what the director's kernel must never handle,
     * before ip_rcv, after the AF_PACKET taps have seen it. It mirrors the guard's nftables prerouting rules, which
     * stay as the complete guard behind it:
     * <pre>
     *   not IPv4                                   -> TC_ACT_UNSPEC (other filters, then the stack)
     *   TCP to a kernel port (VIP and port)        -> TC_ACT_UNSPEC (a layer-7 listener on a VIP)
     *   an ICMP error to a kernel port's VIP       -> TC_ACT_UNSPEC (the kernel matches it to its sockets)
     *   destination is a VIP                       -> TC_ACT_SHOT
     *   destination is the director's own address  -> TC_ACT_UNSPEC (health checks and the director's own traffic)
     *   a fragment (more fragments, or an offset)  -> TC_ACT_UNSPEC (nftables decides: a later fragment has no
     *                                                 ports, and nftables drops it with its first, whose datagram
     *                                                 it remembers)
     *   source address, protocol, source port of a NAT backend -> TC_ACT_SHOT (an un-NATed reply)
     *   anything else                              -> TC_ACT_UNSPEC
     * </pre>
     * Every comparison is followed by its own return, as in {@link #forDirector}, so no jump is longer than five.
     *
     * @param backendAddresses, backendProtocols, backendPorts the NAT backends, one per index
     * @throws IllegalArgumentException when the lists need more than {@link #MAX_INSTRUCTIONS}
     */
    public static BpfProgram hostGuard(int[] vipsV4, int[] localV4, int[] backendAddresses, int[] backendProtocols,
                                       int[] backendPorts) {
        return hostGuard(vipsV4, new int[0], new int[0], localV4, backendAddresses, backendProtocols, backendPorts);
    }

    /**
     * {@link #hostGuard(int[], int[], int[], int[], int[])} with kernel ports, one port per index of
     * {@code kernelPortAddresses}.
     */
    public static BpfProgram hostGuard(int[] vipsV4, int[] kernelPortAddresses, int[] kernelPorts, int[] localV4,
                                       int[] backendAddresses, int[] backendProtocols, int[] backendPorts) {
        if (backendAddresses.length != backendProtocols.length || backendAddresses.length != backendPorts.length) {
            throw new IllegalArgumentException("one protocol and one port per backend address");
        }
        if (kernelPortAddresses.length != kernelPorts.length) throw new IllegalArgumentException("one port per address");
        Builder b = new Builder().load(LD_H_ABS, ETH_TYPE).jump(JEQ_K, 0x0800, 1, 0).ret(TC_ACT_UNSPEC);
        if (kernelPorts.length > 0) {
            storeTcpDestinationPort(b);
            storeIcmpError(b);
            for (int i = 0; i < kernelPorts.length; i++) {
                kernelPort(b, kernelPortAddresses[i], kernelPorts[i], TC_ACT_UNSPEC);
            }
            for (int vip : Arrays.stream(kernelPortAddresses).distinct().toArray()) {
                b.load(LD_W_ABS, IPV4_DST).jump(JEQ_K, vip, 0, 3);
                b.load(LD_MEM, SCRATCH_ICMP_ERROR).jump(JEQ_K, 1, 0, 1).ret(TC_ACT_UNSPEC);
            }
        }
        b.load(LD_W_ABS, IPV4_DST);
        for (int vip : vipsV4) b.jump(JEQ_K, vip, 0, 1).ret(TC_ACT_SHOT);
        if (backendAddresses.length > 0) {
            for (int local : localV4) b.jump(JEQ_K, local, 0, 1).ret(TC_ACT_UNSPEC);
            b.load(LD_H_ABS, IPV4_FRAGMENT).jump(JSET_K, IPV4_MF_OR_OFFSET, 0, 1).ret(TC_ACT_UNSPEC);
            b.load(LD_B_ABS, IPV4_PROTOCOL).add(ST, 0, 0, SCRATCH_PROTOCOL);
            b.add(LDX_B_MSH, 0, 0, IPV4_HEADER).load(LD_H_IND, IPV4_HEADER).add(ST, 0, 0, SCRATCH_SOURCE_PORT);
            for (int i = 0; i < backendAddresses.length; i++) {
                b.load(LD_W_ABS, IPV4_SRC).jump(JEQ_K, backendAddresses[i], 0, 5);
                b.load(LD_MEM, SCRATCH_PROTOCOL).jump(JEQ_K, backendProtocols[i], 0, 3);
                b.load(LD_MEM, SCRATCH_SOURCE_PORT).jump(JEQ_K, backendPorts[i], 0, 1).ret(TC_ACT_SHOT);
            }
        }
        return b.ret(TC_ACT_UNSPEC).build();
    }

    /**
     * M[SCRATCH_TCP_DESTINATION_PORT] = the TCP destination port of an IPv4 packet that is not a later fragment, else 0
     * (never a kernel port). Nine instructions, none jumping out of them.
     */
    private static void storeTcpDestinationPort(Builder b) {
        b.add(LD_IMM, 0, 0, 0).add(ST, 0, 0, SCRATCH_TCP_DESTINATION_PORT);
        b.load(LD_H_ABS, IPV4_FRAGMENT).jump(JSET_K, 0x1FFF, 5, 0);
        b.load(LD_B_ABS, IPV4_PROTOCOL).jump(JEQ_K, PROTO_TCP, 0, 3);
        b.add(LDX_B_MSH, 0, 0, IPV4_HEADER).load(LD_H_IND, IPV4_HEADER + 2).add(ST, 0, 0, SCRATCH_TCP_DESTINATION_PORT);
    }

    /**
     * M[SCRATCH_ICMP_ERROR] = 1 for an ICMP destination unreachable, time exceeded or parameter problem that is not
     * a later fragment, else 0. Thirteen instructions, none jumping out of them.
     */
    private static void storeIcmpError(Builder b) {
        b.add(LD_IMM, 0, 0, 0).add(ST, 0, 0, SCRATCH_ICMP_ERROR);
        b.load(LD_H_ABS, IPV4_FRAGMENT).jump(JSET_K, 0x1FFF, 9, 0);
        b.load(LD_B_ABS, IPV4_PROTOCOL).jump(JEQ_K, PROTO_ICMP, 0, 7);
        b.add(LDX_B_MSH, 0, 0, IPV4_HEADER).load(LD_B_IND, IPV4_HEADER);
        b.jump(JEQ_K, ICMP_DEST_UNREACHABLE, 2, 0).jump(JEQ_K, ICMP_TIME_EXCEEDED, 1, 0)
                .jump(JEQ_K, ICMP_PARAMETER_PROBLEM, 0, 2);
        b.add(LD_IMM, 0, 0, 1).add(ST, 0, 0, SCRATCH_ICMP_ERROR);
    }

    /** Returns {@code verdict} for TCP to vip:port (after {@link #storeTcpDestinationPort}); five instructions. */
    private static void kernelPort(Builder b, int vip, int port, int verdict) {
        b.load(LD_W_ABS, IPV4_DST).jump(JEQ_K, vip, 0, 3);
        b.load(LD_MEM, SCRATCH_TCP_DESTINATION_PORT).jump(JEQ_K, port, 0, 1).ret(verdict);
    }

    /** The program as tc's {@code bpf bytecode} argument: the count, then "code jt jf k" per instruction. */
    public String toTcBytecode() {
        StringBuilder text = new StringBuilder().append(codes.length);
        for (int i = 0; i < codes.length; i++) {
            text.append(',').append(codes[i] & 0xFFFF).append(' ').append(jumpsTrue[i] & 0xFF).append(' ')
                    .append(jumpsFalse[i] & 0xFF).append(' ').append(Integer.toUnsignedString(constants[i]));
        }
        return text.toString();
    }

    public int length() {
        return codes.length;
    }

    /**
     * The instructions as struct sock_filter values: code in bits 0-15, jt in 16-23, jf in 24-31, k in 32-63 (the
     * form the XDP translation reads).
     */
    public long[] sockFilters() {
        long[] filters = new long[codes.length];
        for (int i = 0; i < codes.length; i++) {
            filters[i] = (codes[i] & 0xFFFFL) | (jumpsTrue[i] & 0xFFL) << 16 | (jumpsFalse[i] & 0xFFL) << 24
                    | (constants[i] & 0xFFFFFFFFL) << 32;
        }
        return filters;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BpfProgram p && Arrays.equals(codes, p.codes) && Arrays.equals(jumpsTrue, p.jumpsTrue)
                && Arrays.equals(jumpsFalse, p.jumpsFalse) && Arrays.equals(constants, p.constants);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(constants);
    }

    /** struct sock_fprog {u16 len; struct sock_filter *filter} with the instructions, both in {@code arena}. */
    MemorySegment toSockFprog(Arena arena) {
        MemorySegment filter = arena.allocate(8L * codes.length, 8);
        for (int i = 0; i < codes.length; i++) {
            long at = 8L * i;   // struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}, host byte order
            filter.set(JAVA_SHORT, at, codes[i]);
            filter.set(JAVA_BYTE, at + 2, jumpsTrue[i]);
            filter.set(JAVA_BYTE, at + 3, jumpsFalse[i]);
            filter.set(JAVA_INT, at + 4, constants[i]);
        }
        MemorySegment program = arena.allocate(16, 8);
        program.set(JAVA_SHORT, 0, (short) codes.length);
        program.set(ADDRESS, 8, filter);
        return program;
    }

    /** The program in {@code tcpdump -dd} form, one instruction a line. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codes.length; i++) {
            text.append(String.format("{ 0x%x, %d, %d, 0x%08x },%n", codes[i], jumpsTrue[i] & 0xFF,
                    jumpsFalse[i] & 0xFF, constants[i]));
        }
        return text.toString();
    }

    private static final class Builder {
        short[] codes = new short[16];
        byte[] jumpsTrue = new byte[16];
        byte[] jumpsFalse = new byte[16];
        int[] constants = new int[16];
        int length;

        Builder add(int code, int jt, int jf, int k) {
            if (length == codes.length) {
                codes = Arrays.copyOf(codes, length * 2);
                jumpsTrue = Arrays.copyOf(jumpsTrue, length * 2);
                jumpsFalse = Arrays.copyOf(jumpsFalse, length * 2);
                constants = Arrays.copyOf(constants, length * 2);
            }
            codes[length] = (short) code;
            jumpsTrue[length] = (byte) jt;
            jumpsFalse[length] = (byte) jf;
            constants[length] = k;
            length++;
            return this;
        }

        Builder load(int code, int offset) {
            return add(code, 0, 0, offset);
        }

        Builder jump(int code, int k, int jt, int jf) {
            return add(code, jt, jf, k);
        }

        Builder ret(int k) {
            return add(RET_K, 0, 0, k);
        }

        /** Compares the accumulator with {@code k}: equal falls into the next instruction (accept), else skips it. */
        Builder acceptIfEquals(int k) {
            return jump(JEQ_K, k, 0, 1).ret(ACCEPT);
        }

        BpfProgram build() {
            return new BpfProgram(this);
        }
    }
}
