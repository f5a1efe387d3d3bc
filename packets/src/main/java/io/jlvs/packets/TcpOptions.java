package io.jlvs.packets;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u8;

/**
 * The TCP options a director that takes part in handshakes reads and writes (RFC 9293 3.2, RFC 7323, RFC 2018):
 * MSS, window scale, SACK permitted, timestamps and SACK blocks, parsed into a reusable holder with the offsets of
 * the timestamp and SACK blocks, so that they can be rewritten in place. Unknown options are skipped by their
 * length; a length that is missing, below 2 or past the header makes the options malformed.
 */
public final class TcpOptions {
    public static final int KIND_END = 0, KIND_NOP = 1, KIND_MSS = 2, KIND_WINDOW_SCALE = 3, KIND_SACK_PERMITTED = 4,
            KIND_SACK = 5, KIND_TIMESTAMP = 8;
    /** The largest window scale RFC 7323 allows. */
    public static final int MAX_WINDOW_SCALE = 14;

    /** MSS, or -1 when absent. */
    public int mss;
    /** Offset of the MSS option's value, or -1 when absent. */
    public long mssAt;
    /** Window scale shift, or -1 when absent. */
    public int windowScale;
    public boolean sackPermitted;
    /** Offset of the timestamp option's value (TSval, then TSecr 4 bytes later), or -1 when absent. */
    public long timestampAt;
    public int tsVal, tsEcr;
    /** Offset of the first SACK block (left edge, right edge, 8 bytes each), and how many; -1 and 0 when absent. */
    public long sackAt;
    public int sackBlocks;

    public void clear() {
        mss = -1;
        mssAt = -1;
        windowScale = -1;
        sackPermitted = false;
        timestampAt = -1;
        tsVal = tsEcr = 0;
        sackAt = -1;
        sackBlocks = 0;
    }

    /**
     * Reads the options of the TCP header at {@code l4Offset} ({@code headerLength} bytes, data offset included).
     *
     * @return false when the options are malformed (what was read before stays)
     */
    public boolean parse(MemorySegment seg, long l4Offset, int headerLength) {
        clear();
        long at = l4Offset + Tcp.MIN_HEADER_LENGTH, end = l4Offset + headerLength;
        while (at < end) {
            int kind = u8(seg, at);
            if (kind == KIND_END) return true;
            if (kind == KIND_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) return false;
            int length = u8(seg, at + 1);
            if (length < 2 || at + length > end) return false;
            switch (kind) {
                case KIND_MSS -> {
                    if (length != 4) return false;
                    mss = u16(seg, at + 2);
                    mssAt = at + 2;
                }
                case KIND_WINDOW_SCALE -> {
                    if (length != 3) return false;
                    windowScale = Math.min(u8(seg, at + 2), MAX_WINDOW_SCALE);
                }
                case KIND_SACK_PERMITTED -> {
                    if (length != 2) return false;
                    sackPermitted = true;
                }
                case KIND_TIMESTAMP -> {
                    if (length != 10) return false;
                    timestampAt = at + 2;
                    tsVal = u32(seg, at + 2);
                    tsEcr = u32(seg, at + 6);
                }
                case KIND_SACK -> {
                    if ((length - 2) % 8 != 0) return false;
                    sackAt = at + 2;
                    sackBlocks = (length - 2) / 8;
                }
                default -> { }
            }
            at += length;
        }
        return true;
    }

    /**
     * Writes the options of a SYN or SYN-ACK as Linux lays them out: MSS, then SACK permitted and the timestamp
     * together (or NOPs and the timestamp, or NOPs and SACK permitted), then NOP and window scale; absent ones are
     * left out ({@code mss}, {@code windowScale} below 0, {@code timestamps} false).
     *
     * @return the bytes written, a multiple of 4 (at most 20)
     */
    public static int writeSyn(MemorySegment seg, long at, int mss, boolean sackPermitted, boolean timestamps,
                               int tsVal, int tsEcr, int windowScale) {
        long p = at;
        if (mss >= 0) {
            put8(seg, p, KIND_MSS);
            put8(seg, p + 1, 4);
            put16(seg, p + 2, mss);
            p += 4;
        }
        if (timestamps) {
            if (sackPermitted) {
                put8(seg, p, KIND_SACK_PERMITTED);
                put8(seg, p + 1, 2);
            } else {
                put8(seg, p, KIND_NOP);
                put8(seg, p + 1, KIND_NOP);
            }
            put8(seg, p + 2, KIND_TIMESTAMP);
            put8(seg, p + 3, 10);
            put32(seg, p + 4, tsVal);
            put32(seg, p + 8, tsEcr);
            p += 12;
        } else if (sackPermitted) {
            put8(seg, p, KIND_NOP);
            put8(seg, p + 1, KIND_NOP);
            put8(seg, p + 2, KIND_SACK_PERMITTED);
            put8(seg, p + 3, 2);
            p += 4;
        }
        if (windowScale >= 0) {
            put8(seg, p, KIND_NOP);
            put8(seg, p + 1, KIND_WINDOW_SCALE);
            put8(seg, p + 2, 3);
            put8(seg, p + 3, Math.min(windowScale, MAX_WINDOW_SCALE));
            p += 4;
        }
        return (int) (p - at);
    }
}
