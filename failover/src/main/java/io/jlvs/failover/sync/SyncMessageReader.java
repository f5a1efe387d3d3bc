package io.jlvs.failover.sync;

import io.jlvs.control.model.Addresses;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongArray;

import static io.jlvs.failover.sync.SyncLayout.*;

/**
 * Reads sync messages of both versions as the kernel's backup does (ip_vs_process_message): the size in the
 * header must be the datagram's, another sync id is ignored (sync id 0 accepts all), version 1 entries are checked
 * for their size, version, options and state, and the first bad one drops the rest of the message; a version 0
 * entry of an unknown protocol or state is skipped alone. Optional options (type bit {@link SyncLayout#OPT_F_PARAM})
 * of unknown types are skipped (jlvs's splice option, {@link SyncSplice}, is read and checked), unknown mandatory ones drop. Every drop is counted by reason. One entry object is
 * filled for each entry in turn: nothing is allocated per message or entry. Used from one thread; counters may be
 * read from any.
 */
public final class SyncMessageReader {
    /** What a message holds. */
    public interface Handler {
        /** An entry, valid during the call only (the reader reuses it). */
        void entry(SyncEntry entry);

        /** A jlvs control message ({@link SyncControl}) of the reader's sync id. */
        default void control(int kind) {}
    }

    private final int syncId;
    private final SyncEntry entry = new SyncEntry();
    private final AtomicLongArray drops = new AtomicLongArray(SyncDrop.values().length);

    /** A reader of messages of syncId (0: of every sync id, as the kernel's backup with syncid 0). */
    public SyncMessageReader(int syncId) {
        if (syncId < 0 || syncId > 255) throw new IllegalArgumentException("syncid " + syncId + " outside 0..255");
        this.syncId = syncId;
    }

    public long dropped(SyncDrop reason) { return drops.get(reason.ordinal()); }

    /** Drops of every reason. */
    public long dropped() {
        long sum = 0;
        for (int i = 0; i < drops.length(); i++) sum += drops.get(i);
        return sum;
    }

    /**
     * Reads the message from m's position to its limit (m's position is left unchanged). Returns null when it was
     * read to its end (entries skipped on the way counted), else the reason the rest of it was dropped.
     */
    public SyncDrop read(ByteBuffer m, Handler handler) {
        SyncDrop drop = readMessage(m, m.position(), m.remaining(), handler);
        if (drop != null) drops.incrementAndGet(drop.ordinal());
        return drop;
    }

    private SyncDrop readMessage(ByteBuffer m, int base, int length, Handler handler) {
        if (length < V0_HEADER_BYTES) return SyncDrop.TOO_SHORT;
        if ((m.getShort(base + OFF_SIZE) & 0xFFFF) != length) return SyncDrop.SIZE;
        if (syncId != 0 && (m.get(base + OFF_SYNCID) & 0xFF) != syncId) return SyncDrop.OTHER_SYNCID;
        if (length >= HEADER_BYTES && m.get(base + OFF_RESERVED) == 0 && m.getShort(base + OFF_SPARE) == 0) {
            int version = m.get(base + OFF_VERSION) & 0xFF;
            if (version == VERSION_1) return readV1(m, base, base + length, handler);
            if (SyncControl.isControl(version) && m.get(base + OFF_NR_CONNS) == 0) {
                handler.control(version);
                return null;
            }
        }
        return readV0(m, base, base + length, handler);
    }

