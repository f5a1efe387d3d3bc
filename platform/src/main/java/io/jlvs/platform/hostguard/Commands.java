package io.jlvs.platform.hostguard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs host tools (nft, ethtool). The child inherits the calling thread's network namespace. A failure names
 * the command, its exit status and its stderr, so an operator can repeat it by hand.
 */
final class Commands {
    private Commands() {}

    static String run(List<String> command) throws IOException {
        return run(command, null);
    }

    /** Runs {@code command} with {@code stdin} (may be null) and returns its stdout. */
    static String run(List<String> command, String stdin) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String stdout = readAll(process.getInputStream());
        try {
            int status = process.waitFor();
            if (status != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + status + ": " + stderr.join().strip()
                        + (stdin != null ? "\n--- input was:\n" + stdin : ""));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        return stdout;
    }

    private static String readAll(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
