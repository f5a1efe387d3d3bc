package io.jlvs.platform.hostguard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Identity of the calling thread's network namespace: the inode of its ns/net file. /run is shared between
 * namespaces, so per-namespace state files are keyed by it. thread-self (not self) because a thread may have
 * entered another namespace with setns(2) than the process's main thread.
 */
public final class NetnsId {
    private NetnsId() {}

    /** The inode of the calling thread's network namespace. */
    public static long current() throws IOException {
        return inodeOf(Path.of("/proc/thread-self/ns/net"));
    }

    static long ofProcess(long pid) throws IOException {
        return inodeOf(Path.of("/proc/" + pid + "/ns/net"));
    }

    /**
     * A process's start time (clock ticks since boot, /proc/PID/stat field 22), or -1 if it does not run: with
     * the pid it tells a live owner of a per-namespace file from a pid reused since.
     */
    public static long processStartTime(long pid) {
        return HostGuardState.startTimeOf(pid);
    }

    private static long inodeOf(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }
}
