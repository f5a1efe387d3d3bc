package io.jlvs.health.config;

import java.util.ArrayList;
import java.util.List;

/** The errors and warnings found while reading a configuration, in the order they were found. */
final class Diagnostics {
    private final List<ConfigMessage> errors = new ArrayList<>();
    private final List<ConfigMessage> warnings = new ArrayList<>();

    void error(Source source, String message) { errors.add(new ConfigMessage(source, message)); }

    void warning(Source source, String message) { warnings.add(new ConfigMessage(source, message)); }

    boolean hasErrors() { return !errors.isEmpty(); }

    List<ConfigMessage> errors() { return List.copyOf(errors); }

    List<ConfigMessage> warnings() { return List.copyOf(warnings); }

    /** "line 5" when where is in the same file as from, else "FILE:5": how a message points at another statement. */
    static String where(Source where, Source from) {
        return where.file().equals(from.file()) ? "line " + where.line() : where.toString();
    }
}
