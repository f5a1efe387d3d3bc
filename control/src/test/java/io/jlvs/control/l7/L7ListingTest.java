package io.jlvs.control.l7;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

class L7ListingTest {
    private static L7Config run(String... lines) throws L7Exception {
        L7Config config = L7Config.EMPTY;
        for (String line : lines) config = L7Changes.apply(config, TcpvsadmParser.parse(line.split(" ")));
        return config;
    }

    @Test
    void ktcpvssFormatWithStateAndCountersAsComments() throws L7Exception {
        L7Config c = run("-A -i web -s hhttp -P 80 --xff --proxy-protocol v2 --source 172.16.0.1 --splice sockmap",
                "-a -i web -r 10.0.0.2:80", "-a -i web -r 10.0.0.3:80 -w 2",
                "--add-rule -i web -p .* -r 10.0.0.3:80",
                "--add-rule -i web -p /users/([^/]+)/.* -m 1 -r 10.0.0.2:80",
                "--add-rule -i web --header Host -p ^api\\. -r 10.0.0.3:80",
                "-A -i plain -l 10.0.0.100:8080 -s wlc", "--start -i web");
        List<L7Counters> counters = List.of(new L7Counters(List.of(1L, 12L), List.of(5L, 1204L, 1L)), L7Counters.NONE);
        assertEquals("""
                TCP Virtual Server version 0.0.18
                Virtual web {                                   # started
                    listen = 0.0.0.0:80
                    scheduler = hhttp
                    xff = on
                    proxy-protocol = v2
                    source = 172.16.0.1
                    splice = sockmap
                    server = 10.0.0.2:80 1                      # 1 active connection
                    server = 10.0.0.3:80 2                      # 12 active connections
                    rule = pattern "/users/([^/]+)/.*" match 1 use server 10.0.0.2:80  # 5 hits
                    rule = header Host pattern "^api\\." match 0 use server 10.0.0.3:80  # 1204 hits
                    rule = pattern ".*" match 0 use server 10.0.0.3:80  # 1 hit
                }
                Virtual plain {                                 # stopped
                    listen = 10.0.0.100:8080
                    scheduler = wlc
                }
                """, L7Listing.numeric().listAll(c.services(), counters));
    }

    @Test
    void theMatchNumberIsWrittenForHhttpOrWhenItIsNotZero() throws L7Exception {
        L7Config c = run("-A -i web", "-a -i web -r 10.0.0.2:80", "--add-rule -i web -p ^/a -r 10.0.0.2:80",
                "--add-rule -i web -p ^/(b) -m 1 -r 10.0.0.2:80");
        StringBuilder out = new StringBuilder();
        L7Listing.numeric().listOne(c.service("web"), L7Counters.zero(c.service("web")), out);
        assertEquals("""
                Virtual web {                                   # stopped
                    listen = 0.0.0.0:8080
                    scheduler = http
                    server = 10.0.0.2:80 1                      # 0 active connections
                    rule = pattern "^/a" use server 10.0.0.2:80 # 0 hits
                    rule = pattern "^/(b)" match 1 use server 10.0.0.2:80  # 0 hits
                }
                """, out.toString());
    }

