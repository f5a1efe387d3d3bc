package io.jlvs.health.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files an {@code include PATTERN} names: PATTERN is a glob (* ? [..] {..} in any component), relative to
 * the directory of the including file unless absolute; matches are read in sorted order, as glob(3) returns them.
 */
final class IncludeResolver {
    private IncludeResolver() {}

    static List<Path> resolve(Path includingFile, String pattern) throws ValueException {
        Path dir = includingFile.toAbsolutePath().getParent();
        Path full = dir.resolve(pattern).normalize();
        int fixed = 0;
        while (fixed < full.getNameCount() && !hasGlob(full.getName(fixed).toString())) fixed++;
        if (fixed == full.getNameCount()) {
            if (!Files.isRegularFile(full)) throw new ValueException("no file " + pattern);
            return List.of(full);
        }
        Path base = full.getRoot() == null ? full.subpath(0, fixed) : full.getRoot().resolve(
                fixed == 0 ? "" : full.subpath(0, fixed).toString());
        int depth = full.getNameCount() - fixed;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + full);
        if (!Files.isDirectory(base)) throw new ValueException("no file matches " + pattern);
        try (Stream<Path> paths = Files.walk(base, depth)) {
            List<Path> found = paths.filter(p -> p.getNameCount() == full.getNameCount() && matcher.matches(p)
                    && Files.isRegularFile(p)).sorted().toList();
            if (found.isEmpty()) throw new ValueException("no file matches " + pattern);
            return found;
        } catch (IOException | UncheckedIOException e) {
            throw new ValueException("cannot list " + base + ": " + e.getMessage());
        }
    }

    private static boolean hasGlob(String name) {
        for (int i = 0; i < name.length(); i++) if ("*?[{".indexOf(name.charAt(i)) >= 0) return true;
        return false;
    }
}
