package io.jlvs.health.check;

import java.util.Locale;

/**
 * UDP_CHECK's require_reply: hex digits the reply must start with, 'X' matching any nibble (keepalived's
 * notation); a pattern of an odd number of digits ends with a half byte.
 */
final class ReplyPattern {
    private final byte[] values;
    private final byte[] masks;

    private ReplyPattern(byte[] values, byte[] masks) {
        this.values = values;
        this.masks = masks;
    }

    static ReplyPattern parse(String hex) {
        String digits = hex.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
        int bytes = (digits.length() + 1) / 2;
        byte[] values = new byte[bytes];
        byte[] masks = new byte[bytes];
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            int shift = i % 2 == 0 ? 4 : 0;
            if (c == 'X') continue;
            int nibble = Character.digit(c, 16);
            if (nibble < 0) throw new IllegalArgumentException("require_reply: not a hex digit: " + c);
            values[i / 2] |= (byte) (nibble << shift);
            masks[i / 2] |= (byte) (0xF << shift);
        }
        return new ReplyPattern(values, masks);
    }

    /** True when reply starts with the pattern. */
    boolean matches(byte[] reply) {
        if (reply.length < values.length) return false;
        for (int i = 0; i < values.length; i++) {
            if ((reply[i] & masks[i]) != values[i]) return false;
        }
        return true;
    }
}
