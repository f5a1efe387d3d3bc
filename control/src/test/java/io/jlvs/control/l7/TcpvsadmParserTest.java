package io.jlvs.control.l7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpvsadmParserTest {
    private static final L7Endpoint S1 = new L7Endpoint(0x0A000002, 80);

    private static L7Command parse(String line) throws L7Exception {
        return TcpvsadmParser.parse(line.isEmpty() ? new String[0] : line.split(" "));
    }

    private static L7Exception error(String line) {
        return assertThrows(L7Exception.class, () -> parse(line));
    }

    private static void assertError(String line, String message, int exitCode) {
        L7Exception e = error(line);
        assertEquals(message, e.getMessage());
        assertEquals(exitCode, e.exitCode());
    }

    @Test
    void noArgumentsListsEverything() throws L7Exception {
        assertEquals(new L7Command.List(null, false), parse(""));
    }

    @Test
    void addServiceTakesTcpvsadmsDefaults() throws L7Exception {
        assertEquals(new L7Command.AddService("web", L7ServiceSettings.DEFAULT), parse("-A -i web"));
    }

    @Test
    void addServiceWithSchedulerAndPortListensOnEveryAddress() throws L7Exception {
        assertEquals(new L7Command.AddService("web", new L7ServiceSettings(L7Endpoint.any(80), "hhttp", L7Options.DEFAULT)),
                parse("-A -i web -s hhttp -P 80"));
        assertEquals(new L7Command.AddService("web", new L7ServiceSettings(L7Endpoint.any(80), "wlc", L7Options.DEFAULT)),
                parse("--add-service --ident=web --scheduler wlc --port=80"));
    }

    @Test
    void listenTakesAnAddressAndOptionallyAPort() throws L7Exception {
        assertEquals(new L7Endpoint(0x0A000001, 81),
                ((L7Command.AddService) parse("-A -i web -l 10.0.0.1:81")).settings().listen());
        assertEquals(new L7Endpoint(0x0A000001, 8080),
                ((L7Command.AddService) parse("-A -i web --listen 10.0.0.1")).settings().listen());
        assertEquals(new L7Endpoint(0x0A000001, 90),
                ((L7Command.AddService) parse("-A -i web -P 90 -l 10.0.0.1")).settings().listen(), "-l without a port keeps -P's");
        assertEquals(new L7Endpoint(0x0A000001, 90),
                ((L7Command.AddService) parse("-A -i web -l 10.0.0.1:81 -P 90")).settings().listen(), "the last one wins");
    }

    @Test
    void jlvsServiceOptions() throws L7Exception {
        L7Command c = parse("-E -i web --xff --proxy-protocol v2 --source 192.168.1.5 --splice pipe");
        assertEquals(new L7Command.EditService("web", new L7ServiceSettings(L7Endpoint.any(8080), "http",
                new L7Options(true, L7Options.ProxyProtocol.V2, OptionalInt.of(0xC0A80105), L7Options.Splice.PIPE))), c);
        assertEquals(L7Options.Splice.SOCKMAP,
                ((L7Command.AddService) parse("-A -i web --splice=SOCKMAP")).settings().options().splice());
    }

    @Test
    void aServiceIsCheckedByTcpUnlessToldOtherwise() throws L7Exception {
        assertEquals(L7Check.DEFAULT, ((L7Command.AddService) parse("-A -i web")).settings().options().check());
        assertEquals(new L7Check(L7Check.Kind.TCP, null, 0, 5, 3, 1), L7Check.DEFAULT);
        assertEquals(new L7Check(L7Check.Kind.HTTP, "/health", 204, 2, 1, 0), ((L7Command.EditService) parse(
                "-E -i web --check http --check-path /health --check-status 204 --check-interval 2 --check-timeout 1"
                        + " --check-retries 0")).settings().options().check());
        assertEquals(new L7Check(L7Check.Kind.HTTP, "/", 0, 5, 3, 1),
                ((L7Command.AddService) parse("-A -i web --check HTTP")).settings().options().check());
        assertEquals(new L7Check(L7Check.Kind.NONE, null, 0, 5, 3, 1),
                ((L7Command.AddService) parse("-A -i web --check=none")).settings().options().check());
    }

    @Test
    void serviceAndServerCommands() throws L7Exception {
        assertEquals(new L7Command.DeleteService("web"), parse("-D -i web"));
        assertEquals(new L7Command.Flush(), parse("-F"));
        assertEquals(new L7Command.AddServer("web", new L7Server(S1, 1)), parse("-a -i web -r 10.0.0.2:80"));
        assertEquals(new L7Command.AddServer("web", new L7Server(S1, 0)), parse("--add-server -i web -r 10.0.0.2:80 -w 0"));
        assertEquals(new L7Command.EditServer("web", new L7Server(S1, 65535)), parse("-e -i web -r 10.0.0.2:80 -w 65535"));
        assertEquals(new L7Command.DeleteServer("web", S1), parse("--delete-server -i web --real-server 10.0.0.2:80"));
    }

    @Test
    void ruleCommands() throws L7Exception {
        assertEquals(new L7Command.AddRule("web", new L7Rule("/images/.*", null, 0, S1)),
                parse("--add-rule -i web --pattern=/images/.* -r 10.0.0.2:80"));
        assertEquals(new L7Command.AddRule("web", new L7Rule("/u/([^/]+)/", null, 1, S1)),
                parse("--add-rule -i web -p /u/([^/]+)/ -r 10.0.0.2:80 -m 1"));
        assertEquals(new L7Command.AddRule("web", new L7Rule("^api\\.", "Host", 0, S1)),
                parse("--add-rule -i web --header Host -p ^api\\. -r 10.0.0.2:80"));
        assertEquals(new L7Command.DeleteRule("web", new L7Rule("^api\\.", "Host", 0, S1)),
                parse("--del-rule -i web --header Host -p ^api\\. -r 10.0.0.2:80"));
    }

    @Test
    void listStartStopLoadHelpVersion() throws L7Exception {
        assertEquals(new L7Command.List(null, false), parse("-L"));
        assertEquals(new L7Command.List("web", true), parse("-Ln -i web"));
        assertEquals(new L7Command.List(null, true), parse("--list --numeric"));
        assertEquals(new L7Command.List("web", true, true), parse("-L -n -i web --stats"));
        assertEquals(new L7Command.List(null, false, true), parse("-L --stat"));
        assertEquals(new L7Command.Start(null), parse("--start"));
        assertEquals(new L7Command.Start("web"), parse("--start -i web"));
        assertEquals(new L7Command.Stop("web"), parse("--stop --ident web"));
        assertEquals(new L7Command.LoadFile("/etc/tcpvs.conf"), parse("-f /etc/tcpvs.conf"));
        assertEquals(new L7Command.LoadFile("/etc/tcpvs.conf"), parse("--load-configfile=/etc/tcpvs.conf"));
        assertEquals(new L7Command.Help(), parse("-h"));
        assertEquals(new L7Command.Help(), parse("--help -i whatever"));
        assertEquals(new L7Command.Version(), parse("-v"));
    }

    @Test
    void longOptionsMayBeAbbreviatedAndShortOnesClustered() throws L7Exception {
        assertEquals(new L7Command.AddRule("web", new L7Rule("x", null, 0, S1)),
                parse("--add-r -iweb --pat x -r10.0.0.2:80"));
        assertEquals(new L7Command.List("web", true), parse("-Ln -iweb"));
    }

    @Test
    void wordsThatAreNotOptionsAreRefusedAfterTheCommand() {
        assertError("-L foo", "unknown arguments found in command line", 2);
        assertError("foo -L", "unknown arguments found in command line", 2);
        assertError("-L -- -n", "unknown arguments found in command line", 2);
    }

    @Test
    void aLineThatDoesNotStartWithACommandGetsTheTryLine() {
        String tryLine = "Try `tcpvsadm -h' or 'tcpvsadm --help' for more information.";
        assertError("-i web", tryLine, 255);
        assertError("foo", tryLine, 255);
        assertError("-x", "tcpvsadm: invalid option -- 'x'\n" + tryLine, 255);
        assertError("--bogus", "tcpvsadm: unrecognized option '--bogus'\n" + tryLine, 255);
        assertError("-f", "tcpvsadm: option requires an argument -- 'f'\n" + tryLine, 255);
    }

    @Test
    void getoptErrorsAfterTheCommandAreInvalidOptions() {
        assertError("-L -x", "tcpvsadm: invalid option -- 'x'\ninvalid option", 2);
        assertError("-A --bogus", "tcpvsadm: unrecognized option '--bogus'\ninvalid option", 2);
        assertError("-A -i", "tcpvsadm: option requires an argument -- 'i'\ninvalid option", 2);
        assertError("-A --ident", "tcpvsadm: option '--ident' requires an argument\ninvalid option", 2);
        assertError("-A -i web --xff=yes", "tcpvsadm: option '--xff' doesn't allow an argument\ninvalid option", 2);
        assertError("-L --stats=yes", "tcpvsadm: option '--stats' doesn't allow an argument\ninvalid option", 2);
        assertError("-A -i web --s x", "tcpvsadm: option '--s' is ambiguous; possibilities: '--start' "
                + "'--stop' '--scheduler' '--source' '--splice' '--stats'\ninvalid option", 2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-A -D -i web | multiple commands specified",
            "-L -h | multiple commands specified",
            "-A -i web -i www | multiple 'ident' options specified",
            "-A -i web -s http -s wlc | multiple 'scheduler' options specified",
            "-a -i web -r 10.0.0.2:80 -w 1 -w 2 | multiple 'weight' options specified",
            "-A -i web -P 0 | illegal server port specified",
            "-A -i web -P 65535 | illegal server port specified",
            "-A -i web -P http | illegal server port specified",
            "-A -i web -l 10.0.0.300:80 | illegal address:port specified",
            "-A -i web -l 10.0.0.1:70000 | illegal address:port specified",
            "-a -i web -r 10.0.0.2 | illegal address:port specified",
            "-a -i web -r somehost:80 | illegal address:port specified",
            "-a -i web -r 10.0.0.2:80 -w 65536 | illegal weight specified",
            "-a -i web -r 10.0.0.2:80 -w -1 | illegal weight specified",
            "--add-rule -i web -p x -r 10.0.0.2:80 -m 11 | illegal match number specified",
            "--add-rule -i web -p x -r 10.0.0.2:80 -m one | illegal match number specified",
            "-A -i web/1 | illegal ident specified",
            "-A -i abcdefghijklmnop | illegal ident specified",
            "--add-rule -i web --header Ho:st -p x -r 10.0.0.2:80 | illegal header name specified",
            "-A -i web --proxy-protocol v1 | illegal proxy protocol version specified (v2)",
            "-A -i web --source 10.0.0 | illegal source address specified",
            "-A -i web --splice zero | illegal splice mode specified (sockmap, pipe or copy)",
            "-A -i web --check ping | illegal check specified (tcp, http or none)",
            "-A -i web --check-path /health | a check path needs the http check",
            "-A -i web --check tcp --check-status 200 | a check status needs the http check",
            "-A -i web --check http --check-path health | illegal check path specified (/PATH without spaces)",
            "-A -i web --check http --check-status 99 | illegal check status specified (100..599)",
            "-A -i web --check http --check-status 2xx | illegal check status specified (100..599)",
            "-A -i web --check-interval 0 | illegal check interval specified (1..3600 seconds)",
            "-A -i web --check-timeout 3601 | illegal check timeout specified (1..3600 seconds)",
            "-A -i web --check-retries -1 | illegal check retries specified (0..100)",
            "-A -i web --check tcp --check none | multiple 'check' options specified",
    })
    void badValuesExitTwo(String line, String message) {
        assertError(line, message, 2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-A | You need to supply the 'ident' option for the 'add-service' command",
            "-E -s http | You need to supply the 'ident' option for the 'edit-service' command",
            "-D | You need to supply the 'ident' option for the 'delete-service' command",
            "-a -i web | You need to supply the 'real-server' option for the 'add-server' command",
            "-e -r 10.0.0.2:80 | You need to supply the 'ident' option for the 'edit-server' command",
            "-d -i web | You need to supply the 'real-server' option for the 'delete-server' command",
            "--add-rule -i web -r 10.0.0.2:80 | You need to supply the 'pattern' option for the 'add-rule' command",
            "--del-rule -i web -p x | You need to supply the 'real-server' option for the 'del-rule' command",
            "-A -i web -w 2 | Illegal 'weight' option with the 'add-service' command",
            "-A -i web -n | Illegal 'numeric' option with the 'add-service' command",
            "-E -i web -m 1 | Illegal 'match' option with the 'edit-service' command",
            "-D -i web -s http | Illegal 'scheduler' option with the 'delete-service' command",
            "-D -i web --xff | Illegal 'xff' option with the 'delete-service' command",
            "-F -i web | Illegal 'ident' option with the 'flush' command",
            "-L -s http | Illegal 'scheduler' option with the 'list' command",
            "-a -i web -r 10.0.0.2:80 -p x | Illegal 'pattern' option with the 'add-server' command",
            "-d -i web -r 10.0.0.2:80 -w 1 | Illegal 'weight' option with the 'delete-server' command",
            "--add-rule -i web -p x -r 10.0.0.2:80 -w 1 | Illegal 'weight' option with the 'add-rule' command",
            "--add-rule -i web -p x -r 10.0.0.2:80 --splice pipe | Illegal 'splice' option with the 'add-rule' command",
            "--del-rule -i web -p x -r 10.0.0.2:80 -m 0 | Illegal 'match' option with the 'del-rule' command",
            "-a -i web -r 10.0.0.2:80 --header Host | Illegal 'header' option with the 'add-server' command",
            "--start -P 80 | Illegal 'port' option with the 'start' command",
            "--stop -n | Illegal 'numeric' option with the 'stop' command",
            "-A -i web --stats | Illegal 'stats' option with the 'add-service' command",
            "--start --stats | Illegal 'stats' option with the 'start' command",
            "-L --stats --stats | multiple 'stats' options specified",
            "-f x -i web | Illegal 'ident' option with the 'load-configfile' command",
            "-a -i web -r 10.0.0.2:80 --check tcp | Illegal 'check' option with the 'add-server' command",
            "-D -i web --check-interval 2 | Illegal 'check-interval' option with the 'delete-service' command",
            "--start --check-retries 2 | Illegal 'check-retries' option with the 'start' command",
    })
    void theCommandOptionTable(String line, String message) {
        assertError(line, message, 2);
    }

    @Test
    void rulePatternsAreCheckedWithJavasRegex() {
        L7Exception e = error("--add-rule -i web -p /users/( -r 10.0.0.2:80");
        assertEquals(2, e.exitCode());
        assertEquals("invalid pattern: Unclosed group near index 8 in /users/(", e.getMessage());
        assertError("--add-rule -i web -p /users/([^/]+)/ -r 10.0.0.2:80 -m 2",
                "match number 2 is out of range: the pattern has 1 group", 2);
        assertError("--add-rule -i web -p /users/ -r 10.0.0.2:80 -m 1",
                "match number 1 is out of range: the pattern has no groups", 2);
    }
}
