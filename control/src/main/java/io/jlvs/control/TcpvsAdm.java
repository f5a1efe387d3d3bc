package io.jlvs.control;

import io.jlvs.control.l7.L7Command;
import io.jlvs.control.l7.L7ConfigFile;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7UsageText;
import io.jlvs.control.protocol.ControlRequest;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * bin/tcpvsadm: KTCPVS's command language for jlvs's layer-7 proxy. The command line is checked here, -h and -v
 * answered here, and -f FILE read here (its errors as FILE:LINE, its warnings printed), so that the daemon gets
 * one parsed command; listings come back as rows and are formatted here.
 * Extra option: --control PATH (else $JLVS_CONTROL, else /run/jlvs/jlvs.sock).
 */
public final class TcpvsAdm {
    private TcpvsAdm() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        ControlPaths.Split split = ControlPaths.split(args);
        String control = split.control();
        L7Command command;
        try {
            command = io.jlvs.control.l7.TcpvsadmParser.parse(split.argv());
            if (command instanceof L7Command.LoadFile f) {
                L7ConfigFile.Result loaded = L7ConfigFile.parse(Path.of(f.path()));
                for (String warning : loaded.warnings()) System.err.println(warning);
                command = new L7Command.Load(loaded.config());
            }
        } catch (L7Exception e) {
            System.err.println(e.getMessage());
            return e.exitCode();
        }
        if (command instanceof L7Command.Help) {
            System.out.print(L7UsageText.text());
            return 0;
        }
        if (command instanceof L7Command.Version) {
            System.out.println(L7UsageText.version());
            return 0;
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024),
                false, System.out.charset());
        return ControlClient.run(ControlPaths.resolve(control), new ControlRequest.L7(command), out, System.err,
                NameResolver.system());
    }
}
