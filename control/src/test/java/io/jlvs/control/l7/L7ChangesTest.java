package io.jlvs.control.l7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class L7ChangesTest {
    private static final L7Endpoint S2 = L7Endpoint.parse("10.0.0.2:80", -1);
    private static final L7Endpoint S3 = L7Endpoint.parse("10.0.0.3:80", -1);

    /** Runs tcpvsadm command lines in turn from the empty table. */
    private static L7Config run(String... lines) throws L7Exception {
        L7Config config = L7Config.EMPTY;
        for (String line : lines) config = L7Changes.apply(config, TcpvsadmParser.parse(line.split(" ")));
        return config;
    }

    private static void assertRefused(String message, String... lines) {
        L7Exception e = assertThrows(L7Exception.class, () -> run(lines));
        assertEquals(message, e.getMessage());
        assertEquals(255, e.exitCode());
    }

    @Test
    void servicesServersAndRulesInOrder() throws L7Exception {
        L7Config c = run("-A -i web -s http -P 80", "-a -i web -r 10.0.0.2:80", "-a -i web -r 10.0.0.3:80 -w 3",
                "--add-rule -i web -p /images/.* -r 10.0.0.2:80", "-A -i api -l 10.0.0.100:8080 -s wlc");
        assertEquals(List.of("web", "api"), c.services().stream().map(L7Service::ident).toList());
        L7Service web = c.service("web");
        assertEquals(L7Endpoint.any(80), web.listen());
        assertEquals(L7Scheduler.HTTP, web.scheduler());
        assertEquals(L7Service.State.STOPPED, web.state());
        assertEquals(List.of(new L7Server(S2, 1), new L7Server(S3, 3)), web.servers());
        assertEquals(List.of(new L7Rule("/images/.*", null, 0, S2)), web.rules());
        assertEquals(L7Scheduler.WLC, c.service("api").scheduler());
    }

    @Test
    void editReplacesTheSettingsAndKeepsStateServersAndRules() throws L7Exception {
        L7Config c = run("-A -i web -s http -P 80 --xff", "-a -i web -r 10.0.0.2:80", "--start -i web",
                "-E -i web -s hhttp -P 81");
        L7Service web = c.service("web");
        assertEquals(L7Scheduler.HHTTP, web.scheduler());
        assertEquals(L7Endpoint.any(81), web.listen());
        assertEquals(L7Options.DEFAULT, web.options(), "an option not given takes its default, as tcpvsadm sends it");
        assertTrue(web.started());
        assertEquals(1, web.servers().size());
    }

    @Test
    void catchAllRulesStayLast() throws L7Exception {
        L7Config c = run("-A -i web", "-a -i web -r 10.0.0.2:80", "-a -i web -r 10.0.0.3:80",
                "--add-rule -i web -p .* -r 10.0.0.3:80", "--add-rule -i web -p ^/a -r 10.0.0.2:80",
                "--add-rule -i web --header Host -p .* -r 10.0.0.2:80", "--add-rule -i web -p ^/b -r 10.0.0.3:80");
        assertEquals(List.of("^/a", ".*", "^/b", ".*"), c.service("web").rules().stream().map(L7Rule::pattern).toList());
        assertEquals(null, c.service("web").rules().get(3).header(), "the URL catch-all is last; a header .* is not one");
    }

    @Test
    void aMatchMayHaveSeveralServers() throws L7Exception {
        L7Config c = run("-A -i web -s hhttp", "-a -i web -r 10.0.0.2:80", "-a -i web -r 10.0.0.3:80",
                "--add-rule -i web -p /u/([^/]+) -m 1 -r 10.0.0.2:80", "--add-rule -i web -p /u/([^/]+) -m 1 -r 10.0.0.3:80");
        L7Service web = c.service("web");
        assertEquals(List.of(S2, S3), web.matchServers(web.rules().getFirst()));
        assertRefused("match number 0 differs from the match number 1 of the rule's other servers",
                "-A -i web -s hhttp", "-a -i web -r 10.0.0.2:80", "-a -i web -r 10.0.0.3:80",
                "--add-rule -i web -p /u/([^/]+) -m 1 -r 10.0.0.2:80", "--add-rule -i web -p /u/([^/]+) -r 10.0.0.3:80");
    }

    @Test
    void deletions() throws L7Exception {
        L7Config c = run("-A -i web", "-a -i web -r 10.0.0.2:80", "-a -i web -r 10.0.0.3:80",
                "--add-rule -i web --header Host -p ^api -r 10.0.0.2:80", "--del-rule -i web --header Host -p ^api -r 10.0.0.2:80",
                "-d -i web -r 10.0.0.2:80", "-e -i web -r 10.0.0.3:80 -w 0");
        assertEquals(List.of(new L7Server(S3, 0)), c.service("web").servers());
        assertEquals(List.of(), c.service("web").rules());
        assertEquals(L7Config.EMPTY, run("-A -i web", "-A -i api -P 81", "--start", "-F"));
        assertEquals(L7Config.EMPTY, run("-A -i web", "-D -i web"));
    }

    @Test
    void startAndStopOneOrAll() throws L7Exception {
        L7Config c = run("-A -i web", "-A -i api -P 81", "--start");
        assertTrue(c.services().stream().allMatch(L7Service::started));
        c = L7Changes.apply(c, new L7Command.Stop("api"));
        assertTrue(c.service("web").started());
        assertEquals(L7Service.State.STOPPED, c.service("api").state());
    }

    @Test
    void refusalsInLibtcpvssWords() {
        assertRefused("Service already exists", "-A -i web", "-A -i web -P 81");
        assertRefused("Scheduler not found", "-A -i web -s rr");
        assertRefused("No such service", "-E -i web");
        assertRefused("No such service", "-D -i web");
        assertRefused("No such service", "--start -i web");
        assertRefused("No such service", "--stop -i web");
        assertRefused("Service not defined", "-a -i web -r 10.0.0.2:80");
        assertRefused("Service not defined", "--add-rule -i web -p x -r 10.0.0.2:80");
        assertRefused("Destination already exists", "-A -i web", "-a -i web -r 10.0.0.2:80", "-a -i web -r 10.0.0.2:80 -w 2");
        assertRefused("No such destination", "-A -i web", "-e -i web -r 10.0.0.2:80 -w 2");
        assertRefused("No such destination", "-A -i web", "-d -i web -r 10.0.0.2:80");
        assertRefused("Destination is busy: a rule uses it, delete the rule first", "-A -i web",
                "-a -i web -r 10.0.0.2:80", "--add-rule -i web -p x -r 10.0.0.2:80", "-d -i web -r 10.0.0.2:80");
    }

    @Test
    void jlvsRefusals() {
        assertRefused("Service is running: stop it before deleting it", "-A -i web", "--start -i web", "-D -i web");
        assertRefused("No such destination: 10.0.0.2:80 is not a server of the service", "-A -i web",
                "--add-rule -i web -p x -r 10.0.0.2:80");
        assertRefused("Rule already exists", "-A -i web", "-a -i web -r 10.0.0.2:80",
                "--add-rule -i web -p x -r 10.0.0.2:80", "--add-rule -i web -p x -r 10.0.0.2:80");
        assertRefused("No such rule", "-A -i web", "-a -i web -r 10.0.0.2:80",
                "--add-rule -i web -p x -r 10.0.0.2:80", "--del-rule -i web --header Host -p x -r 10.0.0.2:80");
        assertRefused("Address already in use by service web", "-A -i web -P 80", "-A -i api -l 10.0.0.1:80");
        assertRefused("Address already in use by service api", "-A -i web -P 80", "-A -i api -P 81", "-E -i web -P 81");
    }

    @Test
    void twoServicesMayShareAPortOnDifferentAddresses() throws L7Exception {
        assertEquals(2, run("-A -i web -l 10.0.0.1:80", "-A -i api -l 10.0.0.2:80").services().size());
        assertEquals(1, run("-A -i web -P 80", "-E -i web -P 80").services().size(), "a service does not clash with itself");
    }

    @Test
    void commandsFromTheWireAreCheckedAsTheParserChecksThem() {
        L7Exception bad = assertThrows(L7Exception.class, () -> L7Changes.apply(run("-A -i web", "-a -i web -r 10.0.0.2:80"),
                new L7Command.AddRule("web", new L7Rule("(", null, 0, S2))));
        assertEquals("invalid pattern: Unclosed group near index 1 in (", bad.getMessage());
        L7Exception group = assertThrows(L7Exception.class, () -> L7Changes.apply(run("-A -i web", "-a -i web -r 10.0.0.2:80"),
                new L7Command.AddRule("web", new L7Rule("a(b)", null, 3, S2))));
        assertEquals("match number 3 is out of range: the pattern has 1 group", group.getMessage());
    }

    @Test
    void loadReplacesTheTableAndKeepsRunningServicesRunning() throws L7Exception {
        L7Config running = run("-A -i web -P 80", "-A -i old -P 81", "--start");
        L7Config file = run("-A -i web -P 80", "-a -i web -r 10.0.0.2:80", "-A -i new -P 82");
        L7Config loaded = L7Changes.apply(running, new L7Command.Load(file));
        assertEquals(List.of("web", "new"), loaded.services().stream().map(L7Service::ident).toList());
        assertTrue(loaded.service("web").started());
        assertEquals(L7Service.State.STOPPED, loaded.service("new").state());
        assertEquals(1, loaded.service("web").servers().size());
    }

    @Test
    void aRefusalLeavesTheConfigAsItWas() throws L7Exception {
        L7Config before = run("-A -i web", "-a -i web -r 10.0.0.2:80");
        assertThrows(L7Exception.class, () -> L7Changes.apply(before, new L7Command.AddServer("web", new L7Server(S2, 1))));
        assertEquals(run("-A -i web", "-a -i web -r 10.0.0.2:80"), before);
        assertThrows(IllegalArgumentException.class, () -> L7Changes.apply(before, new L7Command.List(null, false)));
    }
}
