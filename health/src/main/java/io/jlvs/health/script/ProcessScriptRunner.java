package io.jlvs.health.script;

import io.jlvs.health.config.Script;
import io.jlvs.platform.libc.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs scripts as child processes: each in a session (and process group) of its own through setsid, as its user
 * through runuser (setpriv where runuser is missing), with stdin, stdout and stderr on /dev/null. One daemon
 * thread starts the processes and kills the overrunning ones, so the caller never waits for a fork; completion
 * comes from Process.onExit(). On timeout the whole process group gets SIGKILL, so children the script left
 * behind die with it.
 */
public final class ProcessScriptRunner implements ScriptRunner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessScriptRunner.class);
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final List<Path> RUNUSER = List.of(Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"));
    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

    private final String defaultUser;
    private final ScheduledExecutorService launcher;

    /** defaultUser: global_defs' script_user ("user" or "user group"), used when a script names none; null: root. */
    public ProcessScriptRunner(String defaultUser) {
        this.defaultUser = defaultUser;
        this.launcher = Executors.newSingleThreadScheduledExecutor(work -> {
            Thread thread = new Thread(work, "jlvs-script-launcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public CompletableFuture<ScriptOutcome> run(Script script, List<String> args, Duration timeoutOrNull) {
        CompletableFuture<ScriptOutcome> outcome = new CompletableFuture<>();
        try {
            launcher.execute(() -> start(script, args, timeoutOrNull, outcome));
        } catch (RuntimeException closed) {
            outcome.complete(new ScriptOutcome(-1, false, "the script runner is closed"));
        }
        return outcome;
    }

    private void start(Script script, List<String> args, Duration timeout, CompletableFuture<ScriptOutcome> outcome) {
        Process process;
        try {
            process = new ProcessBuilder(commandLine(script, args))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot start {}: {}", script.commandLine(), e.toString());
            outcome.complete(new ScriptOutcome(-1, false, e.getMessage()));
            return;
        }
        ScheduledFuture<?> killer = timeout == null ? null
                : launcher.schedule(() -> kill(process, outcome), timeout.toNanos(), TimeUnit.NANOSECONDS);
        process.onExit().thenAccept(ended -> {
            if (killer != null) killer.cancel(false);
            int code = ended.exitValue();
            // a process killed by a signal exits 128+N through setsid; the killer already gave the verdict then
            outcome.complete(new ScriptOutcome(code, false, null));
        });
    }

    /** SIGKILL to the script's process group (setsid made its pid the group id), then to the process itself. */
    private static void kill(Process process, CompletableFuture<ScriptOutcome> outcome) {
        if (!process.isAlive()) return;
        outcome.complete(new ScriptOutcome(-1, true, null));
        try {
            Libc.kill((int) -process.pid(), Libc.SIGKILL);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.debug("killing process group {}: {}", process.pid(), e.toString());
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** setsid, then the user switch when a user is set, then the script's words and args. */
    private List<String> commandLine(Script script, List<String> args) {
        List<String> command = new ArrayList<>();
        Path setsid = firstExisting(SETSID);
        if (setsid != null) command.add(setsid.toString());
        String user = script.user() != null ? script.user() : defaultUser;
        if (user != null && !user.isBlank()) command.addAll(switchUser(user.strip().split("\\s+")));
        command.addAll(script.argv());
        command.addAll(args);
        return command;
    }

    private static List<String> switchUser(String[] userAndGroup) {
        String user = userAndGroup[0];
        String group = userAndGroup.length > 1 ? userAndGroup[1] : null;
        Path runuser = firstExisting(RUNUSER);
        if (runuser != null) {
            List<String> command = new ArrayList<>(List.of(runuser.toString(), "-u", user));
            if (group != null) command.addAll(List.of("-g", group));
            command.add("--");
            return command;
        }
        Path setpriv = firstExisting(SETPRIV);
        if (setpriv == null) throw new IllegalStateException("neither runuser nor setpriv to run as " + user);
        return List.of(setpriv.toString(), "--reuid=" + user, "--regid=" + (group != null ? group : user),
                "--init-groups", "--");
    }

    private static Path firstExisting(List<Path> candidates) {
        for (Path p : candidates) if (Files.isExecutable(p)) return p;
        return null;
    }

    @Override
    public void close() {
        launcher.shutdownNow();
    }
}
