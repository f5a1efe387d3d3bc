package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.FailoverTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Debian's keepalived as the other VRRP router of an interop test: VRRP only (`keepalived -P`), in a director's
 * namespace, its states reported by a notify script into a file, its log checked for complaints.
 */
final class KeepalivedVrrp {
    private KeepalivedVrrp() {}

    /** Writes notify.sh, which appends keepalived's state ($3) to the returned file, to the log directory. */
    static Path notifyScript(Path logs) throws IOException {
        Path states = logs.resolve("keepalived-states");
        Path notify = logs.resolve("notify.sh");
        Files.writeString(notify, "#!/bin/sh\necho \"$3\" >> " + states + "\n");
        Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwx------"));
        return states;
    }

    /** Starts keepalived-RUN in director d's namespace with this configuration (its files named after RUN). */
    static BackgroundProcess start(FailoverTopology topology, int d, String config, String run) throws IOException {
        Path logs = topology.processes().logDirectory();
        Path conf = logs.resolve("keepalived-" + run + ".conf");
        Files.writeString(conf, config);
        return topology.processes().start(topology.directorNamespace(d), "keepalived-" + run,
                List.of("/usr/sbin/keepalived", "-P", "-n", "-l", "-D", "-f", conf.toString(),
                        "-p", logs.resolve("keepalived-" + run + ".pid").toString(),
                        "-r", logs.resolve("vrrp-" + run + ".pid").toString()));
    }

    /** Waits until keepalived's notify script last reported the state. */
    static void awaitState(Path states, String state, Duration timeout) {
        Conditions.await("keepalived " + state, timeout, () -> {
            try {
                List<String> lines = Files.exists(states) ? Files.readAllLines(states) : List.of();
                return !lines.isEmpty() && lines.getLast().equals(state);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The log of the keepalived runs named: what it said about the packets it received, must be empty. */
    static List<String> complaints(FailoverTopology topology, String... runs) {
        return log(topology, runs).lines().filter(l -> l.matches("(?i).*(invalid|bad |mismatch|wrong|error).*")).toList();
    }

    static String log(FailoverTopology topology, String... runs) {
        StringBuilder all = new StringBuilder();
        try {
            for (String run : runs) {
                all.append(Files.readString(topology.processes().logDirectory().resolve("keepalived-" + run + ".log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }
}
