package io.jlvs.tools;

import io.jlvs.daemon.LogLevel;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonCommandTest {
    private static DaemonCommand parse(String... args) {
        DaemonCommand command = new DaemonCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void logLevelIsInfoByDefault() {
        assertEquals(LogLevel.INFO, parse("--interface", "eth0").logLevel);
    }

    @Test
    void logLevelTakesEachNameInAnyCase() {
        assertEquals(LogLevel.ERROR, parse("--interface", "eth0", "--log-level", "error").logLevel);
        assertEquals(LogLevel.WARN, parse("--interface", "eth0", "--log-level", "warn").logLevel);
        assertEquals(LogLevel.DEBUG, parse("--interface", "eth0", "--log-level", "DEBUG").logLevel);
        assertEquals(LogLevel.TRACE, parse("--interface", "eth0", "--log-level", "Trace").logLevel);
    }

    @Test
    void anUnknownLogLevelIsAUsageErrorNamingTheAcceptedOnes() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DaemonCommand()).setErr(new PrintWriter(err));
        int exitCode = cli.execute("--interface", "eth0", "--log-level", "verbose");
        assertEquals(2, exitCode);
        assertTrue(err.toString().startsWith("Invalid value for option '--log-level': "
                + "expected one of error|warn|info|debug|trace, not 'verbose'\n"), err.toString());
    }
}
