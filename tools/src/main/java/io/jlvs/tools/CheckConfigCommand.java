package io.jlvs.tools;

import io.jlvs.health.config.ConfigMessage;
import io.jlvs.health.config.KeepalivedParser;
import io.jlvs.health.config.ParseReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `jlvs check-config FILE`: keepalived -t for jlvs: every error as FILE:LINE: message, exit 1; else exit 0. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check a keepalived.conf as jlvs reads it: print every error as FILE:LINE: message and exit 1, "
                + "or print the warnings (statements accepted and ignored) and a summary and exit 0.")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The configuration file (its includes are read too).")
    Path file;

    @Override
    public Integer call() {
        ParseReport report = KeepalivedParser.check(file);
        for (ConfigMessage w : report.warnings()) System.err.println(w + " (warning)");
        for (ConfigMessage e : report.errors()) System.err.println(e);
        if (!report.errors().isEmpty()) {
            System.err.println(file + ": " + report.errors().size() + " error(s)");
            return 1;
        }
        System.out.println(file + ": OK, " + report.config().summary());
        return 0;
    }
}
