package io.jlvs.forwarder.fastpath;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.EbpfAssembler;
import io.jlvs.platform.bpf.EbpfAssembler.Alu;
import io.jlvs.platform.bpf.EbpfAssembler.Jump;
import io.jlvs.platform.bpf.EbpfAssembler.Size;
import io.jlvs.platform.bpf.EbpfInstructions;

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
 * The fast path's XDP program, assembled here (Katran's design): an IPv4 TCP or UDP packet of a flow found in the
 * flow map ({@link FastPathEntry}) is counted, rewritten (NAT: addresses, ports; NAT and DR: TTL, MACs; incremental
 * checksums) or encapsulated (TUN: TTL, then an outer IPv4 header in front, by bpf_xdp_adjust_head), and redirected
 * through the devmap to its egress device. An IPv6 TCP or UDP packet of a flow found in the IPv6 flow map
 * ({@link FastPathEntry6}) is counted, rewritten (NAT66: addresses, ports, the L4 checksum incrementally; NAT66 and
 * DR: hop limit, MACs) and redirected the same way. Everything else goes on to the kernel and so to jlvs's AF_PACKET
 * path: other ethertypes, IPv4 with options, IPv6 with any extension header, fragments, TTL or hop limit 1 or less,
 * other protocols (ICMP, ICMPv6), TCP segments carrying SYN, FIN or RST (the state changes the IPVS state machine in
 * Java must see), IPv6 UDP datagrams with the (invalid) checksum 0, packets too long for the egress link or the
 * tunnel (Java drops them as the Java path does, or answers them: fragmentation needed, Packet Too Big), and flows
 * not in the maps.
 *
 * <p>Registers: r6 the protocol, r7 data, r8 data_end, r9 the flow's value. Stack: the flow key at -16, the counter
 * slot at -20, the context at -32 (for bpf_xdp_adjust_head), the outer header's fields taken from the inner packet
 * at -40 to -64 (TUN), the IPv6 flow key at -104 to -65.
 */
public final class XdpForwardProgram {
    private XdpForwardProgram() {}

    private static final int ETH = 14, IP = ETH, L4 = IP + 20;
    private static final int IP_TOTAL_LENGTH = IP + 2, IP_FRAGMENT = IP + 6, IP_TTL = IP + 8, IP_PROTOCOL = IP + 9,
            IP_CHECKSUM = IP + 10, IP_SADDR = IP + 12;
    private static final int UDP_END = L4 + 8, TCP_END = L4 + 20;
    private static final int TCP_FLAGS = L4 + 13, TCP_CHECKSUM = L4 + 16, UDP_CHECKSUM = L4 + 6;
    private static final int TCP = 6, UDP = 17;
    /** FIN, SYN, RST. */
    private static final int STATE_CHANGING_FLAGS = 0x07;
    /** A SYN to answer: SYN set, FIN, RST and ACK clear. */
    private static final int SYN_DECIDING_FLAGS = 0x17, SYN = 0x02;
    /** 0x0800 and the fragment mask 0x3fff as a little-endian load of their network-order bytes reads them. */
    private static final int ETHERTYPE_IPV4_LOADED = 0x0008, FRAGMENT_MASK_LOADED = 0xff3f;
    private static final int KEY = -16, SLOT = -20, CONTEXT = -32, OUTER_TOS = -40, OUTER_TTL = -48, OUTER_DF = -56,
            INNER_LENGTH = -64, KEY6 = -104;
    /** IPv6: the fixed header's fields, the transport header right after it. */
    private static final int IP6 = ETH, IP6_HEADER = 40, IP6_PAYLOAD_LENGTH = IP6 + 4, IP6_NEXT_HEADER = IP6 + 6,
            IP6_HOP_LIMIT = IP6 + 7, IP6_SADDR = IP6 + 8, L4_6 = IP6 + IP6_HEADER;
    private static final int UDP6_END = L4_6 + 8, TCP6_END = L4_6 + 20;
    private static final int TCP6_FLAGS = L4_6 + 13, TCP6_CHECKSUM = L4_6 + 16, UDP6_CHECKSUM = L4_6 + 6;
    /** 0x86dd as a little-endian load of its network-order bytes reads it. */
    private static final int ETHERTYPE_IPV6_LOADED = 0xdd86;
    /** The outer IPv4 header a tunnelled packet gets (IPv4-in-IPv4, protocol 4). */
    private static final int OUTER = 20, IPIP = 4;
    /** DF as a little-endian load of the flags-and-offset field reads it; ECN's CE codepoint. */
    private static final int DF_LOADED = 0x0040, ECN_MASK = 0x03, ECN_CE = 0x03;

