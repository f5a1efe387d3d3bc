package io.jlvs.netns;

import io.jlvs.tools.netns.HttpIdentityServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Large transfers checked end to end: files of HttpIdentityServer's /bytes pattern and SHA-256 digests. */
final class PatternFiles {
    private PatternFiles() {}

    static void write(Path file, long n) throws IOException {
        byte[] chunk = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long at = 0; at < n; at += chunk.length) {
                int len = (int) Math.min(chunk.length, n - at);
                for (int k = 0; k < len; k++) chunk[k] = HttpIdentityServer.pattern(at + k);
                out.write(chunk, 0, len);
            }
        }
    }

    static String digestOfPattern(long n) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1 << 16];
        for (long at = 0; at < n; at += chunk.length) {
            int len = (int) Math.min(chunk.length, n - at);
            for (int k = 0; k < len; k++) chunk[k] = HttpIdentityServer.pattern(at + k);
            sha.update(chunk, 0, len);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String digest(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            for (int len; (len = in.read(chunk)) > 0; ) sha.update(chunk, 0, len);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
