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

    @Test
    void bgpIsOffByDefaultAndBirdTakesItsDefaults() {
        assertEquals(null, parse("--interface", "eth0").bgp.settings());
        var settings = parse("--interface", "eth0", "--bgp", "bird").bgp.settings();
        assertEquals(java.nio.file.Path.of("/etc/bird/jlvs-vips.conf"), settings.include());
        assertEquals(java.nio.file.Path.of("/run/bird/bird.ctl"), settings.socket());
        assertEquals("jlvs-bgp", settings.link());
        settings = parse("--interface", "eth0", "--bgp", "bird", "--bgp-include", "/tmp/x.conf", "--bgp-socket",
                "/tmp/b.ctl", "--bgp-link", "bgp0").bgp.settings();
        assertEquals("/tmp/x.conf /tmp/b.ctl bgp0", settings.include() + " " + settings.socket() + " " + settings.link());
        assertEquals(null, settings.bfd(), "no BFD unless asked");
    }

    @Test
    void bgpBfdTakesItsIntervalAndIsRefusedWithoutBgpOrWithABadInterval() {
        var bfd = parse("--interface", "eth0", "--bgp", "bird", "--bgp-bfd").bgp.settings().bfd();
        assertEquals(new io.jlvs.announce.BfdSettings(java.time.Duration.ofMillis(100), 3), bfd);
        bfd = parse("--interface", "eth0", "--bgp", "bird", "--bgp-bfd", "--bgp-bfd-interval", "50").bgp.settings()
                .bfd();
        assertEquals(java.time.Duration.ofMillis(150), bfd.detectionTime());
        assertEquals("--bgp-include, --bgp-socket, --bgp-link and --bgp-bfd need --bgp bird",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> parse("--interface", "eth0", "--bgp-bfd").bgp.settings()).getMessage());
        assertEquals("--bgp-bfd-interval needs --bgp-bfd", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> parse("--interface", "eth0", "--bgp", "bird",
                        "--bgp-bfd-interval", "50").bgp.settings()).getMessage());
        assertEquals("--bgp-bfd-interval must be 1 to 10000 ms: 0", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> parse("--interface", "eth0", "--bgp", "bird", "--bgp-bfd",
                        "--bgp-bfd-interval", "0").bgp.settings()).getMessage());
    }

    @Test
    void anotherRoutingDaemonABadLinkOrBgpOptionsWithoutBgpAreRefusedWithAMessage() {
        assertEquals("--bgp must be bird, not frr", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> parse("--interface", "eth0", "--bgp", "frr").bgp.settings()).getMessage());
        assertEquals("--bgp-include, --bgp-socket, --bgp-link and --bgp-bfd need --bgp bird", org.junit.jupiter.api.Assertions
                .assertThrows(IllegalArgumentException.class,
                        () -> parse("--interface", "eth0", "--bgp-include", "/tmp/x").bgp.settings()).getMessage());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> parse("--interface", "eth0", "--bgp", "bird", "--bgp-link", "bad\"name").bgp.settings())
                .getMessage().startsWith("--bgp-link must be an interface name"));
    }
}
