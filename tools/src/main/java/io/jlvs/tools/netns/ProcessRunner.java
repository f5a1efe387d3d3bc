package io.jlvs.tools.netns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs commands on the host or inside a network namespace ({@code ip netns exec NS ...}). Short commands run to
 * completion with a timeout; background processes are tracked and all of them are stopped by {@link #close()}.
 */
public final class ProcessRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Path logDirectory;
    private final Map<String, String> environment;
    private final List<BackgroundProcess> started = new CopyOnWriteArrayList<>();
    private final Set<Path> removedAtClose = new CopyOnWriteArraySet<>();
    private volatile boolean closed;

    /**
     * @param logDirectory where background processes write their logs
     * @param environment  extra environment for every command (JAVA_HOME, for example)
     */
    public ProcessRunner(Path logDirectory, Map<String, String> environment) {
        this.logDirectory = logDirectory;
        this.environment = Map.copyOf(environment);
    }

    /** Runs {@code command} in {@code namespace} (null: on the host) and waits for it. */
    public CommandResult run(String namespace, String... command) {
        return run(namespace, List.of(command), DEFAULT_TIMEOUT);
    }

    /** Runs the command and returns its stdout; throws when it exits non-zero. */
    public String check(String namespace, String... command) {
        return run(namespace, command).stdoutOrThrow();
    }

    public CommandResult run(String namespace, List<String> command, Duration timeout) {
        List<String> full = inNamespace(namespace, command);
        Process process = launch(full, ProcessBuilder.Redirect.PIPE);
        // Both pipes are drained concurrently so a chatty command can never block on a full pipe.
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
                return new CommandResult(namespace, command, -1, out.join(), "timed out after " + timeout + "; " + err.join());
            }
            return new CommandResult(namespace, command, process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Starts a tracked background process; its stdout and stderr go to {@code <logDirectory>/<label>.log}. */
    public BackgroundProcess start(String namespace, String label, List<String> command) {
        if (closed) {
            throw new IllegalStateException("process runner is closed");
        }
        Path log = logDirectory.resolve(label.replaceAll("[^A-Za-z0-9_.-]", "_") + ".log");
        Process process = launch(inNamespace(namespace, command), ProcessBuilder.Redirect.to(log.toFile()));
        BackgroundProcess background = new BackgroundProcess(label, namespace, process, log);
        started.add(background);
        if (closed) { // close() ran concurrently (shutdown hook): do not leave this one behind
            background.stop(STOP_GRACE);
        }
        return background;
    }

    public List<BackgroundProcess> backgroundProcesses() {
        return List.copyOf(started);
    }

    public Path logDirectory() {
        return logDirectory;
    }

    /**
     * Has {@code directory} (and all it holds) removed when this runner closes, once its processes are stopped: a
     * copy of the jlvs home, say, a hundred megabytes that the logs beside it do not need.
     */
    public void removeAtClose(Path directory) {
        removedAtClose.add(directory);
    }

    /** Stops every background process this runner started, newest first, then removes what it was given. Idempotent. */
    @Override
    public void close() {
        closed = true;
        List<BackgroundProcess> toStop = new ArrayList<>(started);
        Collections.reverse(toStop);
        for (BackgroundProcess p : toStop) {
            if (p.isAlive()) {
                p.stop(STOP_GRACE);
            }
            started.remove(p);
        }
        for (Path directory : removedAtClose) {
            removeTree(directory);
            removedAtClose.remove(directory);
        }
    }

    private static void removeTree(Path directory) {
        if (!Files.exists(directory)) return;
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", directory, e.getMessage());
        }
    }

    private static List<String> inNamespace(String namespace, List<String> command) {
        if (namespace == null) {
            return command;
        }
        List<String> full = new ArrayList<>(command.size() + 4);
        full.addAll(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    private Process launch(List<String> command, ProcessBuilder.Redirect output) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (output == ProcessBuilder.Redirect.PIPE) {
            builder.redirectOutput(output);
        } else {
            builder.redirectOutput(output).redirectErrorStream(true);
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.complete("");
            }
        });
        return result;
    }
}
