package io.jlvs.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** check-config's verdicts and exit codes, a daemon that refuses a bad file before touching anything, durations. */
class HealthCommandsTest {
    private static final String GOOD = """
            global_defs {
                router_id lvs1
                notification_email {
                    ops@example.com
                }
            }
            virtual_server 10.0.0.100 80 {
                lb_algo rr
                real_server 172.16.0.2 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
            }
            """;

    record Run(int code, String out, String err) {}

    private static Run jlvs(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            CommandLine cli = new CommandLine(new JlvsMain());
            cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
                System.err.println("jlvs: " + ex.getMessage());
                return 1;
            });
            return new Run(cli.execute(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void checkConfigAcceptsAGoodFileWithItsWarnings(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), GOOD);
        Run r = jlvs("check-config", file.toString());
        assertEquals(0, r.code());
        assertEquals(file + ": OK, 1 virtual server(s), 1 real server(s)\n", r.out());
        assertEquals(file + ":3: notification_email: ignored, jlvs does not send mail (warning)\n", r.err());
    }

    @Test
    void checkConfigPrintsEveryErrorWithItsLineAndExitsOne(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"),
                GOOD.replace("lb_algo rr", "lb_algo rrr").replace("TCP_CHECK", "vrrp_instance"));
        Run r = jlvs("check-config", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(file + ":8: lb_algo: unknown scheduler 'rrr'"), r.err());
        assertTrue(r.err().contains(file + ":10: vrrp_instance"), r.err());
        assertTrue(r.err().endsWith(file + ": 2 error(s)\n"), r.err());
        assertEquals("", r.out());
    }

    private static final String VRRP = """
            global_defs {
                vrrp_version 3
                lvs_sync_daemon eth0 VI_1 id 7
            }
            vrrp_script chk {
                script /bin/true
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                advert_int 0.5
                track_script {
                    chk
                }
                virtual_ipaddress {
                    10.0.0.100/24
                }
                smtp_alert
            }
            """;

    @Test
    void checkConfigAcceptsAVrrpFileWithItsWarnings(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), VRRP + GOOD.substring(GOOD.indexOf("virtual_server")));
        Run r = jlvs("check-config", file.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(file + ": OK, 1 virtual server(s), 1 real server(s), 1 VRRP instance(s), 1 VRRP script(s), "
                + "connection sync following VI_1\n", r.out());
        assertEquals(file + ":18: smtp_alert: ignored, jlvs does not send mail (warning)\n", r.err());
    }

    @Test
    void checkConfigPrintsEveryVrrpErrorWithItsLineAndExitsOne(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), VRRP.replace("VI_1 id 7", "VI_9 id 7")
                .replace("vrrp_version 3", "vrrp_version 2").replace("    chk\n", "    chk_web\n")
                .replace("10.0.0.100/24", "10.0.0.100/24 2001:db8::100/64".replace(" ", "\n        ")));
        Run r = jlvs("check-config", file.toString());
        assertEquals(1, r.code());
        assertEquals(file + ":19: smtp_alert: ignored, jlvs does not send mail (warning)\n"
                + file + ":8: vrrp_instance VI_1: 2001:db8::100 is IPv6 in an IPv4 instance; an instance's addresses are of one family (as keepalived requires): put the other family's in an instance of its own\n"
                + file + ":11: advert_int: 0.5: VRRP version 2 advertises whole seconds (use version 3 for less)\n"
                + file + ":13: track_script: no vrrp_script chk_web\n"
                + file + ":3: lvs_sync_daemon: no vrrp_instance VI_9\n"
                + file + ": 4 error(s)\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void theDaemonRefusesABadFileBeforeChangingAnythingOnTheHost(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), GOOD.replace("weight", "").replace("lb_algo rr",
                "lb_algo rr\n    quorum -1"));
        Run r = jlvs("daemon", "--interface", "jlvs-no-such-if", "--control", dir.resolve("s.sock").toString(),
                "--config", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("configuration refused, nothing started:\n" + file + ":9: quorum"), r.err());
        assertFalse(r.err().contains("jlvs-no-such-if"), "it stopped before looking at the interface: " + r.err());
        assertFalse(Files.exists(dir.resolve("s.sock")), "no control socket");
    }

    @Test
    void durationsAreWrittenAsOperatorsWriteThem() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ofSeconds(300), c.convert("300"));
        assertEquals(Duration.ofSeconds(90), c.convert("90s"));
        assertEquals(Duration.ofMinutes(5), c.convert("5m"));
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertTrue(jlvs("drain", "10.0.0.100:80", "172.16.0.2", "--timeout", "soon").err()
                .contains("expected a duration like 90s, 500ms, 5m or 1h, not 'soon'"));
    }
}
