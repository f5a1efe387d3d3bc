package io.jlvs.platform.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of possible CPUs (/sys/devices/system/cpu/possible, a list such as "0-3" or "0,2-5"): the kernel's
 * per-CPU maps hold one value per possible CPU, online or not, and user space reads them all at once.
 */
public final class PossibleCpus {
    private PossibleCpus() {}

    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");
    private static volatile int count;

    public static int count() {
        int known = count;
        if (known > 0) return known;
        try {
            known = parse(Files.readString(POSSIBLE).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POSSIBLE, e);
        }
        count = known;
        return known;
    }

    /** The highest CPU number in a list like "0-3,5", plus one. */
    static int parse(String list) {
        int highest = -1;
        for (String range : list.split(",")) {
            String last = range.contains("-") ? range.substring(range.indexOf('-') + 1) : range;
            highest = Math.max(highest, Integer.parseInt(last.strip()));
        }
        if (highest < 0) throw new IllegalArgumentException("no CPU in \"" + list + "\"");
        return highest + 1;
    }
}
