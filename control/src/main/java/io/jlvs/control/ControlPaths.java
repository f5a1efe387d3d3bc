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

    /** A command line with its --control PATH (or --control=PATH) taken out: the path (null if none) and the rest. */
    public record Split(String control, String[] argv) {}

    public static Split split(String[] args) {
        String control = null;
        java.util.List<String> argv = new java.util.ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--control") && i + 1 < args.length) control = args[++i];
            else if (a.startsWith("--control=")) control = a.substring("--control=".length());
            else argv.add(a);
        }
        return new Split(control, argv.toArray(String[]::new));
    }
}
