package io.jlvs.packets;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Finds the Call-ID of a SIP message, the key of the kernel's SIP persistence engine (ip_vs_pe_sip with
 * nf_conntrack_sip's header search), so that every message of one call reaches the same real server.
 *
 * <p>As the kernel does: headers are looked for at the start of a line after the first (the request or status line
 * is never a header), named "Call-ID" or compactly "i" (case-insensitive; the compact name must not be followed by
 * a letter), then optional blanks, a colon, optional blanks; the value is a word, optionally "@" and a second word,
 * where word characters are letters, digits and {@code -.!%*_+`'~()<>:\"/[]?{}}. The value must be 1 to
 * {@link #MAX_LENGTH} bytes and end in CR or LF: a message without a usable Call-ID has none (the kernel then drops
 * the packet). Reads only inside the given range; allocates nothing.
 */
public final class SipCallId {
    /** The kernel's IP_VS_PEDATA_MAXLEN. */
    public static final int MAX_LENGTH = 255;

    private static final byte[] LONG_NAME = {'c', 'a', 'l', 'l', '-', 'i', 'd'};
    private static final boolean[] WORD = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) WORD[c] = true;
        for (int c = 'a'; c <= 'z'; c++) WORD[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) WORD[c] = true;
        for (char c : "-.!%*_+`'~()<>:\\\"/[]?{}".toCharArray()) WORD[c] = true;
    }

    private SipCallId() {}

    /**
     * Copies the Call-ID of the SIP message at [offset, offset + length) of seg into out (at least
     * {@link #MAX_LENGTH} bytes) and returns its length, or -1 when the message has no usable Call-ID.
     */
    public static int find(MemorySegment seg, long offset, int length, byte[] out) {
        long limit = offset + length;
        long at = offset;
        while (at < limit) {
            at = nextLine(seg, at, limit);
            if (at >= limit) return -1;
            byte first = byte_(seg, at);
            if (first == ' ' || first == '\t') continue; // a continuation line, not a header
            long afterName = afterHeaderName(seg, at, limit);
            if (afterName < 0) continue;
            long value = skipBlanks(seg, afterName, limit);
            if (value >= limit || byte_(seg, value) != ':') return -1; // the kernel gives up here too
            value = skipBlanks(seg, value + 1, limit);
            if (value >= limit) return -1;
            int n = valueLength(seg, value, limit);
            if (n == 0 || n > MAX_LENGTH || value + n >= limit) return -1;
            byte end = byte_(seg, value + n);
            if (end != '\r' && end != '\n') return -1;
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, value, out, 0, n);
            return n;
        }
        return -1;
    }

    /** Convenience for tests and tools: the Call-ID of a message held in a byte array, or null. */
    public static String of(byte[] message) {
        byte[] out = new byte[MAX_LENGTH];
        int n = find(MemorySegment.ofArray(message), 0, message.length, out);
        return n < 0 ? null : new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** The first byte of the line after the one at {@code at} (CR, LF or CRLF ends a line), or limit. */
    private static long nextLine(MemorySegment seg, long at, long limit) {
        while (at < limit) {
            byte b = byte_(seg, at++);
            if (b == '\n') return at;
            if (b == '\r') return at < limit && byte_(seg, at) == '\n' ? at + 1 : at;
        }
        return limit;
    }

    /** Just past "Call-ID" or the compact "i" at {@code at}, or -1 when the line is another header. */
    private static long afterHeaderName(MemorySegment seg, long at, long limit) {
        if (limit - at >= LONG_NAME.length) {
            int i = 0;
            while (i < LONG_NAME.length && lower(byte_(seg, at + i)) == LONG_NAME[i]) i++;
            if (i == LONG_NAME.length) return at + i;
        }
        if (limit - at >= 2 && lower(byte_(seg, at)) == 'i' && !isLetter(byte_(seg, at + 1))) return at + 1;
        return -1;
    }

    private static long skipBlanks(MemorySegment seg, long at, long limit) {
        while (at < limit) {
            byte b = byte_(seg, at);
            if (b != ' ' && b != '\t') break;
            at++;
        }
        return at;
    }

    /** word [ "@" word ]; 0 when there is no word, or when "@" is not followed by one (as callid_len). */
    private static int valueLength(MemorySegment seg, long at, long limit) {
        int n = wordLength(seg, at, limit);
        if (n == 0 || at + n >= limit || byte_(seg, at + n) != '@') return n;
        int domain = wordLength(seg, at + n + 1, limit);
        return domain == 0 ? 0 : n + 1 + domain;
    }

    private static int wordLength(MemorySegment seg, long at, long limit) {
        int n = 0;
        while (at + n < limit && WORD[byte_(seg, at + n) & 0xFF]) n++;
        return n;
    }

    private static byte byte_(MemorySegment seg, long at) { return seg.get(ValueLayout.JAVA_BYTE, at); }

    private static int lower(byte b) { return b >= 'A' && b <= 'Z' ? b + 32 : b; }

    private static boolean isLetter(byte b) { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'); }
}
