package io.jlvs.control.l7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class L7ConfigFileTest {
    private static final String EXAMPLE = """
            Virtual web {
                listen = 0.0.0.0:80
                scheduler = http
                startservers = 8
                maxclients = 256
                server = 10.0.0.2:80 1
                server = 10.0.0.3:80 1
                rule = pattern "/images/.*" use server 10.0.0.2:80
                rule = pattern "/users/([^/]+)/.*" match 1 use server 10.0.0.3:80
            }
            """;

    private static L7Endpoint at(String text) {
        return L7Endpoint.parse(text, -1);
    }

    private static String errors(String text) {
        L7Exception e = assertThrows(L7Exception.class, () -> L7ConfigFile.parse(text, "tcpvs.conf"));
        assertEquals(1, e.exitCode());
        return e.getMessage();
    }

    @Test
    void theExampleWithWarningsForTheSizingKeywords() throws L7Exception {
        L7ConfigFile.Result r = L7ConfigFile.parse(EXAMPLE, "tcpvs.conf");
        L7Service web = r.config().service("web");
        assertEquals(new L7Service("web", L7Endpoint.any(80), L7Scheduler.HTTP, L7Service.State.STOPPED,
                L7Options.DEFAULT, List.of(new L7Server(at("10.0.0.2:80"), 1), new L7Server(at("10.0.0.3:80"), 1)),
                List.of(new L7Rule("/images/.*", null, 0, at("10.0.0.2:80")),
                        new L7Rule("/users/([^/]+)/.*", null, 1, at("10.0.0.3:80")))), web);
        assertEquals(List.of("tcpvs.conf:4: startservers is ignored: jlvs sizes its proxy itself",
                "tcpvs.conf:5: maxclients is ignored: jlvs sizes its proxy itself"), r.warnings());
    }

    @Test
    void theManPagesExampleWithKtcpvssOwnSpacingAndCase(@TempDir Path dir) throws IOException, L7Exception {
        Path file = dir.resolve("tcpvs.conf");
        Files.writeString(file, """
                # the tcpvsadm(8) example
                virtual web {
                    listen = 0.0.0.0:80
                    SCHEDULER = http
                    minspareservers = 6
                    maxspareservers = 18
                    server = 192.168.10.3:80 1
                    server = 192.168.10.2:80 1
                    server = 192.168.10.1:80 1
                    rule = pattern "^/cgi-bin/"  use server 192.168.10.1:80
                    rule = pattern ".*"  use server 192.168.10.3:80   # the default server
                    rule = pattern "^/images/"  use server 192.168.10.2:80
                }
                """);
        L7ConfigFile.Result r = L7ConfigFile.parse(file);
        assertEquals(List.of("^/cgi-bin/", "^/images/", ".*"),
                r.config().service("web").rules().stream().map(L7Rule::pattern).toList());
        assertEquals(file + ":5: minspareservers is ignored: jlvs sizes its proxy itself", r.warnings().getFirst());
    }

    @Test
    void severalBlocksHeaderRulesAndTheJlvsOptions() throws L7Exception {
        L7Config c = L7ConfigFile.parse("""
                Virtual web {
                    listen = 10.0.0.100
                    scheduler = hhttp
                    xff = on
                    proxy-protocol = v2
                    source = 172.16.0.1
                    splice = copy
                    server = 10.0.0.4:80
                    server = 10.0.0.5:80 0
                    rule = header Host pattern "^api\\." match 0 use server 10.0.0.4:80
                    rule = pattern "a \\" b" use server 10.0.0.5:80
                }

                Virtual api {
                    listen = 10.0.0.101:443
                    scheduler = wlc
                    server = 10.0.0.6:443 2
                }
                """, "x").config();
        assertEquals(List.of("web", "api"), c.services().stream().map(L7Service::ident).toList());
        L7Service web = c.service("web");
        assertEquals(new L7Endpoint(0x0A000064, 8080), web.listen());
        assertEquals(new L7Options(true, L7Options.ProxyProtocol.V2, OptionalInt.of(0xAC100001), L7Options.Splice.COPY),
                web.options());
        assertEquals(List.of(new L7Server(at("10.0.0.4:80"), 1), new L7Server(at("10.0.0.5:80"), 0)), web.servers());
        assertEquals(new L7Rule("^api\\.", "Host", 0, at("10.0.0.4:80")), web.rules().get(0));
        assertEquals("a \\\" b", web.rules().get(1).pattern(), "a backslash before a quote is kept, as KTCPVS keeps it");
        assertEquals(L7Scheduler.WLC, c.service("api").scheduler());
    }

    @Test
    void everyErrorWithItsLine() {
        String text = """
                Virtual web {
                    listen = 0.0.0.0:99999
                    scheduler = rr
                    startservers = 0
                    redirect = 127.0.0.1:8080
                    server = 10.0.0.2:80 x
                    server = 10.0.0.3:80
                    rule = pattern "(" use server 10.0.0.3:80
                    rule = pattern "/a" match 2 use server 10.0.0.3:80
                    rule = pattern "/b" use server 10.0.0.9:80
                    rule = pattern "/c" use 10.0.0.3:80
                    rule = pattern "/d
                    xff = maybe
                    splice = zero
                    proxy-protocol = v1
                    source = host
                    keepalive = 5
                    listen 0.0.0.0:80
                }
                }
                server = 10.0.0.2:80
                Virtual web/2 {
                }
                Virtual web {
                }
                Virtual tail {
                """;
        assertEquals(String.join("\n",
                "tcpvs.conf:2: parsing listen address error",
                "tcpvs.conf:3: Scheduler not found: rr",
                "tcpvs.conf:4: parsing startservers error",
                "tcpvs.conf:5: redirect is not supported by jlvs",
                "tcpvs.conf:6: parsing server error",
                "tcpvs.conf:8: invalid pattern: Unclosed group near index 1 in (",
                "tcpvs.conf:9: match number 2 is out of range: the pattern has no groups",
                "tcpvs.conf:10: No such destination: 10.0.0.9:80 is not a server of the service",
                "tcpvs.conf:11: parsing rule error: expected rule = [header NAME] pattern \"REGEX\" [match N] use server ADDR:PORT",
                "tcpvs.conf:12: unterminated quoted string",
                "tcpvs.conf:13: parsing xff error: on or off",
                "tcpvs.conf:14: parsing splice error: sockmap, pipe or copy",
                "tcpvs.conf:15: parsing proxy-protocol error: v2",
                "tcpvs.conf:16: parsing source address error",
                "tcpvs.conf:17: unknown keyword 'keepalive'",
                "tcpvs.conf:18: expected 'listen = value'",
                "tcpvs.conf:20: '}' without a Virtual block",
                "tcpvs.conf:21: expected 'Virtual IDENT {', found 'server'",
                "tcpvs.conf:22: illegal ident specified: web/2",
                "tcpvs.conf:24: Service already exists",
                "tcpvs.conf:26: '}' missing at the end of Virtual tail",
                "tcpvs.conf:26: Address already in use by service web"), errors(text));
    }

    @Test
    void checkSettingsWithTheirDefaults() throws L7Exception {
        L7Config c = L7ConfigFile.parse("""
                Virtual web {
                    listen = 0.0.0.0:80
                    check = http /health 204
                    check-interval = 2
                    check-timeout = 1
                    check-retries = 0
                }
                Virtual api {
                    listen = 0.0.0.0:81
                    CHECK = HTTP
                }
                Virtual raw {
                    listen = 0.0.0.0:82
                    check = none
                }
                Virtual plain {
                    listen = 0.0.0.0:83
                    check-interval = 10
                }
                """, "tcpvs.conf").config();
        assertEquals(new L7Check(L7Check.Kind.HTTP, "/health", 204, 2, 1, 0), c.service("web").options().check());
        assertEquals(new L7Check(L7Check.Kind.HTTP, "/", 0, 5, 3, 1), c.service("api").options().check());
        assertEquals(new L7Check(L7Check.Kind.NONE, null, 0, 5, 3, 1), c.service("raw").options().check());
        assertEquals(new L7Check(L7Check.Kind.TCP, null, 0, 10, 3, 1), c.service("plain").options().check());
    }

    @Test
    void checkErrorsWithTheirLines() {
        assertEquals(String.join("\n",
                "tcpvs.conf:2: parsing check error: expected check = tcp | none | http [PATH [STATUS]]",
                "tcpvs.conf:3: parsing check error: expected check = tcp | none | http [PATH [STATUS]]",
                "tcpvs.conf:4: parsing check error: expected check = tcp | none | http [PATH [STATUS]]",
                "tcpvs.conf:5: illegal check path specified (/PATH without spaces)",
                "tcpvs.conf:6: parsing check error: expected check = tcp | none | http [PATH [STATUS]]",
                "tcpvs.conf:7: parsing check-interval error: 1..3600 seconds",
                "tcpvs.conf:8: parsing check-timeout error: 1..3600 seconds",
                "tcpvs.conf:9: parsing check-retries error: 0..100"), errors("""
                Virtual web {
                    check = ping
                    check = tcp /health
                    check = http /health 2xx
                    check = http health
                    check = http / 200 extra
                    check-interval = 0
                    check-timeout = soon
                    check-retries = 101
                }
                """));
    }

    @Test
    void aBlockThatDoesNotOpenRight() {
        assertEquals("tcpvs.conf:1: expected 'Virtual IDENT {'", errors("Virtual web\n{\n}\n").lines().findFirst().orElseThrow());
    }

    @Test
    void anUnreadableFile(@TempDir Path dir) {
        L7Exception e = assertThrows(L7Exception.class, () -> L7ConfigFile.parse(dir.resolve("missing.conf")));
        assertEquals("config file " + dir.resolve("missing.conf") + " opening error", e.getMessage());
    }

    @Test
    void anEmptyFileIsAnEmptyTable() throws L7Exception {
        assertEquals(L7Config.EMPTY, L7ConfigFile.parse("# nothing\n\n", "x").config());
    }
}
