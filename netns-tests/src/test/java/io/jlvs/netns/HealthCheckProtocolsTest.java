package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.DnsTestServer;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import io.jlvs.tools.netns.UdpEchoServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSL_GET, UDP_CHECK and DNS_CHECK through the real daemon against real servers in namespaces: with three
 * servers up all three are in the service; one server's service stopped takes it out, started again brings it back.
 */
class HealthCheckProtocolsTest {
    static LvsTopology topology;
    JlvsDirector director;
    final List<BackgroundProcess> servers = new ArrayList<>();

    @BeforeAll
    static void network() {
        topology = LvsTopology.nat("jlvshp", 3);
    }

    @AfterAll
    static void removeNetwork() {
        if (topology != null) topology.close();
    }

    @AfterEach
    void stop() {
        if (director != null) director.close();
        servers.forEach(s -> s.stop(Duration.ofSeconds(5)));
    }

    @Test
    void sslGetAgainstATlsServer() {
        Path dir = topology.processes().logDirectory();
        topology.processes().run(null, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=jlvs-test", "-keyout", dir.resolve("tls.key").toString(), "-out",
                dir.resolve("tls.crt").toString()), Duration.ofSeconds(60)).stdoutOrThrow();
        detectAndRecover(443, "TCP", """
                SSL_GET {
                    url {
                        path /
                        status_code 200
                    }
                    connect_timeout 2
                    retry 0
                }
                """, k -> {
            BackgroundProcess p = topology.processes().start(topology.serverNamespace(k), "tls-" + k, List.of("openssl",
                    "s_server", "-accept", "443", "-cert", dir.resolve("tls.crt").toString(), "-key",
                    dir.resolve("tls.key").toString(), "-www", "-quiet"));
            Conditions.await("rs" + k + " listening on 443", Duration.ofSeconds(20), () -> topology.inServer(k,
                    "ss", "-ltnH", "sport = :443").stdout().contains("LISTEN"));
            return p;
        });
    }

    @Test
    void udpCheckWithARequiredReply() {
        detectAndRecover(5353, "UDP", """
                UDP_CHECK {
                    payload 70696e67
                    require_reply 7273
                    connect_timeout 1
                    retry 0
                }
                """, k -> java("udp-" + k, k, UdpEchoServer.class, 5353));
    }

    @Test
    void dnsCheckAgainstADnsServer() {
        detectAndRecover(53, "UDP", """
                DNS_CHECK {
                    type A
                    name example.test
                    connect_timeout 1
                    retry 0
                }
                """, k -> java("dns-" + k, k, DnsTestServer.class, 53));
    }

    /** All three in; rs2's server stopped: out; started again: in. */
    private void detectAndRecover(int port, String protocol, String checker, IntFunction<BackgroundProcess> server) {
        for (int k = 1; k <= 3; k++) servers.add(server.apply(k));
        StringBuilder conf = new StringBuilder("virtual_server " + topology.vip() + " " + port + " {\n"
                + "    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol " + protocol + "\n");
        for (String address : topology.serverAddresses()) {
            conf.append("    real_server ").append(address).append(' ').append(port).append(" {\n")
                .append(checker.indent(8)).append("    }\n");
        }
        conf.append("}\n");
        Path config = ClientRequests.write(topology, "keepalived-" + port + ".conf", conf.toString().getBytes());
        director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                List.of("--config", config.toString()));
        awaitServers(3);
        servers.get(1).stop(Duration.ofSeconds(5));
        awaitServers(2);
        assertFalse(ServiceRows.servers(director.admOrThrow("-L", "-n"))
                .containsKey(topology.serverAddress(2) + ":" + port), "the stopped server is out");
        servers.set(1, server.apply(2));
        awaitServers(3);
    }

    private BackgroundProcess java(String label, int k, Class<?> main, int port) {
        BackgroundProcess p = ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), label, main,
                topology.serverName(k), Integer.toString(port));
        p.awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60));
        return p;
    }

    private void awaitServers(int n) {
        Conditions.await(n + " real servers in force", Duration.ofSeconds(20),
                () -> ServiceRows.servers(director.admOrThrow("-L", "-n")).size() == n);
    }
}
