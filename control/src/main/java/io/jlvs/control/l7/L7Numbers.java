package io.jlvs.control.l7;

/** tcpvsadm's string_to_number: a whole decimal number (strtol's optional sign, nothing after it). */
final class L7Numbers {
    private L7Numbers() {}

    /** The value of s when it is a decimal number within [min, max], else -1. */
    static int parse(String s, int min, int max) {
        if (s == null) return -1;
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) negative = s.charAt(i++) == '-';
        if (i >= s.length()) return -1;
        long value = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
            if (value > Integer.MAX_VALUE) return -1;
        }
        if (negative) value = -value;
        return value >= min && value <= max ? (int) value : -1;
    }
}
