package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;

import io.jlvs.control.model.MarkRule;
import io.jlvs.control.model.Protocol;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jlvs mark-rule commands: --mark, --unmark, --list-marks, and their place in -S, -R and -C. */
class MarkCommandsTest {
    static final String RULE = "--mark 1 -P tcp -d 10.0.0.100/32 --dport 80";

    @Test
    void markParsesIntoARuleWithNormalisedNetwork() throws AdmException {
        AdmCommand cmd = IpvsadmParser.parse("--mark 7 -P udp -d 10.1.2.3/16 --dport 5000:5100".split(" "));
        assertEquals(new AdmCommand.AddMarkRule(new MarkRule(7, Protocol.UDP, 0x0A01_0000, 16, 5000, 5100)), cmd);
    }

    @Test
    void anIpv6RuleParsesWithItsPrefixNormalisedAndSavesAsItReadsBack() throws AdmException {
        AdmCommand.AddMarkRule cmd = (AdmCommand.AddMarkRule)
                IpvsadmParser.parse("--mark 9 -P tcp -d [fd00:1::1:ff]/112 --dport 80".split(" "));
        MarkRule rule = cmd.rule();
        assertEquals(6, rule.af());
        assertEquals(0xfd00_0001_0000_0000L, rule.addrHi());
        assertEquals(0x0000_0000_0001_0000L, rule.addrLo(), "host bits cleared");
        assertEquals("--mark 9 -P tcp -d fd00:1::1:0/112 --dport 80", rule.saveText());
        assertEquals(new AdmCommand.AddMarkRule(rule), IpvsadmParser.parse(rule.saveText().split(" ")));
        assertEquals("--mark 9 -P udp -d fd00:1::100/128",
                ((AdmCommand.AddMarkRule) IpvsadmParser.parse("--mark 9 -P udp -d fd00:1::100".split(" "))).rule()
                        .saveText());
        assertTrue(!rule.matches(6, 0, 80), "an IPv6 rule matches no IPv4 packet");
        assertEquals(AdmException.SYNTAX, new AdmHarness().run("--mark 1 -P tcp -d fd00::1/129"));
    }

    @Test
    void aRuleWithoutPortMatchesEveryPortAndSavesWithoutOne() throws AdmException {
        AdmCommand.AddMarkRule cmd = (AdmCommand.AddMarkRule) IpvsadmParser.parse("--mark 2 -P tcp -d 10.0.0.5".split(" "));
        assertTrue(cmd.rule().matches(6, 0x0A00_0005, 1) && cmd.rule().matches(6, 0x0A00_0005, 65535));
        assertEquals("--mark 2 -P tcp -d 10.0.0.5/32", cmd.rule().saveText());
    }

    @Test
    void badMarkCommandsAreSyntaxErrors() {
        for (String line : List.of("--mark 1 -P icmp -d 10.0.0.1", "--mark 1 -d 10.0.0.1", "--mark 1 -P tcp",
                "--mark 0 -P tcp -d 10.0.0.1", "--mark 1 -P tcp -d 10.0.0.1/33", "--mark 1 -P tcp -d 10.0.0.1 --dport 90:80",
                "--mark 1 -P tcp -d 10.0.0.1 -s rr", "--list-marks -n")) {
            AdmHarness adm = new AdmHarness();
            assertEquals(AdmException.SYNTAX, adm.run(line), line + " -> " + adm.err);
        }
    }

    @Test
    void listMarksShowsRulesInTheOrderAdded() {
        AdmHarness adm = new AdmHarness().ok(RULE).ok("--mark 2 -P udp -d 10.0.0.0/24");
        adm.ok("--list-marks");
        assertEquals(RULE + "\n--mark 2 -P udp -d 10.0.0.0/24\n", adm.out);
    }

    @Test
    void duplicateAndMissingRulesAreRefused() {
        AdmHarness adm = new AdmHarness().ok(RULE);
        assertEquals(AdmException.REFUSED, adm.run(RULE));
        assertEquals("Mark rule already exists\n", adm.err);
        assertEquals(AdmException.REFUSED, adm.run("--unmark 1 -P tcp -d 10.0.0.100/32 --dport 81"));
        assertEquals("No such mark rule\n", adm.err);
        adm.ok("--unmark 1 -P tcp -d 10.0.0.100/32 --dport 80");
        assertTrue(adm.runtime.config().markRules().isEmpty());
    }

    @Test
    void saveListsRulesBeforeServicesAndRestoreReadsThemBack() {
        AdmHarness adm = new AdmHarness().ok(RULE).ok("-A -f 1 -s rr").ok("-a -f 1 -r 172.16.0.2 -m");
        adm.ok("-S -n");
        String saved = adm.out;
        assertTrue(saved.startsWith(RULE + "\n-A -f 1 -s rr"), saved);

        AdmHarness other = new AdmHarness();
        assertEquals(0, other.restore(saved), other.err);
        assertEquals(adm.runtime.config(), other.runtime.config());
    }

    @Test
    void clearRemovesMarkRules() {
        AdmHarness adm = new AdmHarness().ok(RULE).ok("-A -f 1 -s rr");
        adm.ok("-C");
        assertTrue(adm.runtime.config().markRules().isEmpty());
        assertEquals(0, adm.runtime.config().serviceCount());
    }

    @Test
    void helpDocumentsTheMarkCommands() {
        AdmHarness adm = new AdmHarness().ok("-h");
        assertTrue(adm.out.contains("--mark MARK -P tcp|udp -d ADDR[/PREFIX]"), adm.out);
        assertTrue(adm.out.contains("--list-marks"), adm.out);
    }
}