    private SyncDrop readV1(ByteBuffer m, int base, int end, Handler handler) {
        SyncEntry e = entry;
        int count = m.get(base + OFF_NR_CONNS) & 0xFF;
        int p = base + HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            if (p + V4_ENTRY_BYTES > end) return SyncDrop.ENTRY_TRUNCATED;
            int verSize = m.getShort(p + E_VER_SIZE) & 0xFFFF;
            int size = verSize & SVER_MASK;
            if (p + size > end) return SyncDrop.ENTRY_TRUNCATED;
            if ((verSize >>> SVER_SHIFT) != 0) return SyncDrop.ENTRY_VERSION;
            e.ipv6 = (m.get(p + E_TYPE) & TYPE_INET6) != 0;
            int fixed = e.ipv6 ? V6_ENTRY_BYTES : V4_ENTRY_BYTES;
            if (size < fixed) return SyncDrop.ENTRY_SIZE;
            e.protocol = m.get(p + E_PROTOCOL) & 0xFF;
            e.flags = m.getInt(p + E_FLAGS);
            e.state = m.getShort(p + E_STATE) & 0xFFFF;
            e.clientPort = m.getShort(p + E_CPORT) & 0xFFFF;
            e.virtualPort = m.getShort(p + E_VPORT) & 0xFFFF;
            e.destPort = m.getShort(p + E_DPORT) & 0xFFFF;
            e.fwmark = m.getInt(p + E_FWMARK);
            e.timeoutSeconds = m.getInt(p + E_TIMEOUT);
            int a = p + E_ADDRESSES;
            if (e.ipv6) {
                e.clientHi = m.getLong(a); e.clientLo = m.getLong(a + 8);
                e.virtualHi = m.getLong(a + 16); e.virtualLo = m.getLong(a + 24);
                e.destHi = m.getLong(a + 32); e.destLo = m.getLong(a + 40);
            } else {
                e.clientHi = 0; e.clientLo = Addresses.mappedLo(m.getInt(a));
                e.virtualHi = 0; e.virtualLo = Addresses.mappedLo(m.getInt(a + 4));
                e.destHi = 0; e.destLo = Addresses.mappedLo(m.getInt(a + 8));
            }
            SyncDrop options = readOptions(m, p + fixed, p + size, e);
            if (options != null) return options;
            SyncDrop invalid = checkProtocolAndState(e);
            if (invalid != null) return invalid;
            handler.entry(e);
            p += (size + 3) & ~3;
        }
        return null;
    }

    /** Options as ip_vs_proc_sync_conn reads them: each known type once, of a length its type allows. */
    private static SyncDrop readOptions(ByteBuffer m, int p, int end, SyncEntry e) {
        e.clearOptions();
        int seen = 0;
        while (p < end) {
            if (p + 2 > end) return SyncDrop.OPTION_LENGTH;
            int type = m.get(p) & 0xFF;
            int len = m.get(p + 1) & 0xFF;
            p += 2;
            if (len == 0 || p + len > end) return SyncDrop.OPTION_LENGTH;
            int kind = type & ~OPT_F_PARAM;
            if ((kind >= OPT_SEQ_DATA && kind <= OPT_PE_NAME) || type == OPT_JLVS_SPLICE || type == OPT_JLVS_FULLNAT) {
                int bit = type == OPT_JLVS_SPLICE ? 0 : type == OPT_JLVS_FULLNAT ? 4 : kind;
                if ((seen & (1 << bit)) != 0) return SyncDrop.OPTION_REPEATED;
                seen |= 1 << bit;
            }
            if (type == OPT_JLVS_SPLICE || type == OPT_JLVS_FULLNAT) {
                SyncDrop bad = type == OPT_JLVS_SPLICE ? readSplice(m, p, len, e.splice)
                        : readFullNat(m, p, len, e.ipv6, e.fullNat);
                if (bad != null) return bad;
                p += len;
                continue;
            }
            switch (kind) {
                case OPT_SEQ_DATA -> {
                    if (len != SEQ_OPTION_BYTES) return SyncDrop.OPTION_LENGTH;
                    for (int w = 0; w < SyncEntry.SEQ_WORDS; w++) e.seq[w] = m.getInt(p + 4 * w);
                }
                case OPT_PE_DATA -> {
                    m.get(p, e.peData, 0, len);
                    e.peDataLength = len;
                }
                case OPT_PE_NAME -> {
                    if (len > SyncEntry.PE_NAME_MAX) return SyncDrop.OPTION_LENGTH;
                    m.get(p, e.peName, 0, len);
                    e.peNameLength = len;
                }
                default -> {
                    if ((type & OPT_F_PARAM) == 0) return SyncDrop.OPTION_UNKNOWN;
                }
            }
            p += len;
        }
        return null;
    }

    /** jlvs's splice option: its length, a known state, window scales within TCP's, reserved bytes 0. */
    private static SyncDrop readSplice(ByteBuffer m, int p, int len, SyncSplice s) {
        if (len != SPLICE_OPTION_BYTES) return SyncDrop.OPTION_LENGTH;
        int state = m.get(p) & 0xFF, scale = m.get(p + 2), shift = m.get(p + 3);
        if ((state != SyncSplice.OPENING && state != SyncSplice.SPLICED) || scale < -1 || scale > 14
                || shift < -14 || shift > 14 || (m.get(p + 1) & ~(SyncSplice.F_SACK | SyncSplice.F_TIMESTAMPS)) != 0
                || m.get(p + 5) != 0 || m.getShort(p + 6) != 0) {
            return SyncDrop.OPTION_VALUE;
        }
        s.state = state;
        s.flags = m.get(p + 1);
        s.clientScale = scale;
        s.windowShift = shift;
        s.mssIndex = m.get(p + 4) & 0xFF;
        s.clientIsn = m.getInt(p + 8);
        s.directorIsn = m.getInt(p + 12);
        s.clientTs = m.getInt(p + 16);
        s.directorTs = m.getInt(p + 20);
        s.seqDelta = m.getInt(p + 24);
        s.tsDelta = m.getInt(p + 28);
        return null;
    }

    /**
     * jlvs's FullNAT option: its length for the entry's family, a local address (IPv4 or IPv6) and a port, known
     * flags, reserved 0.
     */
    private static SyncDrop readFullNat(ByteBuffer m, int p, int len, boolean ipv6, SyncFullNat f) {
        if (len != fullNatOptionBytes(ipv6)) return SyncDrop.OPTION_LENGTH;
        long hi = ipv6 ? m.getLong(p) : 0, lo = ipv6 ? m.getLong(p + 8) : 0;
        int address = ipv6 ? 0 : m.getInt(p);
        int q = p + (ipv6 ? 16 : 4);
        int port = m.getShort(q) & 0xFFFF, flags = m.get(q + 2) & 0xFF;
        if ((ipv6 ? (hi | lo) == 0 : address == 0) || port == 0 || (flags & ~SyncFullNat.F_PROXY_HEADER) != 0
                || m.get(q + 3) != 0) {
            return SyncDrop.OPTION_VALUE;
        }
        f.localAddress = address;
        f.localHi = hi;
        f.localLo = lo;
        f.localPort = port;
        f.flags = flags;
        f.clientIsn = m.getInt(q + 4);
        return null;
    }

    private static SyncDrop checkProtocolAndState(SyncEntry e) {
        if (e.template()) return null; // a template's state is not checked: the kernel resets a bad one to NONE
        int states = SyncLayout.states(e.protocol, false);
        if (states == 0) return SyncDrop.PROTOCOL;
        return e.state < states ? null : SyncDrop.STATE;
    }

    private SyncDrop readV0(ByteBuffer m, int base, int end, Handler handler) {
        SyncEntry e = entry;
        int count = m.get(base + V0_OFF_NR_CONNS) & 0xFF;
        int p = base + V0_HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            if (p + V0_ENTRY_BYTES > end) return SyncDrop.ENTRY_TRUNCATED;
            e.ipv6 = false;
            e.protocol = m.get(p + V0_E_PROTOCOL) & 0xFF;
            e.clientPort = m.getShort(p + V0_E_CPORT) & 0xFFFF;
            e.virtualPort = m.getShort(p + V0_E_VPORT) & 0xFFFF;
            e.destPort = m.getShort(p + V0_E_DPORT) & 0xFFFF;
            e.clientHi = 0; e.clientLo = Addresses.mappedLo(m.getInt(p + V0_E_CADDR));
            e.virtualHi = 0; e.virtualLo = Addresses.mappedLo(m.getInt(p + V0_E_VADDR));
            e.destHi = 0; e.destLo = Addresses.mappedLo(m.getInt(p + V0_E_DADDR));
            e.flags = m.getShort(p + V0_E_FLAGS) & 0xFFFF;
            e.state = m.getShort(p + V0_E_STATE) & 0xFFFF;
            e.fwmark = 0;
            e.timeoutSeconds = 0;
            e.clearOptions();
            p += V0_ENTRY_BYTES;
            if (e.hasSeq()) {
                if (p + SEQ_OPTION_BYTES > end) return SyncDrop.ENTRY_TRUNCATED;
                for (int w = 0; w < SyncEntry.SEQ_WORDS; w++) e.seq[w] = m.getInt(p + 4 * w);
                p += SEQ_OPTION_BYTES;
            }
            SyncDrop invalid = checkProtocolAndState(e);
            if (invalid != null) {
                drops.incrementAndGet(invalid.ordinal());
                continue;
            }
            handler.entry(e);
        }
        return null;
    }
}
