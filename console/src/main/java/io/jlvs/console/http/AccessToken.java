package io.jlvs.console.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The bearer token of the HTTP API, kept in a file only root reads (mode 0600). A missing file is created with 32
 * random bytes in hex; a file others can read is refused, as ssh refuses a readable private key.
 */
public final class AccessToken {
    private final byte[] token;

    private AccessToken(byte[] token) {
        this.token = token;
    }

    /** Reads the token, creating the file when it does not exist. Returns whether it was created in created[0]. */
    public static AccessToken loadOrCreate(Path file, boolean[] created) throws IOException {
        if (!Files.exists(file)) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String text = HexFormat.of().formatHex(random);
            Files.writeString(Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), text + "\n");
            if (created != null) created[0] = true;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)
                || mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(file + " is mode " + PosixFilePermissions.toString(mode)
                    + "; the HTTP token file must be readable by its owner only (chmod 600 " + file + ")");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IOException(file + ": the token must be one line of printable characters without spaces");
        }
        return new AccessToken(text.getBytes(StandardCharsets.US_ASCII));
    }

    public static AccessToken of(String token) {
        return new AccessToken(token.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether an Authorization header carries this token ("Bearer TOKEN"), compared in constant time. */
    public boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token);
    }
}