    /**
     * Assembles the program for the given maps: flows (hash), counters (per-CPU array), egress (devmap hash), and
     * the SYN proxy's ({@link XdpSynProxyProgram}).
     */
    static EbpfInstructions assemble(int flowsFd, int flows6Fd, int countersFd, int egressFd, SynProxyMaps synProxy) {
        EbpfAssembler a = new EbpfAssembler();
        a.store(Size.DOUBLE, R10, CONTEXT, R1)
                .load(Size.WORD, R7, R1, BpfAttr.XDP_MD_DATA)
                .load(Size.WORD, R8, R1, BpfAttr.XDP_MD_DATA_END);
        // Ethernet, IPv4 without options, not a fragment, TTL above 1
        a.mov64(R1, R7).add64Immediate(R1, UDP_END).jumpIfRegister(Jump.GT, R1, R8, "pass")
                .load(Size.HALF, R1, R7, 12).jumpIf(Jump.NE, R1, ETHERTYPE_IPV4_LOADED, "ipv6")
                .load(Size.BYTE, R1, R7, IP).jumpIf(Jump.NE, R1, 0x45, "pass")
                .load(Size.HALF, R1, R7, IP_FRAGMENT).alu64(Alu.AND, R1, FRAGMENT_MASK_LOADED)
                .jumpIf(Jump.NE, R1, 0, "pass")
                .load(Size.BYTE, R1, R7, IP_TTL).jumpIf(Jump.LE, R1, 1, "pass")
                .load(Size.BYTE, R6, R7, IP_PROTOCOL)
                .jumpIf(Jump.EQ, R6, UDP, "key")
                .jumpIf(Jump.NE, R6, TCP, "pass")
                .mov64(R1, R7).add64Immediate(R1, TCP_END).jumpIfRegister(Jump.GT, R1, R8, "pass")
                .load(Size.BYTE, R1, R7, TCP_FLAGS)
                .mov64(R2, R1).alu64(Alu.AND, R2, SYN_DECIDING_FLAGS).jumpIf(Jump.EQ, R2, SYN, "syn")
                .alu64(Alu.AND, R1, STATE_CHANGING_FLAGS)
                .jumpIf(Jump.NE, R1, 0, "pass");
        // the key: addresses and ports as the packet has them, the protocol, zero padding
        a.label("key")
                .load(Size.DOUBLE, R1, R7, IP_SADDR).store(Size.DOUBLE, R10, KEY, R1)
                .load(Size.WORD, R1, R7, L4).store(Size.WORD, R10, KEY + 8, R1)
                .store(Size.WORD, R10, KEY + FastPathEntry.KEY_PROTOCOL, R6)
                .loadMapFd(R1, flowsFd).mov64(R2, R10).add64Immediate(R2, KEY)
                .call(BpfAttr.BPF_FUNC_MAP_LOOKUP_ELEM)
                .jumpIf(Jump.EQ, R0, 0, "pass")
                .mov64(R9, R0);
        // a packet longer than the egress link (TUN: the tunnel) takes goes to Java, before it is counted: NAT and
        // DR count it as too big for the egress MTU, TUN answers "fragmentation needed" or fragments the outer packet
        passIfLonger(a, IP_TOTAL_LENGTH, 0, FastPathEntry.MAX_LENGTH);
        count(a, countersFd, FastPathEntry.COUNTER_SLOT, IP_TOTAL_LENGTH, ETH, "counted");
        a.load(Size.WORD, R1, R9, FastPathEntry.KIND)
                .jumpIf(Jump.EQ, R1, FastPathEntry.KIND_DR, "ttl")
                .jumpIf(Jump.EQ, R1, FastPathEntry.KIND_TUN, "tunnel")
                .jumpIf(Jump.NE, R1, FastPathEntry.KIND_NAT, "drop");
        // NAT: the new addresses and ports, the L4 checksum
        a.load(Size.DOUBLE, R1, R9, FastPathEntry.NEW_SADDR).store(Size.DOUBLE, R7, IP_SADDR, R1)
                .load(Size.WORD, R1, R9, FastPathEntry.NEW_SPORT).store(Size.WORD, R7, L4, R1)
                .load(Size.HALF, R2, R9, FastPathEntry.L4_DELTA)
                .jumpIf(Jump.EQ, R6, UDP, "udp");
        a.load(Size.HALF, R1, R7, TCP_CHECKSUM);
        updateChecksum(a);
        a.store(Size.HALF, R7, TCP_CHECKSUM, R1).jump("ip")
                .label("udp")
                .load(Size.HALF, R1, R7, UDP_CHECKSUM).jumpIf(Jump.EQ, R1, 0, "ip");   // no checksum: stays none
        updateChecksum(a);
        a.jumpIf(Jump.NE, R1, 0, "udp_store").mov64Immediate(R1, 0xffff)
                .label("udp_store").store(Size.HALF, R7, UDP_CHECKSUM, R1)
                .label("ip")
                .load(Size.HALF, R1, R7, IP_CHECKSUM).load(Size.HALF, R2, R9, FastPathEntry.IP_DELTA);
        updateChecksum(a);
        a.store(Size.HALF, R7, IP_CHECKSUM, R1)
                .load(Size.BYTE, R1, R7, IP_TTL).add64Immediate(R1, -1).store(Size.BYTE, R7, IP_TTL, R1)
                .jump("macs");
        // DR: the TTL (IPVS decrements it on every forwarded packet) and the header checksum's word for it
        a.label("ttl")
                .load(Size.BYTE, R1, R7, IP_TTL).add64Immediate(R1, -1).store(Size.BYTE, R7, IP_TTL, R1)
                .load(Size.HALF, R1, R7, IP_CHECKSUM).mov64Immediate(R2, swap16(ChecksumDelta.TTL_DECREMENT));
        updateChecksum(a);
        a.store(Size.HALF, R7, IP_CHECKSUM, R1).jump("macs");
        // TUN, as IpInIp.encapsulateIpv4 after the TTL's decrement: the inner packet's TTL less one, then 20 bytes
        // more in front, where the Ethernet header moves and the outer IPv4 header follows it (TOS with CE sent as
        // ECT(0), TTL and DF copied from the inner packet, id 0, the entry's addresses, the checksum from the
        // entry's sum of the constant words and the words taken from the packet)
        a.label("tunnel")
                .load(Size.BYTE, R1, R7, IP_TTL).add64Immediate(R1, -1).store(Size.BYTE, R7, IP_TTL, R1)
                .store(Size.DOUBLE, R10, OUTER_TTL, R1)
                .load(Size.HALF, R1, R7, IP_CHECKSUM).mov64Immediate(R2, swap16(ChecksumDelta.TTL_DECREMENT));
        updateChecksum(a);
        a.store(Size.HALF, R7, IP_CHECKSUM, R1)
                .load(Size.BYTE, R1, R7, IP + 1).mov64(R2, R1).alu64(Alu.AND, R2, ECN_MASK)
                .jumpIf(Jump.NE, R2, ECN_CE, "tos").alu64(Alu.XOR, R1, 1)
                .label("tos").store(Size.DOUBLE, R10, OUTER_TOS, R1)
                .load(Size.HALF, R1, R7, IP_FRAGMENT).alu64(Alu.AND, R1, DF_LOADED).store(Size.DOUBLE, R10, OUTER_DF, R1)
                .load(Size.HALF, R1, R7, IP_TOTAL_LENGTH).toBigEndian(R1, 16).store(Size.DOUBLE, R10, INNER_LENGTH, R1)
                .load(Size.DOUBLE, R1, R10, CONTEXT).mov64Immediate(R2, -OUTER)
                .call(BpfAttr.BPF_FUNC_XDP_ADJUST_HEAD)
                .jumpIf(Jump.NE, R0, 0, "drop")
                .load(Size.DOUBLE, R1, R10, CONTEXT)
                .load(Size.WORD, R7, R1, BpfAttr.XDP_MD_DATA)
                .load(Size.WORD, R8, R1, BpfAttr.XDP_MD_DATA_END)
                .mov64(R1, R7).add64Immediate(R1, ETH + OUTER).jumpIfRegister(Jump.GT, R1, R8, "drop")
                .storeImmediate(Size.HALF, R7, 12, ETHERTYPE_IPV4_LOADED)
                .storeImmediate(Size.BYTE, R7, IP, 0x45)
                .load(Size.DOUBLE, R3, R10, OUTER_TOS).store(Size.BYTE, R7, IP + 1, R3)
                .load(Size.DOUBLE, R4, R10, INNER_LENGTH).add64Immediate(R4, OUTER)
                .mov64(R1, R4).toBigEndian(R1, 16).store(Size.HALF, R7, IP_TOTAL_LENGTH, R1)
                .storeImmediate(Size.HALF, R7, IP + 4, 0)
                .load(Size.DOUBLE, R5, R10, OUTER_DF).store(Size.HALF, R7, IP_FRAGMENT, R5)
                .load(Size.DOUBLE, R1, R10, OUTER_TTL).store(Size.BYTE, R7, IP_TTL, R1)
                .storeImmediate(Size.BYTE, R7, IP_PROTOCOL, IPIP)
                .load(Size.DOUBLE, R2, R9, FastPathEntry.NEW_SADDR).store(Size.DOUBLE, R7, IP_SADDR, R2)
                // sum, in host order: TTL and protocol, version/IHL and TOS, total length, DF, the addresses
                .alu64(Alu.LSH, R1, 8).alu64(Alu.OR, R1, IPIP)
                .alu64(Alu.OR, R3, 0x4500).alu64Register(Alu.ADD, R1, R3)
                .alu64Register(Alu.ADD, R1, R4)
                .toBigEndian(R5, 16).alu64Register(Alu.ADD, R1, R5)
                .load(Size.HALF, R2, R9, FastPathEntry.IP_DELTA).toBigEndian(R2, 16).alu64Register(Alu.ADD, R1, R2);
        fold(a);
        a.alu64(Alu.XOR, R1, 0xffff).toBigEndian(R1, 16).store(Size.HALF, R7, IP_CHECKSUM, R1);
        a.label("macs");
        redirect(a, egressFd, FastPathEntry.DST_MAC, FastPathEntry.SRC_MAC, FastPathEntry.IFINDEX);
        emitIpv6(a, flows6Fd, countersFd, egressFd);
        a.label("drop")
                .mov64Immediate(R0, BpfAttr.XDP_DROP).exit()
                .label("pass")
                .mov64Immediate(R0, BpfAttr.XDP_PASS).exit();
        XdpSynProxyProgram.emit(a, synProxy);
        return a.build();
    }

