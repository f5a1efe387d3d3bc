package io.jlvs.netns;

import io.jlvs.tools.netns.HttpIdentityServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * HttpIdentityServer's byte pattern for transfers of gigabytes: the pattern repeats every 2^24 bytes (its terms
 * are byte i*31, bits 8..15 and bits 16..23 of i), so one period is computed once and sent, hashed and compared
 * from memory.
 */
final class PatternStream {
    private static final int PERIOD = 1 << 24;
    private static final byte[] ONE_PERIOD = new byte[PERIOD];

    static {
        for (int i = 0; i < PERIOD; i++) ONE_PERIOD[i] = HttpIdentityServer.pattern(i);
    }

    private PatternStream() {}

    /** Writes bytes [0, n) of the pattern. */
    static void write(OutputStream out, long n) throws IOException {
        for (long at = 0; at < n; ) {
            int offset = (int) (at & (PERIOD - 1));
            int len = (int) Math.min(PERIOD - offset, Math.min(1 << 20, n - at));
            out.write(ONE_PERIOD, offset, len);
            at += len;
        }
        out.flush();
    }

    /** The SHA-256 of bytes [0, n) of the pattern, in hex. */
    static String digest(long n) {
        MessageDigest sha = sha256();
        for (long at = 0; at < n; ) {
            int len = (int) Math.min(PERIOD, n - at);
            sha.update(ONE_PERIOD, 0, len);
            at += len;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** What in gives until its end: the byte count and the SHA-256 in hex. */
    record Received(long bytes, String sha256) {}

    static Received drain(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] chunk = new byte[1 << 20];
        long total = 0;
        for (int len; (len = in.read(chunk)) >= 0; ) {
            sha.update(chunk, 0, len);
            total += len;
        }
        return new Received(total, HexFormat.of().formatHex(sha.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
