package io.jlvs.tools.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process started by {@link ProcessRunner}. Its stdout and stderr go to one log file, so that a
 * failure can be diagnosed after the fact and so that no pipe can fill up and stall the process.
 */
public final class BackgroundProcess {
    private final String label;
    private final String namespace;
    private final Process process;
    private final Path log;

    BackgroundProcess(String label, String namespace, Process process, Path log) {
        this.label = label;
        this.namespace = namespace;
        this.process = process;
        this.log = log;
    }

    public String label() {
        return label;
    }

    public String namespace() {
        return namespace;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of a process that has ended. */
    public int exitCode() {
        return process.exitValue();
    }

    public Path logFile() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        String[] all = logText().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", Arrays.copyOfRange(all, from, all.length));
    }

    /**
     * An exception whose first line names the process, what went wrong and its last log line (usually the reason),
     * followed by the log's tail; callers that show one line still show the cause.
     */
    public IllegalStateException failure(String what) {
        String tail = logTail(20).strip();
        String last = tail.isEmpty() ? "(no output)" : tail.substring(tail.lastIndexOf('\n') + 1);
        return new IllegalStateException(label + " " + what + ": " + last + " [log " + log + "]\n" + tail);
    }

    /**
     * Waits until the log contains a line starting with {@code prefix}. Fails fast when the process exits first,
     * so a crashed server reports its own error instead of a timeout.
     */
    public void awaitLogLine(String prefix, Duration timeout) {
        boolean printed = Conditions.holdsWithin(timeout, () -> {
            if (hasLogLine(prefix)) {
                return true;
            }
            if (!process.isAlive()) {
                throw failure("exited (" + process.exitValue() + ") before printing '" + prefix + "'");
            }
            return false;
        });
        if (!printed) {
            throw failure("did not print '" + prefix + "' within " + timeout);
        }
    }

    /** Whether the log already holds a line starting with {@code prefix}. */
    public boolean hasLogLine(String prefix) {
        for (String line : logText().split("\n")) {
            if (line.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SIGKILL at once, to the process and its descendants (the java a launcher shell started): a crash, with no
     * chance to clean up. Returns once they are gone.
     */
    public void kill() {
        var descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
            for (ProcessHandle d : descendants) d.onExit().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGSTOP to the process and its descendants: frozen as a hung machine is, until {@link #resume}. */
    public void suspend() {
        signal("-STOP");
    }

    /** SIGCONT to the process and its descendants. */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        List<String> command = new ArrayList<>(List.of("kill", signal, Long.toString(process.pid())));
        process.descendants().forEach(d -> command.add(Long.toString(d.pid())));
        try {
            int rc = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (rc != 0) throw new IllegalStateException(String.join(" ", command) + " exited " + rc);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; children (a shell's java, for example) are killed too. */
    public void stop(Duration grace) {
        var descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return label + " (pid " + process.pid() + (namespace == null ? "" : ", netns " + namespace) + ")";
    }
}
