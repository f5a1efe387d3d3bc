package io.jlvs.failover.sync;

import io.jlvs.control.model.Addresses;
import java.nio.ByteBuffer;

/**
 * The kernel's IPVS sync protocol (net/netfilter/ipvs/ip_vs_sync.c), both versions, big-endian.
 * <pre>
 * version 1 message: reserved=0 (8) | syncid (8) | size (16, the whole message) | nr_conns (8) | version=1 (8) | spare=0 (16)
 *   entry: type (8, bit 0 = IPv6) | protocol (8) | ver (4) = 0, size (12) | flags (32) | state (16) | cport | vport |
 *          dport (16 each) | fwmark (32) | timeout (32, seconds) | caddr | vaddr | daddr (4 or 16 bytes each) |
 *          options: type (8), length (8), data (SEQ_DATA = 1, PE_DATA = 2, PE_NAME = 3); the next entry starts at the
 *          next multiple of 4
 * version 0 message: nr_conns (8) | syncid (8) | size (16)
 *   entry: reserved (8) | protocol (8) | cport | vport | dport (16 each) | caddr | vaddr | daddr (32 each) | flags (16) |
 *          state (16), then 24 bytes of sequence options when flags has IP_VS_CONN_F_SEQ_MASK bits; IPv4 only
 * </pre>
 * A kernel tells the versions apart by the version byte: anything but 1 (with reserved and spare 0) is read as
 * version 0, whose first byte, the entry count, is then the reserved 0: nothing. jlvs's own control messages use
 * that: a header with version {@link #RESYNC_REQUEST} asks the master for its whole table, {@link #RESYNC_END}
 * ends the answer; a kernel backup reads either as an empty version 0 message.
 */
public final class SyncMessages {
    public static final int HEADER_BYTES = 8;
    public static final int V4_ENTRY_BYTES = 36, V6_ENTRY_BYTES = 72;
    public static final int V0_HEADER_BYTES = 4, V0_ENTRY_BYTES = 24, SEQ_OPTION_BYTES = 24;
    public static final int OPT_SEQ_DATA = 1, OPT_PE_DATA = 2, OPT_PE_NAME = 3;
    /** jlvs's control messages (see the class comment). */
    public static final int RESYNC_REQUEST = 0xEA, RESYNC_END = 0xEB;
    static final int PROTO_TCP = 6, PROTO_UDP = 17, PROTO_SCTP = 132;

    private SyncMessages() {}

    /** A resync request or end marker of syncid: a header alone. */
    public static int control(ByteBuffer out, int syncId, int kind) {
        int start = out.position();
        out.put((byte) 0).put((byte) syncId).putShort((short) HEADER_BYTES).put((byte) 0).put((byte) kind)
                .putShort((short) 0);
        return out.position() - start;
    }

    /** Builds version 1 messages of at most maxLength bytes. */
    public static final class Writer {
        private final ByteBuffer buffer;
        private final int syncId;
        private int count;

        public Writer(int maxLength, int syncId) {
            if (maxLength < HEADER_BYTES + V6_ENTRY_BYTES) throw new IllegalArgumentException("sync maxlen " + maxLength);
            this.buffer = ByteBuffer.allocate(maxLength);
            this.syncId = syncId;
            reset();
        }

        private void reset() {
            buffer.clear();
            buffer.position(HEADER_BYTES);
            count = 0;
        }

        /** Whether one more entry of this family fits (else {@link #finish} and start over). */
        public boolean fits(boolean ipv6) {
            int pad = (4 - (buffer.position() & 3)) & 3;
            return count < 255 && buffer.position() + pad + (ipv6 ? V6_ENTRY_BYTES : V4_ENTRY_BYTES) <= buffer.capacity();
        }

        public boolean isEmpty() { return count == 0; }

