package io.jlvs.tools.netns;

import java.util.List;

/** Outcome of one finished command: what ran, where, its exit code and what it printed. */
public record CommandResult(String namespace, List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns stdout, or throws with the command, namespace and stderr when the command failed. */
    public String stdoutOrThrow() {
        if (!succeeded()) {
            throw new IllegalStateException(describe());
        }
        return stdout;
    }

    public String describe() {
        String where = namespace == null ? "host" : "netns " + namespace;
        return "'" + String.join(" ", command) + "' in " + where + " exited " + exitCode
                + (stderr.isBlank() ? "" : ": " + stderr.strip());
    }
}
