package io.jlvs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** -S after -R of a random rule set gives back exactly the rules (in ipvsadm's canonical form and order). */
class SaveRestoreRoundTripProperties {

    record Rule(String serviceLine, String selector, List<String> serverLines) {}

    @Property(tries = 150)
    void saveAfterRestoreGivesBackTheRules(@ForAll("ruleSets") List<Rule> rules) {
        StringBuilder text = new StringBuilder();
        Set<String> expectedLines = new HashSet<>();
        for (Rule r : rules) {
            text.append(r.serviceLine()).append('\n');
            expectedLines.add(r.serviceLine());
            for (String s : r.serverLines()) {
                text.append(s).append('\n');
                expectedLines.add(s);
            }
        }
        AdmHarness h = new AdmHarness();
        assertEquals(0, h.restore(text.toString()), h.err);
        h.ok("-S -n");
        String saved = h.out;
        assertEquals(expectedLines, new HashSet<>(saved.lines().toList()));
        assertEquals(expectedLines.size(), saved.lines().count());

        AdmHarness again = new AdmHarness();
        assertEquals(0, again.restore(saved), again.err);
        again.ok("-S -n");
        assertEquals(saved, again.out, "save is a fixed point of restore");
    }

    @Provide
    Arbitrary<List<Rule>> ruleSets() {
        return rule().list().ofMaxSize(12).map(list -> {
            Map<String, Rule> unique = new LinkedHashMap<>();
            for (Rule r : list) unique.putIfAbsent(r.selector(), r);
            return new ArrayList<>(unique.values());
        });
    }

    private Arbitrary<Rule> rule() {
        Arbitrary<Boolean> v6 = Arbitraries.of(false, false, true);
        Arbitrary<String> proto = Arbitraries.of("-t", "-u", "--sctp-service", "-f");
        Arbitrary<Integer> octet = Arbitraries.integers().between(1, 254);
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
        Arbitrary<String> sched = Arbitraries.of(ConfigChanges.SCHEDULERS);
        Arbitrary<Integer> persist = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 86400 * 31));
        Arbitrary<List<Server>> servers = server().list().ofMaxSize(6);
        return Combinators.combine(v6, proto, octet, port, sched, persist, servers, Arbitraries.integers().between(0, 3))
                .as((isV6, p, o, vport, s, persistence, srv, variant) -> build(isV6, p, o, vport, s, persistence, srv, variant));
    }

    record Server(int octet, int port, String method, int weight, String tunnel) {}

    private Arbitrary<Server> server() {
        return Combinators.combine(Arbitraries.integers().between(1, 254), Arbitraries.integers().between(1, 65535),
                Arbitraries.of("-m", "-g", "-i"), Arbitraries.integers().between(0, 65535),
                Arbitraries.of("ipip", "gue", "gre")).as(Server::new);
    }

    private static Rule build(boolean v6, String proto, int octet, int vport, String sched, int persistence,
                              List<Server> servers, int variant) {
        boolean fwmark = proto.equals("-f");
        String selector;
        if (fwmark) selector = "-f " + (octet * 7) + (v6 ? " -6" : "");
        else selector = proto + " " + (v6 ? "[2001:db8::" + Integer.toHexString(octet) + "]" : "10.9." + variant + "." + octet) + ":" + vport;
        StringBuilder svc = new StringBuilder("-A ").append(selector).append(" -s ").append(sched);
        if (sched.equals("sh") || sched.equals("mh")) {
            if (variant == 1) svc.append(" -b ").append(sched).append("-fallback");
            if (variant == 2) svc.append(" -b ").append(sched).append("-fallback,").append(sched).append("-port");
        } else if (variant == 3) {
            svc.append(" -b flag-2");
        }
        if (persistence > 0) {
            svc.append(" -p ").append(persistence);
            if (variant == 2) svc.append(v6 ? " -M 64" : " -M 255.255.0.0");
        }
        if ((proto.equals("-u") || fwmark) && variant == 0) svc.append(" -o");
        List<String> lines = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Server s : servers) {
            boolean sameFamily = !v6;
            String host = sameFamily ? "192.168." + variant + "." + s.octet() : "[2001:db8:1::" + Integer.toHexString(s.octet()) + "]";
            int port = fwmark || s.method().equals("-m") ? s.port() : vport;
            String server = host + ":" + port;
            if (!seen.add(server)) continue;
            StringBuilder line = new StringBuilder("-a ").append(selector).append(" -r ").append(server)
                    .append(' ').append(s.method()).append(" -w ").append(s.weight());
            if (s.method().equals("-i")) {
                line.append(" --tun-type ").append(s.tunnel());
                if (s.tunnel().equals("gue")) line.append(" --tun-port ").append(s.port()).append(" --tun-remcsum");
                if (s.tunnel().equals("gre")) line.append(" --tun-csum");
            }
            lines.add(line.toString());
        }
        return new Rule(svc.toString(), selector, lines);
    }
}
