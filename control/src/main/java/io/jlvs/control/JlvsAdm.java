package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * bin/jlvsadm: ipvsadm's command language for jlvs. The command line is checked here first, so syntax errors,
 * -h and -v work without a daemon (with ipvsadm's exit codes); then the parsed command (for -R, the parsed lines
 * of standard input) runs in the daemon over the control socket, and its rows are formatted here.
 * Extra option: --control PATH (else $JLVS_CONTROL, else /run/jlvs/jlvs.sock).
 */
public final class JlvsAdm {
    private JlvsAdm() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        ControlPaths.Split split = ControlPaths.split(args);
        String control = split.control();
        String[] command = split.argv();
        AdmCommand parsed;
        try {
            parsed = IpvsadmParser.parse(command);
        } catch (AdmException e) {
            System.err.println(e.getMessage());
            return e.exitCode();
        }
        if (parsed instanceof AdmCommand.Help || parsed instanceof AdmCommand.Version) {
            // answered locally: the text does not depend on the daemon
            return new AdmExecutor(null).execute(command, System.out, System.err);
        }
        Path socket = ControlPaths.resolve(control);
        // Listings are formatted line by line: a buffered stdout without autoflush writes them in large blocks
        // (ControlClient flushes it before any error and at the end).
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024),
                false, System.out.charset());
        return ControlClient.run(socket, parsed, System.in, out, System.err);
    }
}
