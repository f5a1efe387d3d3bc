package io.jlvs.health.config;

import java.nio.file.Path;

/** Where a statement was written: the file (an included one where it came from an include) and its line. */
public record Source(Path file, int line) {
    @Override
    public String toString() { return file + ":" + line; }
}
