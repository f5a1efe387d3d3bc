package io.jlvs.failover.sync;

import java.nio.ByteBuffer;

import static io.jlvs.failover.sync.SyncLayout.*;

/**
 * Packs entries into sync messages of at most maxLength bytes, as the kernel's master does: version 1 by default
 * (each entry padded to a multiple of 4 before it, options SEQ_DATA, PE_DATA, PE_NAME in the kernel's order) or
 * version 0 (sync_version 0: IPv4 without options but the sequence data; jlvs's splice option is left out). As the kernel's
 * ip_vs_sync_buff_create, a message always takes its first entry, even one longer than maxLength. One buffer,
 * allocated once; nothing per entry or per message. Used from one thread.
 */
public final class SyncMessageWriter {
    /** What {@link #append} did. */
    public enum Append {
        /** The entry is in the message. */
        ADDED,
        /** The message is full: {@link #finish} it and append again. */
        MESSAGE_FULL,
        /** Version 0 cannot carry the entry: IPv6, or a persistence engine's name or data. */
        NOT_REPRESENTABLE
    }

    /** The longest version 1 entry: IPv6 with every option at its longest. */
    static final int LONGEST_V1_ENTRY = V6_ENTRY_BYTES + 2 + SEQ_OPTION_BYTES + 2 + SyncEntry.PE_DATA_MAX + 2
            + SyncEntry.PE_NAME_MAX + 2 + SPLICE_OPTION_BYTES + 2 + FULLNAT6_OPTION_BYTES;
    private final byte[] bytes;
    private final int maxLength;
    private final ByteBuffer buffer;
    private final ByteBuffer message;
    private final int syncId;
    private final int version;
    private int count;

    private SyncMessageWriter(int version, int maxLength, int syncId) {
        if (maxLength < 1 || maxLength > 0xFFFF) {
            throw new IllegalArgumentException("sync message length " + maxLength + " outside 1..65535");
        }
        if (syncId < 0 || syncId > 255) throw new IllegalArgumentException("syncid " + syncId + " outside 0..255");
        this.version = version;
        this.syncId = syncId;
        this.maxLength = maxLength;
        int longestAlone = version == VERSION_1 ? HEADER_BYTES + LONGEST_V1_ENTRY
                : V0_HEADER_BYTES + V0_ENTRY_BYTES + SEQ_OPTION_BYTES;
        this.bytes = new byte[Math.max(maxLength, longestAlone)];
        this.buffer = ByteBuffer.wrap(bytes);
        this.message = ByteBuffer.wrap(bytes);
        reset();
    }

    /** The kernel's default (sync_version 1). */
    public static SyncMessageWriter version1(int maxLength, int syncId) {
        return new SyncMessageWriter(VERSION_1, maxLength, syncId);
    }

    /** sync_version 0, for backups running kernels before 2.6.39. */
    public static SyncMessageWriter version0(int maxLength, int syncId) {
        return new SyncMessageWriter(0, maxLength, syncId);
    }

    public int version() { return version; }

    public int maxLength() { return maxLength; }

    public boolean isEmpty() { return count == 0; }

    public int entries() { return count; }

    private void reset() {
        buffer.clear().position(version == VERSION_1 ? HEADER_BYTES : V0_HEADER_BYTES);
        count = 0;
    }

    /** Appends the entry to the message being built. */
    public Append append(SyncEntry e) {
        return version == VERSION_1 ? appendV1(e) : appendV0(e);
    }

