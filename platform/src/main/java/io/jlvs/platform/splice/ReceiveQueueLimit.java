package io.jlvs.platform.splice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The most payload a TCP socket's receive queue can hold in this network namespace: the larger of tcp_rmem's
 * maximum (what autotuning may grow a buffer to) and twice rmem_max (what SO_RCVBUF may set, doubled by the
 * kernel). Bounded, and Linux's default when the files cannot be read.
 */
final class ReceiveQueueLimit {
    private static final long DEFAULT = 6L << 20;
    private static final long CEILING = 64L << 20;

    private ReceiveQueueLimit() {}

    static long bytes() {
        long limit = Math.max(field(Path.of("/proc/sys/net/ipv4/tcp_rmem"), 2), 2 * field(Path.of("/proc/sys/net/core/rmem_max"), 0));
        return limit <= 0 ? DEFAULT : Math.min(limit, CEILING);
    }

    /** The index-th whitespace-separated number of the file, or 0. */
    private static long field(Path file, int index) {
        try {
            String[] fields = Files.readString(file).trim().split("\\s+");
            return index < fields.length ? Long.parseLong(fields[index]) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