        /** Appends an entry (no options); call {@link #fits} first. */
        public void add(SyncEntry e) {
            while ((buffer.position() & 3) != 0) buffer.put((byte) 0);
            int size = e.ipv6 ? V6_ENTRY_BYTES : V4_ENTRY_BYTES;
            buffer.put((byte) (e.ipv6 ? 1 : 0)).put((byte) e.protocol).putShort((short) size).putInt(e.flags)
                    .putShort((short) e.state).putShort((short) e.clientPort).putShort((short) e.virtualPort)
                    .putShort((short) e.destPort).putInt(e.fwmark).putInt(e.timeoutSeconds);
            address(e.ipv6, e.clientHi, e.clientLo);
            address(e.ipv6, e.virtualHi, e.virtualLo);
            address(e.ipv6, e.destHi, e.destLo);
            count++;
        }

        private void address(boolean ipv6, long hi, long lo) {
            if (ipv6) buffer.putLong(hi).putLong(lo);
            else buffer.putInt((int) lo);
        }

        /** The message so far, header filled in, as a buffer to send (valid until the next add); starts a new one. */
        public ByteBuffer finish() {
            int size = buffer.position();
            buffer.put(0, (byte) 0).put(1, (byte) syncId).putShort(2, (short) size).put(4, (byte) count)
                    .put(5, (byte) 1).putShort(6, (short) 0);
            ByteBuffer message = ByteBuffer.wrap(buffer.array(), 0, size).slice();
            ByteBuffer copy = ByteBuffer.allocate(size).put(message).flip();
            reset();
            return copy;
        }
    }

    /** What a reader found in one datagram. */
    public interface Sink {
        void entry(SyncEntry entry);

        /** A jlvs control message (RESYNC_REQUEST or RESYNC_END) of the reader's syncid. */
        default void control(int kind) {}
    }

    /**
     * Reads one datagram: entries go to the sink one by one (in the reused {@code entry}); returns null when the
     * whole message was read, else why the rest was dropped. syncId 0 accepts every sync id, as the kernel's
     * backup does.
     */
    public static SyncDrop read(ByteBuffer m, int syncId, SyncEntry entry, Sink sink) {
        int length = m.remaining();
        int base = m.position();
        if (length < V0_HEADER_BYTES) return SyncDrop.TOO_SHORT;
        int size = m.getShort(base + 2) & 0xFFFF;
        if (size != length) return SyncDrop.SIZE;
        int id = m.get(base + 1) & 0xFF;
        if (syncId != 0 && id != syncId) return SyncDrop.OTHER_SYNCID;
        int reserved = m.get(base) & 0xFF;
        if (length >= HEADER_BYTES && reserved == 0 && (m.getShort(base + 6) & 0xFFFF) == 0) {
            int version = m.get(base + 5) & 0xFF;
            if (version == 1) return readV1(m, base, length, entry, sink);
            if (version == RESYNC_REQUEST || version == RESYNC_END) {
                sink.control(version);
                return null;
            }
        }
        return readV0(m, base, length, entry, sink);
    }

