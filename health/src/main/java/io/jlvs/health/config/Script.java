package io.jlvs.health.config;

import java.util.List;

/**
 * A script keepalived would run (notify_up, quorum_down, misc_path): the command line as written, split into
 * words the way keepalived splits it (double quotes group words), and the user it runs as (null: global_defs'
 * script_user, else root).
 */
public record Script(String commandLine, List<String> argv, String user) {
    public Script {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("empty script");
    }
}
