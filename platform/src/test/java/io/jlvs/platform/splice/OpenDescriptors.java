package io.jlvs.platform.splice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The process's open descriptors, as /proc/self/fd lists them. */
final class OpenDescriptors {
    private OpenDescriptors() {}

    static long count() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1;   // the directory stream's own descriptor
        }
    }

    /** Waits up to five seconds for the count to come down to {@code expected}; returns the last count. */
    static long awaitCount(long expected) throws IOException, InterruptedException {
        long count = count();
        for (int i = 0; i < 100 && count != expected; i++) {
            Thread.sleep(50);
            count = count();
        }
        return count;
    }
}
