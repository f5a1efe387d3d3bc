package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * AF_PACKET socket options shared by both backends (libpcap's socket is an AF_PACKET socket too, so the kernel
 * filter and the fanout group are set on it the same way). Constants from linux/if_packet.h and asm/socket.h.
 */
final class PacketSockets {
    private PacketSockets() {}

    static final int AF_PACKET = 17;
    static final int ETH_P_ALL = 0x0003;
    static final int ARPHRD_ETHER = 1;

    static final int SO_ATTACH_FILTER = 26;
    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5, PACKET_STATISTICS = 6, PACKET_VERSION = 10, PACKET_TX_RING = 13,
            PACKET_RESERVE = 12, PACKET_LOSS = 14, PACKET_VNET_HDR = 15, PACKET_FANOUT = 18, PACKET_QDISC_BYPASS = 20, PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V2 = 1, TPACKET_V3 = 2;

    static final int PACKET_FANOUT_HASH = 0;
    static final int PACKET_FANOUT_FLAG_IGNORE_OUTGOING = 0x4000;

    /** Replaces the socket's classic BPF filter; the kernel swaps it atomically (no window without a filter). */
    static void attachFilter(int fd, BpfProgram program) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_ATTACH_FILTER, program.toSockFprog(arena),
                    "SO_ATTACH_FILTER, " + program.length() + " instructions");
        }
    }

    /**
     * Joins fanout group {@code group} with flow hashing, so one flow always reaches the same worker. Without
     * FLAG_DEFRAG: the fragments of a datagram hash alike anyway (the flow hash of a fragment, the first too, covers
     * its addresses only), and the workers forward them one by one (FragmentTracker); reassembled datagrams would
     * not fit the receive ring's frames, nor the egress MTU. A socket in a
     * fanout group receives through the group's hook, not its own, so its PACKET_IGNORE_OUTGOING no longer
     * applies: the group needs FLAG_IGNORE_OUTGOING (recent kernels, 2024); older ones reject it and we join without.
     *
     * @return whether the group ignores outgoing frames
     */
    static boolean joinFanout(int fd, int group) throws IOException {
        int base = PACKET_FANOUT_HASH;
        try {
            Libc.setsockoptInt(fd, SOL_PACKET, PACKET_FANOUT,
                    (group & 0xFFFF) | ((base | PACKET_FANOUT_FLAG_IGNORE_OUTGOING) << 16),
                    "PACKET_FANOUT group " + group + " hash+ignore_outgoing");
            return true;
        } catch (IOException rejected) {
            Libc.setsockoptInt(fd, SOL_PACKET, PACKET_FANOUT, (group & 0xFFFF) | (base << 16),
                    "PACKET_FANOUT group " + group + " hash");
            return false;
        }
    }

    /** struct sockaddr_ll for bind: family, protocol (network order), ifindex; the rest zero. */
    static void bindToInterface(int fd, int ifIndex, String ifName) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(20, 4);
            address.set(JAVA_SHORT, 0, (short) AF_PACKET);
            address.set(JAVA_BYTE, 2, (byte) (ETH_P_ALL >>> 8));
            address.set(JAVA_BYTE, 3, (byte) ETH_P_ALL);
            address.set(JAVA_INT, 4, ifIndex);
            Libc.bind(fd, address, "AF_PACKET " + ifName + " ifindex " + ifIndex);
        }
    }

    /** tpacket_stats_v3 {packets, drops, freeze_q_cnt}; reading resets the kernel's counters. Returns drops. */
    static long readAndResetDrops(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stats = arena.allocate(12, 4);
            Libc.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats, "PACKET_STATISTICS");
            return Integer.toUnsignedLong(stats.get(JAVA_INT, 4));
        }
    }
}
