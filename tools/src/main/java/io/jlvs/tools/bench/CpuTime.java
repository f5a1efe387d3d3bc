package io.jlvs.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds read from /proc: a process's own (utime + stime of it and of its live descendants, so a launcher script
 * in front of a JVM does not hide the JVM), and the whole machine's busy time (every CPU's user, nice, system, irq,
 * softirq and steal: everything but idle and iowait). Both in clock ticks of 1/100 s.
 */
final class CpuTime {
    private static final double TICKS_PER_SECOND = 100;

    private CpuTime() {
    }

    /** The process's and its descendants' user + system CPU seconds so far. */
    static double process(long pid) {
        ProcessHandle self = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        return Stream.concat(Stream.of(self), self.descendants()).mapToDouble(p -> ownTicks(p.pid())).sum()
                / TICKS_PER_SECOND;
    }

    /** Busy CPU seconds of the whole machine so far, and of those the softirq part. */
    record Machine(double busySeconds, double softirqSeconds) {
        Machine minus(Machine before) {
            return new Machine(busySeconds - before.busySeconds, softirqSeconds - before.softirqSeconds);
        }
    }

    static Machine machine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = line.trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i = 1; i <= 8; i++) {
                if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
            }
            return new Machine(busy / TICKS_PER_SECOND, Long.parseLong(f[7]) / TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }

    /** Fields 14 and 15 of /proc/PID/stat, counted after the command name, which may itself hold spaces. */
    private static long ownTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            return 0; // a descendant that exited between the listing and the read
        }
    }
}
