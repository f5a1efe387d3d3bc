package io.jlvs.realserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs ip(8) and modprobe(8) in the caller's network namespace; a failure names the command and its stderr. */
final class HostCommand {
    private HostCommand() {}

    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int rc = p.waitFor();
            if (rc != 0) throw new IOException(String.join(" ", command) + " exited with " + rc + ": " + out.strip());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return out;
    }

    /** True when the command succeeded; its failure is not an error for the caller (probing). */
    static boolean tryRun(String... command) {
        try {
            run(command);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }
}
