package io.jlvs.health.config;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What parsed configurations hold: defaults, inheritance, services, checkers, includes and parameters. */
class KeepalivedParserValuesTest {
    @TempDir
    Path dir;

    @Test
    void defaults() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                virtual_server 10.0.0.1 80 {
                    real_server 10.0.0.2 8080 {
                        TCP_CHECK {
                        }
                    }
                }
                """);
        VirtualServer vs = c.virtualServers().getFirst();
        assertEquals("10.0.0.1 80", vs.name());
        assertEquals(Duration.ofSeconds(60), vs.delayLoop());
        assertEquals(1, vs.quorum());
        assertEquals(0, vs.hysteresis());
        assertFalse(vs.alpha());
        ServiceConfig s = vs.services().getFirst();
        assertEquals(Protocol.TCP, s.key().protocol());
        assertEquals("wlc", s.scheduler());
        assertEquals(0, s.persistTimeout());
        assertEquals(-1L, s.netmaskLo());
        RealServer rs = vs.realServers().getFirst();
        assertEquals(RealServerConfig.of(0, Addresses.mappedLo((int) Addresses.parseV4("10.0.0.2")), 8080,
                ForwardMethod.MASQ, 1), rs.config());
        assertFalse(rs.inhibitOnFailure());
        CheckerSpec.Tcp tcp = assertInstanceOf(CheckerSpec.Tcp.class, rs.checkers().getFirst());
        assertEquals(new CheckTiming(Duration.ofSeconds(60), Duration.ofSeconds(5), 1, Duration.ofSeconds(1),
                Duration.ZERO, false), tcp.timing());
        assertEquals(CheckEndpoint.DEFAULT, tcp.endpoint());
        assertEquals(FlapPolicy.OFF, c.global().flap());
    }

    @Test
    void checkerDefaultsByKind() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                virtual_server 10.0.0.1 53 {
                    real_server 10.0.0.2 53 {
                        HTTP_GET { url { path /health } }
                        DNS_CHECK { }
                        MISC_CHECK { misc_path "/usr/bin/check --quiet" }
                        SMTP_CHECK { }
                    }
                }
                """);
        List<CheckerSpec> checkers = c.virtualServers().getFirst().realServers().getFirst().checkers();
        CheckerSpec.Http http = assertInstanceOf(CheckerSpec.Http.class, checkers.get(0));
        assertEquals(Duration.ofSeconds(3), http.timing().delayBeforeRetry());
        assertEquals("1.0", http.httpProtocol());
        assertTrue(http.urls().getFirst().accepts(204));
        assertFalse(http.urls().getFirst().accepts(301));
        CheckerSpec.Dns dns = assertInstanceOf(CheckerSpec.Dns.class, checkers.get(1));
        assertEquals(3, dns.timing().retry());
        assertEquals("SOA", dns.type());
        assertEquals(".", dns.name());
        CheckerSpec.Misc misc = assertInstanceOf(CheckerSpec.Misc.class, checkers.get(2));
        assertEquals(0, misc.timing().retry());
        assertEquals(List.of("/usr/bin/check", "--quiet"), misc.script().argv());
        assertEquals(Duration.ofSeconds(60), misc.timing().connectTimeout());
        assertEquals("smtpchecker.keepalived.org", assertInstanceOf(CheckerSpec.Smtp.class, checkers.get(3)).heloName());
    }

    @Test
    void valuesInheritFromVirtualToRealServerToChecker() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                virtual_server 10.0.0.1 80 {
                    delay_loop 10
                    connect_timeout 2.5
                    retry 4
                    delay_before_retry 0.5
                    warmup 7
                    virtualhost vs.example
                    inhibit_on_failure
                    real_server 10.0.0.2 80 {
                        retry 5
                        virtualhost rs.example
                        HTTP_GET {
                            delay_before_retry 2
                            url { path / }
                        }
                        TCP_CHECK { connect_timeout 1 }
                    }
                    real_server 10.0.0.3 80 {
                        HTTP_GET { url { path / } }
                    }
                }
                """);
        VirtualServer vs = c.virtualServers().getFirst();
        assertEquals(Duration.ofSeconds(10), vs.delayLoop());
        RealServer first = vs.realServers().get(0);
        assertTrue(first.inhibitOnFailure());
        CheckerSpec.Http http = (CheckerSpec.Http) first.checkers().get(0);
        assertEquals(new CheckTiming(Duration.ofSeconds(10), Duration.ofMillis(2500), 5, Duration.ofSeconds(2),
                Duration.ofSeconds(7), false), http.timing());
        assertEquals("rs.example", http.virtualhost());
        CheckerSpec.Tcp tcp = (CheckerSpec.Tcp) first.checkers().get(1);
        assertEquals(Duration.ofSeconds(1), tcp.timing().connectTimeout());
        assertEquals(Duration.ofMillis(500), tcp.timing().delayBeforeRetry());
        CheckerSpec.Http second = (CheckerSpec.Http) vs.realServers().get(1).checkers().getFirst();
        assertEquals(4, second.timing().retry());
        assertEquals("vs.example", second.virtualhost());
    }

    @Test
    void serviceSettings() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                virtual_server 192.0.2.1 5060 {
                    protocol UDP
                    lb_algo sh
                    sh-port
                    flag-1
                    ops
                    lb_kind TUN gue port 6080 remcsum
                    persistence_timeout
                    persistence_granularity 255.255.255.0
                    persistence_engine sip
                    sorry_server 192.0.2.9 5060
                    sorry_server_inhibit
                    quorum 3
                    hysteresis 1
                    quorum_up "/bin/up 'x y'"
                    quorum_down /bin/down now
                    alpha
                    omega
                    real_server 192.0.2.2 5060 {
                        weight 7
                        uthreshold 100
                        lthreshold 50
                        notify_up /bin/rs-up
                    }
                }
                """);
        VirtualServer vs = c.virtualServers().getFirst();
        ServiceConfig s = vs.services().getFirst();
        assertEquals(Protocol.UDP, s.key().protocol());
        assertEquals(5060, s.key().port());
        assertEquals("sh", s.scheduler());
        assertEquals(Set.of("sh-fallback", "sh-port"), s.schedFlags());
        assertTrue(s.onePacket());
        assertEquals(360, s.persistTimeout());
        assertEquals(24, s.netmaskPrefix());
        assertEquals("sip", s.pe());
        RealServerConfig rs = vs.realServers().getFirst().config();
        assertEquals(ForwardMethod.TUNNEL, rs.method());
        assertEquals("gue", rs.tunType());
        assertEquals(6080, rs.tunPort());
        assertEquals("remcsum", rs.tunCsum());
        assertEquals(7, rs.weight());
        assertEquals(100, rs.upperThreshold());
        assertEquals(50, rs.lowerThreshold());
        assertEquals(new RealServerConfig(0, Addresses.mappedLo((int) Addresses.parseV4("192.0.2.9")), 5060,
                ForwardMethod.TUNNEL, 1, 0, 0, "gue", 6080, "remcsum"), vs.sorryServer());
        assertTrue(vs.sorryServerInhibit());
        assertEquals(3, vs.quorum());
        assertEquals(1, vs.hysteresis());
        assertEquals(List.of("/bin/up", "'x", "y'"), vs.quorumUp().argv());
        assertEquals(List.of("/bin/down", "now"), vs.quorumDown().argv());
        assertTrue(vs.alpha());
        assertTrue(vs.omega());
        assertEquals(List.of("/bin/rs-up"), vs.realServers().getFirst().notifyUp().argv());
        assertNull(vs.realServers().getFirst().notifyDown());
    }

    @Test
    void methodsMapToIpvs() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                virtual_server 10.0.0.1 80 { lvs_method DR
                    real_server 10.0.0.2 80 { } }
                virtual_server 10.0.0.1 81 { lvs_method TUN
                    real_server 10.0.0.2 81 { } }
                virtual_server 10.0.0.1 82 { lvs_method TUN gre
                    real_server 10.0.0.2 82 { } }
                """);
        List<RealServerConfig> rs = c.virtualServers().stream().map(v -> v.realServers().getFirst().config()).toList();
        assertEquals(ForwardMethod.ROUTE, rs.get(0).method());
        assertNull(rs.get(0).tunType());
        assertEquals("ipip", rs.get(1).tunType());
        assertNull(rs.get(1).tunCsum());
        assertEquals("gre", rs.get(2).tunType());
        assertEquals("nocsum", rs.get(2).tunCsum());
    }

    @Test
    void groupsFwmarksAndIpv6() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                virtual_server_group WEB {
                    10.0.0.1-3 80
                    2001:db8::a-c 443
                    fwmark 7
                }
                virtual_server group WEB {
                    lvs_method TUN
                    real_server 10.0.1.1 80 { }
                }
                virtual_server fwmark 9 {
                    real_server 2001:db8::5 80 { }
                }
                virtual_server 2001:db8::1 443 {
                    persistence_timeout 60
                    persistence_granularity 64
                    real_server 2001:db8::2 443 { }
                }
                """);
        List<ServiceConfig> group = c.virtualServers().get(0).services();
        assertEquals(7, group.size());
        assertEquals("10.0.0.3", Addresses.format(group.get(2).key().addrHi(), group.get(2).key().addrLo()));
        assertEquals("2001:db8::c", Addresses.format(group.get(5).key().addrHi(), group.get(5).key().addrLo()));
        assertEquals(6, group.get(5).key().af());
        assertEquals(7, group.get(6).key().fwmark());
        ServiceConfig fwmark = c.virtualServers().get(1).services().getFirst();
        assertEquals(9, fwmark.key().fwmark());
        assertEquals(6, fwmark.key().af());
        ServiceConfig v6 = c.virtualServers().get(2).services().getFirst();
        assertEquals(6, v6.key().af());
        assertEquals(64, v6.netmaskPrefix());
        assertEquals(60, v6.persistTimeout());
    }

    @Test
    void checkerDetails() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                track_file T {
                    file /run/weight
                    weight 3
                }
                virtual_server 10.0.0.1 80 {
                    real_server 10.0.0.2 80 {
                        SSL_GET {
                            connect_ip 10.0.0.20
                            connect_port 8443
                            bindto 10.0.0.1
                            bind_port 4000
                            fwmark 5
                            log_all_failures
                            http_protocol 1.1
                            enable_sni
                            sni_name api.example
                            url {
                                path /status
                                digest 0123456789ABCDEF0123456789ABCDEF
                                status_code 200,301-302
                                regex "^OK"
                                regex_no_match
                                virtualhost u.example
                            }
                        }
                        UDP_CHECK {
                            payload 0a0B
                            require_reply 0aXx
                            min_reply_length 2
                            max_reply_length 100
                        }
                        MISC_CHECK {
                            misc_path /bin/check
                            misc_timeout 4
                            misc_dynamic
                            user nobody nogroup
                        }
                        FILE_CHECK { track_file T }
                        PING_CHECK { }
                    }
                }
                """);
        List<CheckerSpec> checkers = c.virtualServers().getFirst().realServers().getFirst().checkers();
        CheckerSpec.Http ssl = (CheckerSpec.Http) checkers.get(0);
        assertEquals("SSL_GET", ssl.kind());
        assertEquals(new CheckEndpoint(InetAddress.getByName("10.0.0.20"), 8443, InetAddress.getByName("10.0.0.1"),
                4000, 5), ssl.endpoint());
        assertTrue(ssl.timing().logAllFailures());
        assertEquals("1.1", ssl.httpProtocol());
        assertTrue(ssl.enableSni());
        assertEquals("api.example", ssl.sniName());
        CheckerSpec.UrlSpec url = ssl.urls().getFirst();
        assertEquals("0123456789abcdef0123456789abcdef", url.digest());
        assertTrue(url.accepts(200) && url.accepts(301) && url.accepts(302));
        assertFalse(url.accepts(201));
        assertEquals("^OK", url.regex().pattern());
        assertTrue(url.regexNoMatch());
        assertEquals("u.example", url.virtualhost());
        CheckerSpec.Udp udp = (CheckerSpec.Udp) checkers.get(1);
        assertArrayEquals(new byte[] {0x0a, 0x0b}, udp.payload());
        assertEquals("0AXX", udp.requireReply());
        assertEquals(2, udp.minReplyLength());
        assertEquals(100, udp.maxReplyLength());
        CheckerSpec.Misc misc = (CheckerSpec.Misc) checkers.get(2);
        assertEquals(Duration.ofSeconds(4), misc.timing().connectTimeout());
        assertTrue(misc.dynamic());
        assertEquals("nobody nogroup", misc.script().user());
        CheckerSpec.File file = (CheckerSpec.File) checkers.get(3);
        assertEquals(Path.of("/run/weight"), file.file());
        assertEquals(3, file.weight());
        assertInstanceOf(CheckerSpec.Ping.class, checkers.get(4));
    }

    @Test
    void globalDefs() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                global_defs {
                    router_id lb1
                    enable_script_security
                    script_user keepalived_script scripts
                    flap_max_changes 4
                    flap_window 30
                    flap_hold 10
                    flap_max_hold 120
                }
                """);
        assertEquals(new GlobalDefs("lb1", true, "keepalived_script scripts",
                new FlapPolicy(4, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(120))), c.global());
        assertTrue(c.virtualServers().isEmpty());
    }

    @Test
    void includesWithGlobsRelativeToTheIncludingFile() throws Exception {
        ConfigFiles.write(dir, "conf.d/b.conf", "virtual_server 10.0.0.2 80 {\n}\n");
        ConfigFiles.write(dir, "conf.d/a.conf", "virtual_server 10.0.0.1 80 {\n include ../servers/*.inc\n}\n");
        ConfigFiles.write(dir, "servers/one.inc", "real_server 10.0.1.1 80 {\n}\n");
        ConfigFiles.write(dir, "conf.d/skip.txt", "garbage\n");
        KeepalivedConfig c = ConfigFiles.parse(dir, "include conf.d/*.conf\n");
        assertEquals(List.of("10.0.0.1 80", "10.0.0.2 80"), c.virtualServers().stream().map(VirtualServer::name).toList());
        RealServer rs = c.virtualServers().getFirst().realServers().getFirst();
        assertEquals(dir.resolve("servers/one.inc"), rs.source().file());
        assertEquals(1, rs.source().line());
    }

    @Test
    void includeErrorsNameTheirFileAndLine() {
        ConfigFiles.write(dir, "a.conf", "\ninclude keepalived.conf\n");
        ConfigFiles.write(dir, "b.conf", "virtual_server 10.0.0.1 80 {\n weight 1\n}\n");
        Path main = ConfigFiles.write(dir, "keepalived.conf", "include a.conf\ninclude b.conf\n");
        ParseReport report = KeepalivedParser.check(main);
        assertEquals(List.of("a.conf:2: include: " + dir.resolve("keepalived.conf") + " is already being read (include cycle)",
                "b.conf:2: weight: unknown keyword in virtual_server"), ConfigFiles.render(report.errors()));
    }

    @Test
    void parametersExpand() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                $VIP=10.0.0.1
                $CHECK=TCP_CHECK { connect_timeout 2 }
                virtual_server $VIP 80 {
                    real_server 10.0.0.2 ${PORT_SUFFIX}80 {
                        $CHECK
                    }
                }
                """.replace("${PORT_SUFFIX}", ""));
        VirtualServer vs = c.virtualServers().getFirst();
        assertEquals("10.0.0.1 80", vs.name());
        assertEquals(Duration.ofSeconds(2), vs.realServers().getFirst().checkers().getFirst().timing().connectTimeout());
        KeepalivedConfig braced = ConfigFiles.parse(dir, "$P=80\nvirtual_server 10.0.0.1 ${P} {\n}\n");
        assertEquals(80, braced.virtualServers().getFirst().services().getFirst().key().port());
    }

    @Test
    void commentsAndQuotes() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                # a comment
                ! another
                virtual_server 10.0.0.1 80 { # trailing
                    quorum_up "/bin/echo # not a comment" ! comment
                }
                """);
        assertEquals(List.of("/bin/echo", "#", "not", "a", "comment"), c.virtualServers().getFirst().quorumUp().argv());
    }

    @Test
    void parseThrowsWithEveryError() {
        Path file = ConfigFiles.write(dir, "keepalived.conf", "virtual_server 10.0.0.1 80 {\n quorum 0\n alpha 1\n}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> KeepalivedParser.parse(file));
        assertEquals(2, e.errors().size());
    }

    @Test
    void emptyHasDefaults() {
        KeepalivedConfig empty = KeepalivedParser.empty();
        assertTrue(empty.virtualServers().isEmpty());
        assertEquals(FlapPolicy.OFF, empty.global().flap());
        assertTrue(empty.warnings().isEmpty());
    }
}
