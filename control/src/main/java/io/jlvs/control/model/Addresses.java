package io.jlvs.control.model;

/**
 * 128-bit address helpers (IPv4 as IPv4-mapped IPv6, as in FlowDescription): literal parsing without DNS and
 * formatting the way glibc's inet_ntop does, so listings match ipvsadm's.
 */
public final class Addresses {
    private static final long V4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private Addresses() {}

    public static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    /** The lo half of the IPv4-mapped form of an IPv4 address (hi is 0). */
    public static long mappedLo(int v4) {
        return V4_MAPPED_PREFIX | (v4 & 0xFFFF_FFFFL);
    }

    /** Parses a dotted quad a.b.c.d; returns the 32-bit value in a long, or -1 when it is not one. */
    public static long parseV4(String s) {
        int len = s.length();
        if (len < 7 || len > 15) return -1;
        long value = 0;
        int part = 0, digits = 0, octet = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                octet = octet * 10 + (c - '0');
                if (++digits > 3 || octet > 255) return -1;
            } else if (c == '.') {
                if (digits == 0 || ++part > 3) return -1;
                value = (value << 8) | octet;
                octet = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        if (digits == 0 || part != 3) return -1;
        return (value << 8) | octet;
    }

    /**
     * Parses an IPv6 literal (RFC 4291 text forms, including a trailing dotted quad) into out[0] = hi, out[1] = lo.
     * Returns false when s is not one.
     */
    public static boolean parseV6(String s, long[] out) {
        int[] words = new int[8];
        int count = 0, gap = -1, i = 0, len = s.length();
        if (len < 2 || s.indexOf(':') < 0) return false;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (len == 2) { out[0] = 0; out[1] = 0; return true; }
        } else if (s.charAt(0) == ':') {
            return false;
        }
        while (i < len) {
            int end = i;
            while (end < len && s.charAt(end) != ':') end++;
            String group = s.substring(i, end);
            if (group.indexOf('.') >= 0) {
                if (end != len || count > 6) return false;
                long v4 = parseV4(group);
                if (v4 < 0) return false;
                words[count++] = (int) (v4 >>> 16);
                words[count++] = (int) (v4 & 0xFFFF);
                i = end;
                break;
            }
            if (group.isEmpty() || group.length() > 4 || count == 8) return false;
            int w = 0;
            for (int k = 0; k < group.length(); k++) {
                int d = Character.digit(group.charAt(k), 16);
                if (d < 0) return false;
                w = (w << 4) | d;
            }
            words[count++] = w;
            if (end == len) { i = end; break; }
            if (end + 1 < len && s.charAt(end + 1) == ':') {
                if (gap >= 0) return false;
                gap = count;
                i = end + 2;
            } else {
                if (end + 1 == len) return false;
                i = end + 1;
            }
        }
        int[] full = new int[8];
        if (gap >= 0) {
            if (count > 7) return false;
            System.arraycopy(words, 0, full, 0, gap);
            System.arraycopy(words, gap, full, 8 - (count - gap), count - gap);
        } else {
            if (count != 8) return false;
            full = words;
        }
        long hi = 0, lo = 0;
        for (int k = 0; k < 4; k++) hi = (hi << 16) | full[k];
        for (int k = 4; k < 8; k++) lo = (lo << 16) | full[k];
        out[0] = hi;
        out[1] = lo;
        return true;
    }

    public static String formatV4(int v4) {
        return ((v4 >>> 24) & 0xFF) + "." + ((v4 >>> 16) & 0xFF) + "." + ((v4 >>> 8) & 0xFF) + "." + (v4 & 0xFF);
    }

    /** Formats an address: IPv4-mapped as a dotted quad, others as glibc inet_ntop(AF_INET6) prints them. */
    public static String format(long hi, long lo) {
        if (isV4(hi, lo)) return formatV4((int) lo);
        return formatV6(hi, lo);
    }

    /** glibc inet_ntop(AF_INET6): lowercase hex, the longest run (>= 2) of zero words as "::", embedded IPv4 forms. */
    public static String formatV6(long hi, long lo) {
        int[] w = new int[8];
        for (int k = 0; k < 4; k++) w[k] = (int) (hi >>> (48 - 16 * k)) & 0xFFFF;
        for (int k = 0; k < 4; k++) w[4 + k] = (int) (lo >>> (48 - 16 * k)) & 0xFFFF;
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int k = 0; k < 8; k++) {
            if (w[k] == 0) {
                if (curBase < 0) { curBase = k; curLen = 1; } else curLen++;
            } else if (curBase >= 0) {
                if (bestBase < 0 || curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) { bestBase = curBase; bestLen = curLen; }
        if (bestBase >= 0 && bestLen < 2) bestBase = -1;
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (bestBase >= 0 && k >= bestBase && k < bestBase + bestLen) {
                if (k == bestBase) sb.append(':');
                continue;
            }
            if (k != 0) sb.append(':');
            if (k == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xFFFF))) {
                sb.append(w[6] >>> 8).append('.').append(w[6] & 0xFF).append('.')
                  .append(w[7] >>> 8).append('.').append(w[7] & 0xFF);
                return sb.toString();
            }
            sb.append(Integer.toHexString(w[k]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) sb.append(':');
        return sb.toString();
    }

    /** The address as the bytes java.net.InetAddress expects (4 for IPv4, 16 for IPv6). */
    public static byte[] toBytes(long hi, long lo) {
        if (isV4(hi, lo)) {
            int v = (int) lo;
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        byte[] b = new byte[16];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (hi >>> (56 - 8 * k));
            b[8 + k] = (byte) (lo >>> (56 - 8 * k));
        }
        return b;
    }

    /** Reads bytes from InetAddress.getAddress() into out[0] = hi, out[1] = lo. */
    public static void fromBytes(byte[] b, long[] out) {
        if (b.length == 4) {
            out[0] = 0;
            out[1] = mappedLo(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
            return;
        }
        long hi = 0, lo = 0;
        for (int k = 0; k < 8; k++) {
            hi = (hi << 8) | (b[k] & 0xFF);
            lo = (lo << 8) | (b[8 + k] & 0xFF);
        }
        out[0] = hi;
        out[1] = lo;
    }
}
