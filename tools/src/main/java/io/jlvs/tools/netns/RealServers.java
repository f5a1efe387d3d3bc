package io.jlvs.tools.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs {@code bin/jlvs realserver} in the real-server namespaces of an {@link LvsTopology}: prepares them for DR or
 * TUN, checks them, undoes. For TUN on a kernel without the ipip module the command stays in the foreground as the
 * user-space decapsulator, so it is started as a background process and awaited until it prints its ready line.
 */
public final class RealServers {
    private static final Logger LOG = LoggerFactory.getLogger(RealServers.class);
    /** Printed by `jlvs realserver` once the host is prepared (and the decapsulator runs, for TUN). */
    public static final String READY_LINE = "jlvs realserver: ready";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private RealServers() {
    }

    /** Prepares every real server for {@code mode} ("dr" or "tun"); returns the background processes (TUN). */
    public static List<BackgroundProcess> prepareAll(LvsTopology topology, String mode) {
        return prepareAll(topology, mode, topology.vip());
    }

    /** As {@link #prepareAll(LvsTopology, String)} for another VIP of the topology (its IPv6 VIP, say). */
    public static List<BackgroundProcess> prepareAll(LvsTopology topology, String mode, String vip) {
        List<BackgroundProcess> started = new ArrayList<>();
        if (mode.equals("dr")) { // prepares and exits; the servers side by side (each run starts a JVM)
            List<String> prepare = command(topology, vip, "--mode", mode); // the frozen copy made once, here
            IntStream.rangeClosed(1, topology.serverCount()).parallel().forEach(k ->
                    topology.processes().run(topology.serverNamespace(k), prepare, ProcessRunner.DEFAULT_TIMEOUT)
                            .stdoutOrThrow());
            return started;
        }
        for (int k = 1; k <= topology.serverCount(); k++) {
            started.add(topology.processes().start(topology.serverNamespace(k), "realserver-" + topology.serverName(k),
                    command(topology, vip, "--mode", mode)));
        }
        for (BackgroundProcess p : started) p.awaitLogLine(READY_LINE, READY_TIMEOUT);
        return started;
    }

    /** Runs {@code jlvs realserver --check} on server k and returns the result (exit 1 when problems were found). */
    public static CommandResult check(LvsTopology topology, int k, String mode) {
        return check(topology, k, mode, topology.vip());
    }

    /** As {@link #check(LvsTopology, int, String)} for another VIP of the topology. */
    public static CommandResult check(LvsTopology topology, int k, String mode, String vip) {
        return topology.processes().run(topology.serverNamespace(k),
                command(topology, vip, "--mode", mode, "--check"),
                ProcessRunner.DEFAULT_TIMEOUT);
    }

    /** Runs {@code jlvs realserver --undo} on server k. */
    public static CommandResult undo(LvsTopology topology, int k, String mode) {
        return undo(topology, k, mode, topology.vip());
    }

    private static CommandResult undo(LvsTopology topology, int k, String mode, String vip) {
        return topology.processes().run(topology.serverNamespace(k), command(topology, vip, "--mode", mode, "--undo"),
                ProcessRunner.DEFAULT_TIMEOUT);
    }

    /**
     * Undoes the preparation on every server, best effort (for finally blocks): the state `jlvs realserver` keeps
     * in /run/jlvs is outside the namespaces and would outlive them. A TUN decapsulator is stopped by it too.
     */
    public static void undoAll(LvsTopology topology, String mode) {
        undoAll(topology, mode, topology.vip());
    }

    /** As {@link #undoAll(LvsTopology, String)} for another VIP of the topology. */
    public static void undoAll(LvsTopology topology, String mode, String vip) {
        command(topology, vip); // the frozen copy made once, before the servers' runs side by side
        IntStream.rangeClosed(1, topology.serverCount()).parallel().forEach(k -> {
            try {
                CommandResult r = undo(topology, k, mode, vip);
                if (!r.succeeded()) LOG.warn("jlvs realserver --undo failed: {}", r.describe());
            } catch (RuntimeException e) {
                LOG.warn("jlvs realserver --undo failed on {}: {}", topology.serverName(k), e.getMessage());
            }
        });
    }

    private static List<String> command(LvsTopology topology, String vip, String... args) {
        // A frozen copy of the built jlvs, made once per topology, as JlvsDirector does: bin/jlvs rebuilds when any
        // source is newer than the jar, and a rebuild in the middle of a test must neither stall nor swap the jar.
        String copy = "home-realserver";
        Path home = topology.processes().logDirectory().resolve(copy);
        if (!Files.isRegularFile(home.resolve("tools/target/jlvs-tools.jar"))) {
            JlvsHome.frozenCopy(topology.processes(), copy);
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/jlvs").toString(), "realserver",
                "--vip", vip));
        command.addAll(List.of(args));
        return command;
    }
}
