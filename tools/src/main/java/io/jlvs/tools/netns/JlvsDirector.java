package io.jlvs.tools.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.jlvs.daemon.TableStore;

/**
 * The jlvs daemon running in the director namespace of an {@link LvsTopology}, started as
 * {@code bin/jlvs daemon --interface CLIENT_SIDE [--interface SERVER_SIDE] --mode MODE --io IO --control SOCK},
 * and administered through {@code bin/jlvsadm --control SOCK ...} run in the same namespace.
 */
public final class JlvsDirector implements AutoCloseable {
    private static final AtomicInteger RULE_FILES = new AtomicInteger();
    private final DirectorSeat seat;
    private final Path home;
    private final Path controlSocket;
    private final BackgroundProcess daemon;
    private final List<String> command;

    private JlvsDirector(DirectorSeat seat, Path home, Path controlSocket, BackgroundProcess daemon,
                         List<String> command) {
        this.seat = seat;
        this.home = home;
        this.controlSocket = controlSocket;
        this.daemon = daemon;
        this.command = command;
    }

    /**
     * Starts the daemon and waits until its control socket exists. The daemon and jlvsadm run from a frozen copy
     * of the jlvs home in the topology's log folder ({@link JlvsHome#frozenCopy}), so that neither rebuilds nor
     * sees its jars replaced while sources change under it. On failure the daemon is stopped and the exception
     * carries the tail of its log.
     *
     * @param mode nat, dr or tun
     * @param io   afpacket, pcap or afxdp
     */
    public static JlvsDirector start(LvsTopology topology, String mode, String io, Duration timeout) {
        return start(topology, mode, io, timeout, List.of());
    }

    /** As {@link #start(LvsTopology, String, String, Duration)}, with more daemon options (e.g. --workers 2). */
    public static JlvsDirector start(LvsTopology topology, String mode, String io, Duration timeout,
                                     List<String> daemonOptions) {
        return start(topology.seat(io), mode, io, timeout, daemonOptions);
    }

