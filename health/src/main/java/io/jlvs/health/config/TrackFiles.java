package io.jlvs.health.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The top-level {@code track_file NAME { file PATH; weight N }} blocks FILE_CHECK refers to by name. */
final class TrackFiles {
    /** A tracked file: its path and the weight multiplier (default 1) a FILE_CHECK uses unless it sets its own. */
    record TrackFile(Source source, Path file, int weight) {}

    private static final class Builder {
        Path file;
        int weight = 1;
    }

    private static final KeywordTable<Builder> KEYWORDS = new KeywordTable<Builder>("track_file")
            .leaf("file", (s, b) -> b.file = Path.of(s.value()))
            .leaf("weight", (s, b) -> {
                s.requireArgs(1, 2);
                b.weight = weight(s.arg(0));
                if (s.argCount() == 2 && !s.arg(1).equals("reverse"))
                    throw new ValueException("unexpected '" + s.arg(1) + "'");
                if (s.argCount() == 2) throw new ValueException("reverse is not supported by jlvs yet");
            })
            .ignore("jlvs does not create tracked files", "init_file");

    private final Map<String, TrackFile> byName = new HashMap<>();

    static int weight(String text) throws ValueException {
        return (int) Values.integer(text, -65535, 65535);
    }

    void define(Statement s, Diagnostics diagnostics) throws ValueException {
        String name = s.value();
        Builder b = new Builder();
        KEYWORDS.apply(s.block(), b, diagnostics);
        if (b.file == null) throw new ValueException(name + ": missing file");
        TrackFile previous = byName.putIfAbsent(name, new TrackFile(s.source(), b.file, b.weight));
        if (previous != null)
            throw new ValueException(name + " is already defined at " + Diagnostics.where(previous.source(), s.source()));
    }

    TrackFile get(String name) { return byName.get(name); }
}