    /**
     * IPv6 (from "ipv6", r1 the loaded ethertype): the fixed header with TCP or UDP right after it, hop limit above
     * 1, no SYN, FIN or RST, a UDP checksum present; the flow in the IPv6 map; a packet the egress link takes. NAT66
     * writes the entry's addresses and ports and adds its delta to the L4 checksum (a UDP result of 0 sent as 0xffff,
     * RFC 8200); NAT66 and DR lower the hop limit; both go to the next hop through the devmap.
     */
    private static void emitIpv6(EbpfAssembler a, int flows6Fd, int countersFd, int egressFd) {
        a.label("ipv6")
                .jumpIf(Jump.NE, R1, ETHERTYPE_IPV6_LOADED, "pass")
                .mov64(R1, R7).add64Immediate(R1, UDP6_END).jumpIfRegister(Jump.GT, R1, R8, "pass")
                .load(Size.BYTE, R1, R7, IP6).alu64(Alu.RSH, R1, 4).jumpIf(Jump.NE, R1, 6, "pass")
                .load(Size.BYTE, R1, R7, IP6_HOP_LIMIT).jumpIf(Jump.LE, R1, 1, "pass")
                .load(Size.BYTE, R6, R7, IP6_NEXT_HEADER)
                .jumpIf(Jump.EQ, R6, TCP, "tcp6")
                .jumpIf(Jump.NE, R6, UDP, "pass")
                .load(Size.HALF, R1, R7, UDP6_CHECKSUM).jumpIf(Jump.EQ, R1, 0, "pass")
                .jump("key6")
                .label("tcp6")
                .mov64(R1, R7).add64Immediate(R1, TCP6_END).jumpIfRegister(Jump.GT, R1, R8, "pass")
                .load(Size.BYTE, R1, R7, TCP6_FLAGS).alu64(Alu.AND, R1, STATE_CHANGING_FLAGS)
                .jumpIf(Jump.NE, R1, 0, "pass");
        // the key: addresses and ports as the packet has them, the next header, zero padding
        a.label("key6");
        for (int i = 0; i < 32; i += 8) a.load(Size.DOUBLE, R1, R7, IP6_SADDR + i).store(Size.DOUBLE, R10, KEY6 + i, R1);
        a.load(Size.WORD, R1, R7, L4_6).store(Size.WORD, R10, KEY6 + FastPathEntry6.KEY_PORTS, R1)
                .store(Size.WORD, R10, KEY6 + FastPathEntry6.KEY_PROTOCOL, R6)
                .loadMapFd(R1, flows6Fd).mov64(R2, R10).add64Immediate(R2, KEY6)
                .call(BpfAttr.BPF_FUNC_MAP_LOOKUP_ELEM)
                .jumpIf(Jump.EQ, R0, 0, "pass")
                .mov64(R9, R0);
        // a packet longer than the egress link takes goes to Java (Packet Too Big): before it is counted
        passIfLonger(a, IP6_PAYLOAD_LENGTH, IP6_HEADER, FastPathEntry6.MAX_LENGTH);
        count(a, countersFd, FastPathEntry6.COUNTER_SLOT, IP6_PAYLOAD_LENGTH, ETH + IP6_HEADER, "counted6");
        a.load(Size.WORD, R1, R9, FastPathEntry6.KIND)
                .jumpIf(Jump.EQ, R1, FastPathEntry.KIND_DR, "hop6")
                .jumpIf(Jump.NE, R1, FastPathEntry.KIND_NAT, "drop");
        // NAT66: the new addresses and ports, the L4 checksum
        for (int i = 0; i < 32; i += 8) {
            a.load(Size.DOUBLE, R1, R9, FastPathEntry6.NEW_SADDR + i).store(Size.DOUBLE, R7, IP6_SADDR + i, R1);
        }
        a.load(Size.WORD, R1, R9, FastPathEntry6.NEW_SPORT).store(Size.WORD, R7, L4_6, R1)
                .load(Size.HALF, R2, R9, FastPathEntry6.L4_DELTA)
                .jumpIf(Jump.EQ, R6, UDP, "udp6");
        a.load(Size.HALF, R1, R7, TCP6_CHECKSUM);
        updateChecksum(a);
        a.store(Size.HALF, R7, TCP6_CHECKSUM, R1).jump("hop6")
                .label("udp6")
                .load(Size.HALF, R1, R7, UDP6_CHECKSUM);
        updateChecksum(a);
        a.jumpIf(Jump.NE, R1, 0, "udp6_store").mov64Immediate(R1, 0xffff)
                .label("udp6_store").store(Size.HALF, R7, UDP6_CHECKSUM, R1);
        // NAT66 and DR: the hop limit (in no checksum), the next hop's MACs, out through the devmap
        a.label("hop6")
                .load(Size.BYTE, R1, R7, IP6_HOP_LIMIT).add64Immediate(R1, -1).store(Size.BYTE, R7, IP6_HOP_LIMIT, R1);
        redirect(a, egressFd, FastPathEntry6.DST_MAC, FastPathEntry6.SRC_MAC, FastPathEntry6.IFINDEX);
    }