    private static SyncDrop readV1(ByteBuffer m, int base, int length, SyncEntry e, Sink sink) {
        int count = m.get(base + 4) & 0xFF;
        int p = base + HEADER_BYTES;
        int end = base + length;
        for (int i = 0; i < count; i++) {
            if (p + V4_ENTRY_BYTES > end) return SyncDrop.ENTRY_TRUNCATED;
            int verSize = m.getShort(p + 2) & 0xFFFF;
            int size = verSize & 0x0FFF;
            if ((verSize >>> 12) != 0) return SyncDrop.ENTRY_VERSION;
            if (p + size > end) return SyncDrop.ENTRY_TRUNCATED;
            e.ipv6 = (m.get(p) & 1) != 0;
            int fixed = e.ipv6 ? V6_ENTRY_BYTES : V4_ENTRY_BYTES;
            if (size < fixed) return SyncDrop.ENTRY_TRUNCATED;
            e.protocol = m.get(p + 1) & 0xFF;
            e.flags = m.getInt(p + 4);
            e.state = m.getShort(p + 8) & 0xFFFF;
            e.clientPort = m.getShort(p + 10) & 0xFFFF;
            e.virtualPort = m.getShort(p + 12) & 0xFFFF;
            e.destPort = m.getShort(p + 14) & 0xFFFF;
            e.fwmark = m.getInt(p + 16);
            e.timeoutSeconds = m.getInt(p + 20);
            int a = p + 24;
            if (e.ipv6) {
                e.clientHi = m.getLong(a); e.clientLo = m.getLong(a + 8);
                e.virtualHi = m.getLong(a + 16); e.virtualLo = m.getLong(a + 24);
                e.destHi = m.getLong(a + 32); e.destLo = m.getLong(a + 40);
            } else {
                e.clientHi = 0; e.clientLo = Addresses.mappedLo(m.getInt(a));
                e.virtualHi = 0; e.virtualLo = Addresses.mappedLo(m.getInt(a + 4));
                e.destHi = 0; e.destLo = Addresses.mappedLo(m.getInt(a + 8));
            }
            SyncDrop options = checkOptions(m, p + fixed, p + size);
            if (options != null) return options;
            if (!plausible(e)) return SyncDrop.BAD_ENTRY;
            sink.entry(e);
            p += (size + 3) & ~3;
        }
        return null;
    }

    /** Options are type, length, data; each type at most once (the kernel's rule); their data is not used. */
    private static SyncDrop checkOptions(ByteBuffer m, int p, int end) {
        int seen = 0;
        while (p < end) {
            if (p + 2 > end) return SyncDrop.OPTION;
            int type = m.get(p) & 0xFF;
            int len = m.get(p + 1) & 0xFF;
            if (p + 2 + len > end) return SyncDrop.OPTION;
            if (type >= 1 && type <= 3) {
                if ((seen & (1 << type)) != 0) return SyncDrop.OPTION;
                seen |= 1 << type;
            }
            p += 2 + len;
        }
        return null;
    }

    private static SyncDrop readV0(ByteBuffer m, int base, int length, SyncEntry e, Sink sink) {
        int count = m.get(base) & 0xFF;
        int p = base + V0_HEADER_BYTES;
        int end = base + length;
        for (int i = 0; i < count; i++) {
            if (p + V0_ENTRY_BYTES > end) return SyncDrop.ENTRY_TRUNCATED;
            e.ipv6 = false;
            e.protocol = m.get(p + 1) & 0xFF;
            e.clientPort = m.getShort(p + 2) & 0xFFFF;
            e.virtualPort = m.getShort(p + 4) & 0xFFFF;
            e.destPort = m.getShort(p + 6) & 0xFFFF;
            e.clientHi = 0; e.clientLo = Addresses.mappedLo(m.getInt(p + 8));
            e.virtualHi = 0; e.virtualLo = Addresses.mappedLo(m.getInt(p + 12));
            e.destHi = 0; e.destLo = Addresses.mappedLo(m.getInt(p + 16));
            e.flags = m.getShort(p + 20) & 0xFFFF;
            e.state = m.getShort(p + 22) & 0xFFFF;
            e.fwmark = 0;
            e.timeoutSeconds = 0; // version 0 carries none: the backup uses the state's
            p += V0_ENTRY_BYTES;
            if ((e.flags & SyncEntry.F_SEQ_MASK) != 0) {
                if (p + SEQ_OPTION_BYTES > end) return SyncDrop.ENTRY_TRUNCATED;
                p += SEQ_OPTION_BYTES;
            }
            if (!plausible(e)) return SyncDrop.BAD_ENTRY;
            sink.entry(e);
        }
        return null;
    }

    private static boolean plausible(SyncEntry e) {
        boolean known = e.protocol == PROTO_TCP || e.protocol == PROTO_UDP || e.protocol == PROTO_SCTP;
        return known && (e.destHi | (e.destLo & 0xFFFF_FFFFL)) != 0;
    }
}