    /** Starts a daemon on a seat of any topology (one of the two directors of a failover pair, say). */
    public static JlvsDirector start(DirectorSeat seat, String mode, String io, Duration timeout,
                                     List<String> daemonOptions) {
        Path home = JlvsHome.frozenCopy(seat.processes(), "home-" + seat.name());
        Path socket = seat.processes().logDirectory().resolve("jlvs-" + seat.name() + ".sock");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/jlvs").toString(), "daemon",
                "--interface", seat.clientSide()));
        if (!seat.serverSide().equals(seat.clientSide())) {
            command.addAll(List.of("--interface", seat.serverSide()));
        }
        command.addAll(List.of("--mode", mode, "--io", io, "--control", socket.toString()));
        command.addAll(daemonOptions);
        return launch(seat, home, socket, List.copyOf(command), "jlvs-daemon-" + seat.name(), timeout);
    }

    private static JlvsDirector launch(DirectorSeat seat, Path home, Path socket, List<String> command, String label,
                                       Duration timeout) {
        BackgroundProcess daemon = seat.processes().start(seat.namespace(), label, command);
        // Stops waiting at the socket or at the daemon's exit, whichever comes first.
        Conditions.holdsWithin(timeout, () -> Files.exists(socket) || !daemon.isAlive());
        if (!Files.exists(socket)) {
            String why = daemon.isAlive() ? "made no control socket within " + timeout : "exited";
            daemon.stop(Duration.ofSeconds(3));
            throw daemon.failure(why + " (" + String.join(" ", command) + ")");
        }
        return new JlvsDirector(seat, home, socket, daemon, command);
    }

    /** SIGKILL of the daemon: a crash. Its connection table and saved services stay for {@link #startAgain}. */
    public void kill() {
        daemon.kill();
    }

    /**
     * Starts the daemon again with the same command line, on the same seat and control socket (after {@link #kill}
     * or {@link #close}), and waits until its control socket exists: by then it has restored its services and
     * re-attached its connections. {@code generation} tells its log apart from the previous daemon's.
     */
    public JlvsDirector startAgain(int generation, Duration timeout) {
        try {
            Files.deleteIfExists(controlSocket); // the dead daemon's: nothing listens on it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return launch(seat, home, controlSocket, command, "jlvs-daemon-" + seat.name() + "-" + generation, timeout);
    }

    /**
     * Deletes what the daemons of this control socket keep in /dev/shm for a restart (the connection table and the
     * saved services), once no daemon runs on it any more.
     */
    public void forgetSavedState() {
        String suffix = "-" + TableStore.socketHash(controlSocket) + ".";
        try (var files = Files.list(TableStore.DIRECTORY)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("jlvs-") && name.contains(suffix)) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code bin/jlvsadm --control SOCK args...} in the director namespace. */
    public CommandResult adm(String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/jlvsadm").toString(),
                "--control", controlSocket.toString()));
        command.addAll(List.of(args));
        return seat.processes().run(seat.namespace(), command, ProcessRunner.DEFAULT_TIMEOUT);
    }

    /** Runs {@code bin/tcpvsadm --control SOCK args...} in the director namespace: the layer-7 proxy's language. */
    public CommandResult tcpvs(String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/tcpvsadm").toString(),
                "--control", controlSocket.toString()));
        command.addAll(List.of(args));
        return seat.processes().run(seat.namespace(), command, ProcessRunner.DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code bin/jlvs COMMAND --control SOCK args...} in the director namespace: the daemon's own operations
     * (status, drain, undrain, reload).
     */
    public CommandResult jlvs(String command, String... args) {
        List<String> argv = new ArrayList<>(List.of(home.resolve("bin/jlvs").toString(), command,
                "--control", controlSocket.toString()));
        argv.addAll(List.of(args));
        return seat.processes().run(seat.namespace(), argv, ProcessRunner.DEFAULT_TIMEOUT);
    }

    /**
     * Feeds ipvsadm lines (as {@code jlvsadm -S} prints them) to {@code jlvsadm -R} in one call: one JVM start for
     * a whole configuration instead of one per line. Throws when jlvsadm fails; returns its output.
     */
    public String restore(String rules) {
        Path file = seat.processes().logDirectory().resolve("rules-" + RULE_FILES.incrementAndGet() + ".txt");
        try {
            Files.writeString(file, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // ProcessRunner gives commands /dev/null as stdin, so a shell feeds the file
        List<String> command = List.of("sh", "-c", "exec \"$0\" --control \"$1\" -R < \"$2\"",
                home.resolve("bin/jlvsadm").toString(), controlSocket.toString(), file.toString());
        return seat.processes().run(seat.namespace(), command, ProcessRunner.DEFAULT_TIMEOUT)
                .stdoutOrThrow();
    }

    /** Like {@link #adm} but throws when jlvsadm fails; returns its output. */
    public String admOrThrow(String... args) {
        return adm(args).stdoutOrThrow();
    }

    /**
     * Adds service {@code protocolFlag} ("-t" or "-u") VIP:port with the scheduler, and every real server of the
     * topology on the same port with the forwarding flag ("-m" NAT, "-g" DR, "-i" tunnel).
     */
    public void addServiceWithAllServers(String protocolFlag, int port, String scheduler, String forwardFlag) {
        String service = seat.vip() + ":" + port;
        admOrThrow("-A", protocolFlag, service, "-s", scheduler);
        for (String server : seat.serverAddresses()) {
            admOrThrow("-a", protocolFlag, service, "-r", server + ":" + port, forwardFlag);
        }
    }

    /** Waits until `jlvs status` shows the VRRP instance in the state (MASTER, BACKUP, FAULT...). */
    public void awaitVrrpState(String instance, String state, Duration timeout) {
        Conditions.await(instance + " " + state + " on " + controlSocket, timeout,
                () -> jlvs("status").stdout().lines()
                        .anyMatch(l -> l.startsWith("VRRP " + instance + " ") && l.contains(": " + state)));
    }

    /** The frozen jlvs home the daemon and jlvsadm run from. */
    public Path home() {
        return home;
    }

    public Path controlSocket() {
        return controlSocket;
    }

    public BackgroundProcess daemon() {
        return daemon;
    }

    /**
     * Stops the daemon (SIGTERM first, so it can undo what it changed in the namespace) and deletes what it kept in
     * /dev/shm for a restart.
     */
    @Override
    public void close() {
        daemon.stop(Duration.ofSeconds(5));
        forgetSavedState();
    }
}
