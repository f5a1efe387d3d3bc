package io.jlvs.control;

/** The few printf conversions ipvsadm's listings use, appended to a StringBuilder without String.format. */
final class Printf {
    private Printf() {}

    /** %-Ns: s, then spaces up to width (never truncates). */
    static StringBuilder left(StringBuilder sb, CharSequence s, int width) {
        sb.append(s);
        for (int i = s.length(); i < width; i++) sb.append(' ');
        return sb;
    }

    /** %-Nu / %-Nd of a number. */
    static StringBuilder left(StringBuilder sb, long n, int width) {
        int start = sb.length();
        sb.append(n);
        for (int i = sb.length() - start; i < width; i++) sb.append(' ');
        return sb;
    }

    /** %Ns: spaces, then s, right-aligned in width. */
    static StringBuilder right(StringBuilder sb, CharSequence s, int width) {
        for (int i = s.length(); i < width; i++) sb.append(' ');
        return sb.append(s);
    }

    /** %Nllu of an unsigned 64-bit value. */
    static StringBuilder right(StringBuilder sb, long n, int width) {
        return right(sb, Long.toUnsignedString(n), width);
    }

    /** %02d. */
    static StringBuilder twoDigits(StringBuilder sb, int n) {
        if (n < 10 && n >= 0) sb.append('0');
        return sb.append(n);
    }

    /**
     * ipvsadm's print_largenum: "%9llu" below 100 million, else the value divided by 1000 per step with a K, M, G
     * or T suffix as "%8llu" + letter; with --exact the full number, at least 9 wide with a space before it.
     */
    static StringBuilder largeNumber(StringBuilder sb, long i, boolean exact) {
        if (exact) {
            String s = Long.toUnsignedString(i);
            return right(sb, s, s.length() <= 8 ? 9 : s.length() + 1);
        }
        if (Long.compareUnsigned(i, 100_000_000L) < 0) return right(sb, i, 9);
        if (Long.compareUnsigned(i, 1_000_000_000L) < 0) return right(sb, Long.divideUnsigned(i, 1000L), 8).append('K');
        if (Long.compareUnsigned(i, 100_000_000_000L) < 0) return right(sb, Long.divideUnsigned(i, 1_000_000L), 8).append('M');
        if (Long.compareUnsigned(i, 100_000_000_000_000L) < 0) return right(sb, Long.divideUnsigned(i, 1_000_000_000L), 8).append('G');
        return right(sb, Long.divideUnsigned(i, 1_000_000_000_000L), 8).append('T');
    }
}
