package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.IpFragments;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * TCP and UDP fragments, IPv4 and IPv6, forwarded one by one without reassembly. IPVS sees reassembled datagrams
 * (IPv4 through local delivery, IPv6 through nf_defrag_ipv6) and its output path fragments them again; here each
 * fragment goes on by itself, as its datagram's connection sends it. Only the first fragment (offset 0) holds the
 * ports, so the tracker learns them from it, keyed by (family, source, destination, protocol, identification),
 * and gives them to the datagram's later fragments: the pipeline then finds the same connection and rewrites
 * their IP header as the first fragment's (NAT: the transport checksum is in the first fragment and covers the
 * whole datagram, so its incremental update for the new address and port is right; later fragments only change
 * addresses). Nothing is reassembled, so nothing is copied on the way and no fragment waits for the others. An
 * IPv6 datagram is keyed by its fragment header's Next Header, the same in every fragment; when the fragmentable
 * part opens with extension headers (destination options), that is not the transport protocol, which the first
 * fragment's parse found behind them and the tracker lends to the later fragments with the ports. A datagram whose
 * first fragment the pipeline could not forward as it came ({@link #refuseLaterFragments}) has its later fragments
 * dropped (counted FRAGMENT).
 *
 * <p>A later fragment that comes before its first is held, copied into a fixed off-heap pool, and handed to the
 * pipeline again once the first has passed ({@link #release}); held fragments whose first never comes are dropped
 * after the kernel's ipfrag_time (IPv4 30 s, IPv6 60 s; counted FRAGMENT_TIMEOUT). Memory is bounded as
 * ipfrag_high_thresh bounds the kernel's: {@link #ENTRIES} datagrams and {@link #SLOTS} held frames of at most
 * {@link #SLOT_BYTES} per worker, and {@link #RANGES} gaps in a datagram's passed bytes; beyond that fragments
 * are dropped (FRAGMENT_OVERFLOW). A fragment that contradicts its datagram (past the end the last fragment set, a
 * second different end, bytes that passed already, a middle fragment not a multiple of 8 bytes, past 65535) is
 * dropped as FRAGMENT_BAD. An entry ends when the last fragment and every byte before it have passed, or on
 * timeout.
 *
 * <p>One per worker: fragments of one datagram reach one worker, since the fanout and RSS hashes of a fragment
 * cover its addresses only. Allocation-free after the pool is made (at the first hold).
 */
final class FragmentTracker {
    static final int ENTRIES = 1024, SLOTS = 512, SLOT_BYTES = 2048;
    static final long IPV4_TIMEOUT_NANOS = 30_000_000_000L, IPV6_TIMEOUT_NANOS = 60_000_000_000L;
    /** Gaps a datagram's passed bytes may have at once (fragments far out of order); more is an overflow. */
    static final int RANGES = 8;
    private static final int BUCKETS = 2 * ENTRIES, NONE = -1, UNKNOWN = -1, MAX_DATAGRAM = 65535;
    /** Expiry is looked for at most this often while nothing else forces it. */
    private static final long SWEEP_NANOS = 1_000_000_000L;

    private final DropCounters drops;
    // The entries: a datagram each, chained from their hash bucket; free ones chained from freeEntry.
    private final int[] bucket = new int[BUCKETS];
    private final int[] next = new int[ENTRIES];
    private final int[] version = new int[ENTRIES];
    private final long[] srcHi = new long[ENTRIES], srcLo = new long[ENTRIES];
    private final long[] dstHi = new long[ENTRIES], dstLo = new long[ENTRIES];
    /** IPv4's protocol, or the IPv6 fragment header's Next Header: the key's protocol. */
    private final int[] protocol = new int[ENTRIES];
    /** The transport protocol the first fragment's parse found (TCP or UDP), once it has passed (portsKnown). */
    private final int[] transport = new int[ENTRIES];
    private final int[] identification = new int[ENTRIES];
    /** The first fragment's ports (source << 16 | destination), once it has passed (portsKnown). */
    private final int[] ports = new int[ENTRIES];
    private final boolean[] portsKnown = new boolean[ENTRIES];
    /** Whether the first fragment went no further than the pipeline's checks: the later ones are dropped. */
    private final boolean[] refused = new boolean[ENTRIES];
    /** The datagram's length once its last fragment said it, else UNKNOWN. */
    private final int[] total = new int[ENTRIES];
    /**
     * The byte ranges of the datagram that have passed, [rangeStart, rangeEnd), sorted and apart (adjacent ones
     * merge), at most RANGES per entry from RANGES * entry on; in order or in reverse they stay one range.
     */
    private final int[] rangeStart = new int[ENTRIES * RANGES], rangeEnd = new int[ENTRIES * RANGES];
    private final int[] ranges = new int[ENTRIES];
    private final long[] deadline = new long[ENTRIES];
    /** The first of the entry's held frames, NONE when it holds none. */
    private final int[] held = new int[ENTRIES];
    /** A -o datagram's server (its first fragment made no connection), NONE otherwise. */
    private final int[] server = new int[ENTRIES];
    /** The entry of the fragment admitted last, while it lasts; NONE after one that ended its entry. */
    private int admitted = NONE;
    /** The server of the fragment admitted last (see {@link #rememberServer}), NONE when none was remembered. */
    private int admittedServer = NONE;
    private int freeEntry;
    private int entries;

    // The held frames: a slot each of the pool, chained per entry; free ones chained from freeSlot.
    private MemorySegment pool;
    private final int[] slotNext = new int[SLOTS];
    private final int[] slotLength = new int[SLOTS];
    private final int[] slotStatus = new int[SLOTS];
    private final PacketPort[] slotPort = new PacketPort[SLOTS];
    private int freeSlot;
    private int heldFrames;
    /** Entries whose first fragment passed while they held later ones: {@link #release} hands those on. */
    private int releasable;
    private long nextSweep;

    FragmentTracker(DropCounters drops) {
        this.drops = drops;
        java.util.Arrays.fill(bucket, NONE);
        for (int i = 0; i < ENTRIES; i++) next[i] = i + 1 < ENTRIES ? i + 1 : NONE;
        for (int i = 0; i < SLOTS; i++) slotNext[i] = i + 1 < SLOTS ? i + 1 : NONE;
    }

    /** Whether {@link #release} has work now: held frames whose first fragment has passed. */
    boolean hasReleasable() { return releasable > 0; }

    /**
     * Remembers, for the datagram of the first fragment just admitted, the server a -o service sent it to without a
     * connection: its later fragments follow it there ({@link #rememberedServer}).
     */
    void rememberServer(int destId) {
        if (admitted != NONE) server[admitted] = destId;
    }

    /** The server remembered for the datagram of the fragment just admitted, or -1. */
    int rememberedServer() { return admittedServer; }

    /**
     * The fragment just admitted is not forwarded as it came (its connection cannot take a fragmented segment now):
     * the later fragments of its datagram are dropped and counted (FRAGMENT), held ones when they are released.
     */
    void refuseLaterFragments() {
        if (admitted != NONE) refused[admitted] = true;
    }

    /** Datagrams tracked, and frames held; for tests and the log. */
    int datagrams() { return entries; }

    int heldFrames() { return heldFrames; }

    /**
     * A TCP or UDP fragment the pipeline parsed into {@code flow}, or an IPv6 later fragment whose fragmentable part
     * opened with an extension header. True when it goes on: a first fragment (the datagram now tracked), or a later
     * one whose first has passed (its ports and transport protocol now in {@code flow}). False when it was held or
     * dropped (counted).
     */
    boolean admit(MemorySegment seg, long offset, int length, FlowDescription flow, int status, PacketPort from,
                  long now) {
        admitted = NONE; // until this fragment is admitted: an atomic one, held or dropped has no entry to remember
        admittedServer = NONE;
        long header = 0;
        if (flow.ipVersion == 6) {
            header = IpFragments.ipv6FragmentHeader(seg, flow);
            if (header < 0) {
                drops.count(DropReason.FRAGMENT_BAD);
                return false;
            }
        }
        boolean more = IpFragments.moreFragments(seg, flow, header);
        int start = flow.fragmentOffset;
        if (start == 0 && !more) return true; // an IPv6 atomic fragment (RFC 6946): a whole datagram
        int data = IpFragments.dataLength(flow, header);
        int end = start + data;
        if (end > MAX_DATAGRAM || more && (data & 7) != 0 || data <= 0) {
            drops.count(DropReason.FRAGMENT_BAD);
            return false;
        }
        int id = IpFragments.identification(seg, flow, header);
        int keyProtocol = IpFragments.fragmentableProtocol(seg, flow, header);
        int entry = find(flow, keyProtocol, id);
        if (entry != NONE && now - deadline[entry] >= 0) { // a datagram past its time: a new one with a reused id
            timeOut(entry);
            entry = NONE;
        }
        if (entry == NONE) {
            entry = create(flow, keyProtocol, id, now);
            if (entry == NONE) {
                drops.count(DropReason.FRAGMENT_OVERFLOW);
                return false;
            }
        }
        int knownTotal = more ? total[entry] : end;
        boolean contradicts = total[entry] != UNKNOWN ? end > total[entry] || !more && end != total[entry]
                : !more && ranges[entry] > 0 && rangeEnd[RANGES * entry + ranges[entry] - 1] > end;
        if (contradicts) {
            drops.count(DropReason.FRAGMENT_BAD);
            return false;
        }
        if (start != 0 && !portsKnown[entry]) {
            if (hold(entry, seg, offset, length, status, from, now)) total[entry] = knownTotal;
            return false;
        }
        int added = addRange(entry, start, end);
        if (added != ADDED) {
            // Bytes that passed already: fragments that overlap or repeat (RFC 5722 drops those too).
            drops.count(added == OVERLAPS ? DropReason.FRAGMENT_BAD : DropReason.FRAGMENT_OVERFLOW);
            return false;
        }
        total[entry] = knownTotal;
        boolean refuse = start != 0 && refused[entry];
        if (start == 0) {
            if (!portsKnown[entry] && held[entry] != NONE) releasable++;
            ports[entry] = flow.srcPort << 16 | flow.dstPort;
            transport[entry] = flow.protocol;
            portsKnown[entry] = true;
        } else if (!refuse) {
            flow.srcPort = ports[entry] >>> 16;
            flow.dstPort = ports[entry] & 0xFFFF;
            flow.protocol = transport[entry];
        }
        admitted = entry;
        admittedServer = server[entry];
        if (complete(entry) && held[entry] == NONE) {
            remove(entry);
            admitted = NONE;
        }
        if (refuse) drops.count(DropReason.FRAGMENT);
        return !refuse;
    }

    /**
     * Hands the pipeline again the held frames of datagrams whose first fragment has passed since, and drops
     * (counting each held frame) the datagrams whose time is up.
     */
    void release(PacketPipeline pipeline, long now) {
        if (releasable > 0) {
            releasable = 0;
            for (int e = 0; e < ENTRIES; e++) {
                if (!portsKnown[e] || held[e] == NONE || version[e] == 0) continue;
                int slot = held[e];
                held[e] = NONE;
                // Each frame goes through the pipeline as if it came now; the last one may end the entry.
                while (slot != NONE) {
                    int following = slotNext[slot];
                    PacketPort from = slotPort[slot];
                    int frameLength = slotLength[slot], frameStatus = slotStatus[slot];
                    pipeline.beginBatch(from, now);
                    pipeline.onFrame(pool, (long) slot * SLOT_BYTES, frameLength, frameStatus);
                    freeSlot(slot);
                    slot = following;
                }
                if (version[e] != 0 && held[e] == NONE && complete(e)) remove(e);
            }
        }
        if (entries > 0 && now - nextSweep >= 0) expire(now);
    }

    /** Drops the datagrams whose deadline has passed, counting their held frames as FRAGMENT_TIMEOUT. */
    void expire(long now) {
        nextSweep = now + SWEEP_NANOS;
        for (int e = 0; e < ENTRIES && entries > 0; e++) {
            if (version[e] != 0 && now - deadline[e] >= 0) timeOut(e);
        }
    }

    /** Ends a datagram whose time is up: its held frames are dropped and counted. */
    private void timeOut(int e) {
        for (int slot = held[e]; slot != NONE; ) {
            int following = slotNext[slot];
            freeSlot(slot);
            drops.count(DropReason.FRAGMENT_TIMEOUT);
            slot = following;
        }
        held[e] = NONE;
        remove(e);
    }

    /** Keeps a copy of a later fragment until its first has passed; false, counted, when there is no room. */
    private boolean hold(int entry, MemorySegment seg, long offset, int length, int status, PacketPort from,
                         long now) {
        if (freeSlot == NONE && length <= SLOT_BYTES) expire(now);
        if (freeSlot == NONE || length > SLOT_BYTES) {
            drops.count(DropReason.FRAGMENT_OVERFLOW);
            if (held[entry] == NONE && ranges[entry] == 0) remove(entry);
            return false;
        }
        if (pool == null) pool = Arena.global().allocate((long) SLOTS * SLOT_BYTES, 64);
        int slot = freeSlot;
        freeSlot = slotNext[slot];
        MemorySegment.copy(seg, offset, pool, (long) slot * SLOT_BYTES, length);
        slotLength[slot] = length;
        slotStatus[slot] = status;
        slotPort[slot] = from;
        slotNext[slot] = held[entry];
        held[entry] = slot;
        heldFrames++;
        return true;
    }

    private static final int ADDED = 0, OVERLAPS = 1, TOO_MANY_GAPS = 2;

    /** Records that bytes [start, end) of the datagram passed: ADDED, or OVERLAPS or TOO_MANY_GAPS changing nothing. */
    private int addRange(int e, int start, int end) {
        int base = RANGES * e, n = ranges[e];
        int i = 0;
        while (i < n && rangeEnd[base + i] <= start) i++; // the first range that ends after start
        if (i < n && rangeStart[base + i] < end) return OVERLAPS;
        boolean joinsBefore = i > 0 && rangeEnd[base + i - 1] == start;
        boolean joinsAfter = i < n && rangeStart[base + i] == end;
        if (joinsBefore && joinsAfter) {
            rangeEnd[base + i - 1] = rangeEnd[base + i];
            System.arraycopy(rangeStart, base + i + 1, rangeStart, base + i, n - i - 1);
            System.arraycopy(rangeEnd, base + i + 1, rangeEnd, base + i, n - i - 1);
            ranges[e] = n - 1;
        } else if (joinsBefore) {
            rangeEnd[base + i - 1] = end;
        } else if (joinsAfter) {
            rangeStart[base + i] = start;
        } else {
            if (n == RANGES) return TOO_MANY_GAPS;
            System.arraycopy(rangeStart, base + i, rangeStart, base + i + 1, n - i);
            System.arraycopy(rangeEnd, base + i, rangeEnd, base + i + 1, n - i);
            rangeStart[base + i] = start;
            rangeEnd[base + i] = end;
            ranges[e] = n + 1;
        }
        return ADDED;
    }

    /** Whether every byte of the datagram, up to the end its last fragment set, has passed. */
    private boolean complete(int e) {
        int base = RANGES * e;
        return total[e] != UNKNOWN && ranges[e] == 1 && rangeStart[base] == 0 && rangeEnd[base] == total[e];
    }

    private void freeSlot(int slot) {
        slotPort[slot] = null;
        slotNext[slot] = freeSlot;
        freeSlot = slot;
        heldFrames--;
    }

    private int find(FlowDescription flow, int keyProtocol, int id) {
        for (int e = bucket[hash(flow, keyProtocol, id)]; e != NONE; e = next[e]) {
            if (identification[e] == id && srcLo[e] == flow.srcLo && dstLo[e] == flow.dstLo && srcHi[e] == flow.srcHi
                    && dstHi[e] == flow.dstHi && protocol[e] == keyProtocol && version[e] == flow.ipVersion) {
                return e;
            }
        }
        return NONE;
    }

    private int create(FlowDescription flow, int keyProtocol, int id, long now) {
        if (freeEntry == NONE) expire(now);
        int e = freeEntry;
        if (e == NONE) return NONE;
        freeEntry = next[e];
        int b = hash(flow, keyProtocol, id);
        next[e] = bucket[b];
        bucket[b] = e;
        version[e] = flow.ipVersion;
        srcHi[e] = flow.srcHi;
        srcLo[e] = flow.srcLo;
        dstHi[e] = flow.dstHi;
        dstLo[e] = flow.dstLo;
        protocol[e] = keyProtocol;
        identification[e] = id;
        portsKnown[e] = false;
        refused[e] = false;
        ranges[e] = 0;
        total[e] = UNKNOWN;
        held[e] = NONE;
        server[e] = NONE;
        deadline[e] = now + (flow.ipVersion == 4 ? IPV4_TIMEOUT_NANOS : IPV6_TIMEOUT_NANOS);
        entries++;
        return e;
    }

    private void remove(int e) {
        int b = hashOf(e);
        if (bucket[b] == e) {
            bucket[b] = next[e];
        } else {
            int p = bucket[b];
            while (next[p] != e) p = next[p];
            next[p] = next[e];
        }
        version[e] = 0;
        next[e] = freeEntry;
        freeEntry = e;
        entries--;
    }

    private int hash(FlowDescription flow, int keyProtocol, int id) {
        return mix(flow.srcHi ^ flow.srcLo, flow.dstHi ^ flow.dstLo, id, keyProtocol);
    }

    private int hashOf(int e) {
        return mix(srcHi[e] ^ srcLo[e], dstHi[e] ^ dstLo[e], identification[e], protocol[e]);
    }

    private static int mix(long src, long dst, int id, int proto) {
        long h = (src * 0x9E3779B97F4A7C15L) ^ (dst + id) * 0xC2B2AE3D27D4EB4FL ^ proto;
        h ^= h >>> 29;
        return (int) (h & (BUCKETS - 1));
    }
}