    /**
     * Counts the packet in the per-CPU counter whose index is at {@code slotField} of the flow's value (r9): one
     * packet, and the frame's length as the Java path counts it (Ethernet header and IP packet): the big-endian
     * length field at {@code lengthField} plus {@code lengthAdded}. Clobbers r0 to r5; ends at {@code counted}.
     */
    private static void count(EbpfAssembler a, int countersFd, int slotField, int lengthField, int lengthAdded,
                              String counted) {
        a.load(Size.WORD, R1, R9, slotField).store(Size.WORD, R10, SLOT, R1)
                .loadMapFd(R1, countersFd).mov64(R2, R10).add64Immediate(R2, SLOT)
                .call(BpfAttr.BPF_FUNC_MAP_LOOKUP_ELEM)
                .jumpIf(Jump.EQ, R0, 0, counted)
                .load(Size.DOUBLE, R1, R0, 0).add64Immediate(R1, 1).store(Size.DOUBLE, R0, 0, R1)
                .load(Size.HALF, R2, R7, lengthField).toBigEndian(R2, 16).add64Immediate(R2, lengthAdded)
                .load(Size.DOUBLE, R1, R0, 8).alu64Register(Alu.ADD, R1, R2).store(Size.DOUBLE, R0, 8, R1)
                .label(counted);
    }

