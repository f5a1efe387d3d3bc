package io.jlvs.health.config;

import java.util.List;

/** A configuration that cannot be used: every error found, each with its file and line. */
public final class ConfigException extends Exception {
    private final List<ConfigMessage> errors;

    public ConfigException(List<ConfigMessage> errors) {
        super(errors.isEmpty() ? "invalid configuration" : errors.getFirst().toString()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigMessage> errors() { return errors; }
}