    @Test
    void statsAddTheProxysAndTheSplicersFiguresAsComments() throws L7Exception {
        L7Config c = run("-A -i web -P 80", "-a -i web -r 10.0.0.2:80", "--start -i web");
        L7Counters counters = new L7Counters(List.of(2L), List.of(),
                new L7ProxyFigures(12, 10, 2, 1, 0, 3, 4, 5, 6), new L7SplicerFigures("sockmap", 2, 4));
        StringBuilder out = new StringBuilder();
        L7Listing.numeric().listOne(c.service("web"), counters, L7Health.NONE, true, out);
        assertEquals("""
                Virtual web {                                   # started
                    listen = 0.0.0.0:80
                    scheduler = http
                    server = 10.0.0.2:80 1                      # 2 active connections
                    # connections: 12 accepted, 10 spliced, 2 spliced now
                    # answered: 400 1, 431 0, 502 3, 503 4, 504 5; slow heads closed 6
                    # splicer: sockmap, 2 pairs, 4 sockhash entries
                }
                """, out.toString());
        L7ConfigFile.Result loaded = L7ConfigFile.parse(L7Listing.header() + out, "listing");
        assertEquals(c.service("web").toBuilder().state(L7Service.State.STOPPED).build(), loaded.config().service("web"));
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void aStoppedServiceHasNoSplicer() throws L7Exception {
        L7Config c = run("-A -i web -P 80");
        StringBuilder out = new StringBuilder();
        L7Listing.numeric().listOne(c.service("web"), L7Counters.zero(c.service("web")), L7Health.NONE, true, out);
        assertEquals("    # splicer: none (stopped), 0 pairs, 0 sockhash entries", out.toString().lines().toList().get(5));
    }

    @Test
    void checkSettingsThatDifferFromTheDefaultsAndEachCheckedServersState() throws L7Exception {
        L7Config c = run("-A -i web --check http --check-path /health --check-interval 2 --check-retries 0",
                "-a -i web -r 10.0.0.2:80", "-a -i web -r 10.0.0.3:80", "-a -i web -r 10.0.0.4:80",
                "-A -i raw -P 81 --check none", "-A -i plain -P 82");
        StringBuilder out = new StringBuilder();
        L7Listing listing = L7Listing.numeric();
        listing.listOne(c.service("web"), new L7Counters(List.of(3L, 0L), List.of()),
                new L7Health(List.of(L7Health.ServerState.UP, L7Health.ServerState.DOWN)), false, out);
        listing.listOne(c.service("raw"), L7Counters.NONE, out);
        listing.listOne(c.service("plain"), L7Counters.NONE, out);
        assertEquals("""
                Virtual web {                                   # stopped
                    listen = 0.0.0.0:8080
                    scheduler = http
                    check = http /health
                    check-interval = 2
                    check-retries = 0
                    server = 10.0.0.2:80 1                      # up, 3 active connections
                    server = 10.0.0.3:80 1                      # down, 0 active connections
                    server = 10.0.0.4:80 1                      # 0 active connections
                }
                Virtual raw {                                   # stopped
                    listen = 0.0.0.0:81
                    scheduler = http
                    check = none
                }
                Virtual plain {                                 # stopped
                    listen = 0.0.0.0:82
                    scheduler = http
                }
                """, out.toString());
    }

    @Test
    void namesComeFromTheGivenFunction() throws L7Exception {
        L7Config c = run("-A -i web -P 80");
        StringBuilder out = new StringBuilder();
        new L7Listing(e -> "host:" + (e.port() == 80 ? "http" : e.port())).listOne(c.service("web"), L7Counters.NONE, out);
        assertEquals("    listen = host:http", out.toString().lines().toList().get(1));
    }

    /** What -L prints, -f loads back: the same services, servers, rules and options (stopped: the state is a comment). */
    @Property(tries = 200)
    void theListingLoadsBackAsTheSameConfig(@ForAll("configs") L7Config config) throws L7Exception {
        StringBuilder listing = new StringBuilder(L7Listing.header());
        for (L7Service s : config.services()) {
            List<L7Health.ServerState> states = new ArrayList<>();
            for (int i = 0; i < s.servers().size(); i++) states.add(L7Health.ServerState.values()[i % 3]);
            L7Listing.numeric().listOne(s, L7Counters.zero(s), new L7Health(states), false, listing);
        }
        L7ConfigFile.Result loaded = L7ConfigFile.parse(listing.toString(), "listing");
        List<L7Service> stopped = config.services().stream().map(s -> s.toBuilder().state(L7Service.State.STOPPED).build()).toList();
        assertEquals(new L7Config(stopped), loaded.config());
        assertEquals(List.of(), loaded.warnings());
    }

    @Provide
    Arbitrary<L7Config> configs() {
        return L7Arbitraries.configs();
    }
}