    /**
     * Passes the packet on to the kernel (and so to Java) when its IP length, the big-endian field at
     * {@code lengthField} plus {@code lengthAdded}, is above the longest the flow's value (r9) takes, the host-order
     * 16 bits at {@code maxLength}. Clobbers r1, r2.
     */
    private static void passIfLonger(EbpfAssembler a, int lengthField, int lengthAdded, int maxLength) {
        a.load(Size.HALF, R1, R7, lengthField).toBigEndian(R1, 16);
        if (lengthAdded != 0) a.add64Immediate(R1, lengthAdded);
        a.load(Size.HALF, R2, R9, maxLength).jumpIfRegister(Jump.GT, R1, R2, "pass");
    }

    /** The flow value's (r9) next-hop MACs into the frame, then out through the devmap to its ifindex; exits. */
    private static void redirect(EbpfAssembler a, int egressFd, int dstMac, int srcMac, int ifIndex) {
        a.load(Size.WORD, R1, R9, dstMac).store(Size.WORD, R7, 0, R1)
                .load(Size.HALF, R1, R9, dstMac + 4).store(Size.HALF, R7, 4, R1)
                .load(Size.WORD, R1, R9, srcMac).store(Size.WORD, R7, 6, R1)
                .load(Size.HALF, R1, R9, srcMac + 4).store(Size.HALF, R7, 10, R1)
                .loadMapFd(R1, egressFd).load(Size.WORD, R2, R9, ifIndex).mov64Immediate(R3, 0)
                .call(BpfAttr.BPF_FUNC_REDIRECT_MAP)
                .exit();
    }

    /** r1 = the checksum r1 (as loaded) updated by the delta r2 (as loaded): ~(~r1 + r2), folded. Clobbers r2. */
    private static void updateChecksum(EbpfAssembler a) {
        a.alu64(Alu.XOR, R1, 0xffff).alu64Register(Alu.ADD, R1, R2);
        fold(a);
        a.alu64(Alu.XOR, R1, 0xffff);
    }

    /** r1 = r1 folded to 16 bits, one's complement (two folds: r1 is at most two 16-bit words). Clobbers r2. */
    private static void fold(EbpfAssembler a) {
        for (int i = 0; i < 2; i++) {
            a.mov64(R2, R1).alu64(Alu.RSH, R2, 16).alu64(Alu.AND, R1, 0xffff).alu64Register(Alu.ADD, R1, R2);
        }
    }

    /** The 16-bit value whose little-endian load reads {@code value}'s network-order bytes. */
    private static int swap16(int value) {
        return (value & 0xff) << 8 | (value >>> 8) & 0xff;
    }
}
