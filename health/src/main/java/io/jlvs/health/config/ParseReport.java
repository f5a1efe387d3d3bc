package io.jlvs.health.config;

import java.util.List;

/**
 * What {@link KeepalivedParser#check} found: every error and warning, each with its file and line, and the
 * configuration when there were no errors (null otherwise).
 */
public record ParseReport(List<ConfigMessage> errors, List<ConfigMessage> warnings, KeepalivedConfig config) {
    public ParseReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() { return errors.isEmpty(); }
}
