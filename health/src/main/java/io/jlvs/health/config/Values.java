package io.jlvs.health.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;

/** Parsers of the values keepalived.conf statements take; each failure says what was wrong with which text. */
final class Values {
    /** Times are kept to the microsecond, as keepalived keeps them. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Integer.MAX_VALUE);

    private Values() {}

    static long integer(String text, long min, long max) throws ValueException {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ValueException("'" + text + "' is not a whole number");
        }
        if (value < min || value > max) throw new ValueException(text + " is out of range " + min + ".." + max);
        return value;
    }

    static int port(String text) throws ValueException {
        return (int) integer(text, 0, 65535);
    }

    /** A firewall mark, 1..2^32-1, as the int the kernel keeps. */
    static int fwmark(String text) throws ValueException {
        return (int) integer(text, 1, 0xFFFF_FFFFL);
    }

    /** Seconds with an optional fraction ("0.5"); with positive, more than zero. */
    static Duration seconds(String text, boolean positive) throws ValueException {
        BigDecimal value;
        try {
            if (!text.matches("\\d+(\\.\\d+)?|\\.\\d+")) throw new NumberFormatException();
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new ValueException("'" + text + "' is not a time in seconds");
        }
        if (value.compareTo(MAX_SECONDS) > 0) throw new ValueException(text + " is out of range 0.." + MAX_SECONDS);
        long micros = value.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
        if (positive && micros == 0) throw new ValueException("must be more than 0 seconds");
        return Duration.of(micros, ChronoUnit.MICROS);
    }

    /** Bytes written as hex digits, two per byte ("0a0b"). */
    static byte[] hexBytes(String text) throws ValueException {
        if (text.length() % 2 != 0 || !text.matches("[0-9A-Fa-f]*"))
            throw new ValueException("'" + text + "' is not hex bytes (two hex digits per byte)");
        return HexFormat.of().parseHex(text);
    }

    /** A reply pattern: hex digits two per byte, X matching any nibble; returned upper-case. */
    static String replyPattern(String text) throws ValueException {
        if (text.length() % 2 != 0 || !text.matches("[0-9A-Fa-fXx]*"))
            throw new ValueException("'" + text + "' is not a hex pattern (two hex digits or X per byte)");
        return text.toUpperCase(Locale.ROOT);
    }

    /** One of choices, written in any case; returned as spelt in choices. */
    static String choice(String text, String what, String... choices) throws ValueException {
        for (String c : choices) if (c.equalsIgnoreCase(text)) return c;
        throw new ValueException("'" + text + "' is not " + what + " (" + String.join(", ", choices) + ")");
    }
}