    private Append appendV1(SyncEntry e) {
        int len = v1EntryBytes(e);
        int pad = (4 - (buffer.position() & 3)) & 3;
        if (count > 0 && (count == MAX_ENTRIES || buffer.position() + pad + len > maxLength)) {
            return Append.MESSAGE_FULL;
        }
        for (int i = 0; i < pad; i++) buffer.put((byte) 0);
        buffer.put((byte) (e.ipv6 ? TYPE_INET6 : 0)).put((byte) e.protocol).putShort((short) len)
                .putInt(e.flags & ~SyncEntry.F_HASHED).putShort((short) e.state).putShort((short) e.clientPort)
                .putShort((short) e.virtualPort).putShort((short) e.destPort).putInt(e.fwmark).putInt(e.timeoutSeconds);
        address(e.ipv6, e.clientHi, e.clientLo);
        address(e.ipv6, e.virtualHi, e.virtualLo);
        address(e.ipv6, e.destHi, e.destLo);
        if (e.hasSeq()) {
            buffer.put((byte) OPT_SEQ_DATA).put((byte) SEQ_OPTION_BYTES);
            for (int word : e.seq) buffer.putInt(word);
        }
        if (e.peDataLength > 0) buffer.put((byte) OPT_PE_DATA).put((byte) e.peDataLength).put(e.peData, 0, e.peDataLength);
        if (e.peNameLength > 0) buffer.put((byte) OPT_PE_NAME).put((byte) e.peNameLength).put(e.peName, 0, e.peNameLength);
        if (e.splice.present()) splice(e.splice);
        if (e.fullNat.present()) fullNat(e.ipv6, e.fullNat);
        count++;
        return Append.ADDED;
    }

    private void splice(SyncSplice s) {
        buffer.put((byte) OPT_JLVS_SPLICE).put((byte) SPLICE_OPTION_BYTES).put((byte) s.state).put((byte) s.flags)
                .put((byte) s.clientScale).put((byte) s.windowShift).put((byte) s.mssIndex).put((byte) 0)
                .putShort((short) 0).putInt(s.clientIsn).putInt(s.directorIsn).putInt(s.clientTs).putInt(s.directorTs)
                .putInt(s.seqDelta).putInt(s.tsDelta);
    }

    private void fullNat(boolean ipv6, SyncFullNat f) {
        buffer.put((byte) OPT_JLVS_FULLNAT).put((byte) fullNatOptionBytes(ipv6));
        address(ipv6, f.localHi, ipv6 ? f.localLo : f.localAddress);
        buffer.putShort((short) f.localPort).put((byte) f.flags).put((byte) 0).putInt(f.clientIsn);
    }

    private void address(boolean ipv6, long hi, long lo) {
        if (ipv6) buffer.putLong(hi).putLong(lo);
        else buffer.putInt((int) lo);
    }

    private Append appendV0(SyncEntry e) {
        if (e.ipv6 || e.peNameLength > 0 || e.peDataLength > 0 || e.fullNat.present()) return Append.NOT_REPRESENTABLE;
        int len = V0_ENTRY_BYTES + (e.hasSeq() ? SEQ_OPTION_BYTES : 0);
        if (count > 0 && (count == MAX_ENTRIES || buffer.position() + len > maxLength)) return Append.MESSAGE_FULL;
        buffer.put((byte) 0).put((byte) e.protocol).putShort((short) e.clientPort).putShort((short) e.virtualPort)
                .putShort((short) e.destPort).putInt((int) e.clientLo).putInt((int) e.virtualLo).putInt((int) e.destLo)
                .putShort((short) (e.flags & ~SyncEntry.F_HASHED)).putShort((short) e.state);
        if (e.hasSeq()) for (int word : e.seq) buffer.putInt(word);
        count++;
        return Append.ADDED;
    }

    /**
     * Completes the message (header filled in) and starts the next: the returned buffer, from its position to its
     * limit, is the message, valid until the next {@link #append}.
     */
    public ByteBuffer finish() {
        int size = buffer.position();
        if (version == VERSION_1) {
            buffer.put(OFF_RESERVED, (byte) 0).put(OFF_SYNCID, (byte) syncId).putShort(OFF_SIZE, (short) size)
                    .put(OFF_NR_CONNS, (byte) count).put(OFF_VERSION, (byte) VERSION_1).putShort(OFF_SPARE, (short) 0);
        } else {
            buffer.put(V0_OFF_NR_CONNS, (byte) count).put(V0_OFF_SYNCID, (byte) syncId)
                    .putShort(V0_OFF_SIZE, (short) size);
        }
        reset();
        return message.clear().limit(size);
    }
}
