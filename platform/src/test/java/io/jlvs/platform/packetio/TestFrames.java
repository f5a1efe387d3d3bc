package io.jlvs.platform.packetio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Ethernet/IPv4/UDP test frames that carry a marker (UDP destination port 7, payload "JLVS" + tag + sequence), so
 * tests can pick their own frames out of whatever else crosses the wire.
 */
final class TestFrames {
    static final long DST_MAC = 0x02_00_00_00_00_02L, SRC_MAC = 0x02_00_00_00_00_01L;
    private static final int MARK_PORT = 7, MAGIC = 0x4A4C5653;

    private TestFrames() {}

    static byte[] udp(int srcIp, int dstIp, int srcPort, int tag, int sequence, int payloadLength) {
        int ipLength = 20 + 8 + Math.max(payloadLength, 12);
        ByteBuffer frame = ByteBuffer.allocate(14 + ipLength);
        putMac(frame, DST_MAC);
        putMac(frame, SRC_MAC);
        frame.putShort((short) 0x0800);
        int ip = frame.position();
        frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) sequence).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(srcIp).putInt(dstIp);
        frame.putShort(ip + 10, ipv4HeaderChecksum(frame.array(), ip));
        frame.putShort((short) srcPort).putShort((short) MARK_PORT).putShort((short) (ipLength - 20)).putShort((short) 0);
        frame.putInt(MAGIC).putInt(tag).putInt(sequence);
        for (int i = 12; i < payloadLength; i++) frame.put((byte) (sequence + i));
        return frame.array();
    }

    static byte[] arpRequest(int senderIp, int targetIp) {
        ByteBuffer frame = ByteBuffer.allocate(60);
        putMac(frame, 0xFFFF_FFFF_FFFFL);
        putMac(frame, SRC_MAC);
        frame.putShort((short) 0x0806).putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4)
                .putShort((short) 1);
        putMac(frame, SRC_MAC);
        frame.putInt(senderIp);
        putMac(frame, 0);
        frame.putInt(targetIp);
        return frame.array();
    }

    static byte[] ipv6Udp() {
        ByteBuffer frame = ByteBuffer.allocate(14 + 40 + 8);
        putMac(frame, DST_MAC);
        putMac(frame, SRC_MAC);
        frame.putShort((short) 0x86DD).putInt(0x6000_0000).putShort((short) 8).put((byte) 17).put((byte) 64);
        frame.putLong(0xFD00_0000_0000_0000L).putLong(1).putLong(0xFD00_0000_0000_0000L).putLong(2);
        frame.putShort((short) 1000).putShort((short) MARK_PORT).putShort((short) 8).putShort((short) 0);
        return frame.array();
    }

    /** Tag of a marked frame, or -1 for any other frame. */
    static int tagOf(byte[] frame) {
        if (frame.length < 14 + 20 + 8 + 12) return -1;
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (b.getShort(12) != 0x0800 || b.get(14 + 9) != 17 || b.getShort(14 + 20 + 2) != MARK_PORT) return -1;
        if (b.getInt(14 + 28) != MAGIC) return -1;
        return b.getInt(14 + 32);
    }

    static int sourcePort(byte[] frame) {
        return Short.toUnsignedInt(ByteBuffer.wrap(frame).getShort(14 + 20));
    }

    static MemorySegment toNative(Arena arena, byte[] frame) {
        return arena.allocate(frame.length).copyFrom(MemorySegment.ofArray(frame));
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    private static short ipv4HeaderChecksum(byte[] frame, int at) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) sum += ((frame[at + i] & 0xFF) << 8) | (frame[at + i + 1] & 0xFF);
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (short) ~sum;
    }
}
