package io.jlvs.tools;

import io.jlvs.control.ControlPaths;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The --control option of the commands that talk to a running daemon. */
final class ControlSocketOption {
    @Option(names = "--control", paramLabel = "PATH",
            description = "Control socket of the daemon (default: $JLVS_CONTROL, else " + ControlPaths.DEFAULT + ").")
    String control;

    Path path() { return ControlPaths.resolve(control); }
}
