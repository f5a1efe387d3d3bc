package io.jlvs.control;

import java.nio.file.Path;

/** Where the control socket lives: --control, else $JLVS_CONTROL, else /run/jlvs/jlvs.sock. */
public final class ControlPaths {
    public static final String DEFAULT = "/run/jlvs/jlvs.sock";
    public static final String ENV = "JLVS_CONTROL";

    private ControlPaths() {}

    public static Path resolve(String flagValueOrNull) {
        if (flagValueOrNull != null && !flagValueOrNull.isEmpty()) return Path.of(flagValueOrNull);
        String env = System.getenv(ENV);
        if (env != null && !env.isEmpty()) return Path.of(env);
        return Path.of(DEFAULT);
    }
}
