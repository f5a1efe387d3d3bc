package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FullNAT end to end: the real server has no route to the client (its default route through the director is
 * removed) and is served all the same, its peer being the service's local address, which the director owns in
 * user space (ARP answered, the kernel never involved); nginx with {@code listen ... proxy_protocol} behind
 * --proxy-protocol logs the real client's address for every request and passes 100 MiB each way intact.
 */
class FullNatEndToEndTest {
    static final int PORT = 80, BACKEND_PORT = 9000, REQUESTS = 20;
    static final String LOCAL_ADDRESS = "172.16.0.50";
    static final long BIG = 100L << 20;

    /** The NAT topology without the servers' route back through the director: they reach the LAN only. */
    private static LvsTopology withoutRouteToClients() {
        LvsTopology topology = LvsTopology.nat("jlvsfn", 1);
        topology.inServer(1, "ip", "route", "del", "default");
        CommandResult route = topology.inServer(1, "ip", "route", "get", LvsTopology.CLIENT_ADDRESS);
        assertFalse(route.succeeded(), "the server has no route to the client: " + route.describe());
        assertTrue(topology.inServer(1, "ip", "route", "get", LOCAL_ADDRESS).succeeded(), "but reaches the LAN");
        return topology;
    }

    @Test
    void aServerWithoutARouteToTheClientIsServedFromTheLocalAddress() throws Exception {
        try (LvsTopology topology = withoutRouteToClients()) {
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                String service = topology.vip() + ":" + PORT;
                director.restore("-A -t " + service + " -s rr\n-P -t " + service + " -z " + LOCAL_ADDRESS
                        + "\n-a -t " + service + " -r " + topology.serverAddress(1) + ":" + PORT + " --fullnat\n");
                String services = director.admOrThrow("-L", "-n"), localAddresses = director.admOrThrow("-G");
                assertTrue(services.contains("FullNat"), services);
                assertTrue(localAddresses.contains(LOCAL_ADDRESS), localAddresses);
                ClientRequests.Batch batch = ClientRequests.get(topology, PORT, REQUESTS);
                assertEquals(REQUESTS, batch.replies().size(), "served: " + batch.describe());
                Set<Integer> ports = new HashSet<>();
                for (HttpIdentityServer.Reply r : batch.replies()) {
                    assertEquals(LOCAL_ADDRESS, r.clientAddress(), "the server's peer is the local address");
                    ports.add(r.clientPort());
                }
                assertEquals(REQUESTS, ports.size(), "each connection its own local port: " + ports);
                String neighbours = topology.inServer(1, "ip", "neigh", "show", LOCAL_ADDRESS).stdout();
                assertTrue(neighbours.contains(topology.network().macAddress(topology.directorNamespace(), "srv0")),
                        "the director answered ARP for the local address: " + neighbours);
                assertFalse(topology.inDirector("ip", "-4", "addr").stdout().contains(LOCAL_ADDRESS),
                        "the director's kernel does not hold the local address");
                String guarded = topology.inDirector("nft", "list", "set", "inet", "jlvs", "vips").stdoutOrThrow();
                assertTrue(guarded.contains(LOCAL_ADDRESS) && guarded.contains(topology.vip()),
                        "the host guard keeps the local address from the kernel, as the VIP: " + guarded);
                // Ping is answered by the director for the local address, as for a VIP.
                assertTrue(topology.inServer(1, "ping", "-c", "1", "-W", "2", LOCAL_ADDRESS).succeeded());
            }
        }
    }

    @Test
    void nginxBehindTheProxyHeaderLogsEveryClientAndPassesOneHundredMebibytesEachWay() throws Exception {
        try (LvsTopology topology = withoutRouteToClients()) {
            ServerLauncher.startHttpIdentityServer(topology, 1, BACKEND_PORT);
            Path logs = topology.processes().logDirectory();
            Path access = logs.resolve("nginx-access.log");
            BackgroundProcess nginx = startNginx(topology, logs, access, Integer.toString(PORT), "172.16.0.0/24");
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                String service = topology.vip() + ":" + PORT;
                director.restore("-A -t " + service + " -s rr --laddr " + LOCAL_ADDRESS + "\n-a -t " + service
                        + " -r " + topology.serverAddress(1) + ":" + PORT + " --fullnat --proxy-protocol\n");
                String rules = director.admOrThrow("-S", "-n");
                assertTrue(rules.contains("--proxy-protocol"), rules);
                for (int i = 0; i < REQUESTS; i++) {
                    String who = topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS",
                            "--max-time", "5", "http://" + service + "/who"), Duration.ofSeconds(10))
                            .stdoutOrThrow().strip();
                    assertEquals(LvsTopology.CLIENT_ADDRESS + " " + LvsTopology.CLIENT_ADDRESS, who,
                            "nginx's $remote_addr and $proxy_protocol_addr");
                }
                Conditions.await("nginx's log of every request", Duration.ofSeconds(10),
                        () -> lineCount(access) >= REQUESTS);
                List<String> lines = Files.readAllLines(access);
                assertEquals(REQUESTS, lines.size(), String.join("\n", lines));
                for (String line : lines) {
                    assertTrue(line.startsWith(LvsTopology.CLIENT_ADDRESS + " " + LOCAL_ADDRESS + " "),
                            "the real client and the local address it came through: " + line);
                }

                Path download = logs.resolve("download");
                CommandResult got = topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS",
                        "--max-time", "120", "-o", download.toString(), "http://" + service + "/bytes/" + BIG),
                        Duration.ofSeconds(150));
                assertTrue(got.succeeded(), got.describe());
                assertEquals(BIG, Files.size(download));
                assertEquals(PatternFiles.digestOfPattern(BIG), PatternFiles.digest(download),
                        "100 MiB from the server, intact");
                Files.delete(download);

                Path upload = logs.resolve("upload");
                PatternFiles.write(upload, BIG);
                String served = topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS",
                        "--max-time", "120", "-H", "Expect:", "--data-binary", "@" + upload,
                        "http://" + service + "/digest"), Duration.ofSeconds(150)).stdoutOrThrow().strip();
                Files.delete(upload);
                assertEquals(PatternFiles.digestOfPattern(BIG), served, "100 MiB to the server, intact");
                assertTrue(nginx.isAlive(), nginx.logTail(20));
            } finally {
                nginx.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void tenThousandConcurrentConnectionsThroughOneLocalAddressEachHaveTheirOwnPort() throws Exception {
        int connections = 10_000, holdPort = 81;
        try (LvsTopology topology = withoutRouteToClients()) {
            BackgroundProcess holder = topology.processes().start(topology.serverNamespace(1), "holder",
                    List.of("python3", "-c", HOLDER, Integer.toString(holdPort)));
            holder.awaitLogLine("READY", Duration.ofSeconds(10));
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                String service = topology.vip() + ":" + holdPort;
                director.restore("-A -t " + service + " -s rr --laddr " + LOCAL_ADDRESS + "\n-a -t " + service
                        + " -r " + topology.serverAddress(1) + ":" + holdPort + " --fullnat\n");
                BackgroundProcess clients = topology.processes().start(topology.clientNamespace(), "clients",
                        List.of("python3", "-c", OPENER, Integer.toString(connections), topology.vip(),
                                Integer.toString(holdPort), "120"));
                clients.awaitLogLine("OPEN", Duration.ofSeconds(180));
                assertTrue(clients.logText().contains("OPEN " + connections + " FAILED 0"), clients.logText());
                List<String> peers = topology.inServer(1, "ss", "-Htn", "state", "established", "sport", "=",
                        ":" + holdPort).stdout().lines().map(l -> l.trim().split("\\s+"))
                        .map(f -> f[f.length - 1]).toList();
                assertEquals(connections, peers.size(), "the server holds every connection");
                Set<String> distinct = new HashSet<>(peers);
                assertEquals(connections, distinct.size(), "no two connections share a source");
                for (String peer : distinct) {
                    assertTrue(peer.startsWith(LOCAL_ADDRESS + ":"), "all from the one local address: " + peer);
                }
                assertEquals(connections, ServiceRows.connections(director.admOrThrow("-L", "-n")));
                clients.stop(Duration.ofSeconds(5));
            } finally {
                holder.stop(Duration.ofSeconds(5));
            }
        }
    }

    /** Accepts and holds every connection to the port given. */
    private static final String HOLDER = """
            import socket, sys
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", int(sys.argv[1])))
            s.listen(4096)
            print("READY", flush=True)
            held = []
            while True:
                c, _ = s.accept()
                held.append(c)
            """;

    /** Opens N connections to HOST:PORT one after the other, reports, then holds them for SECONDS. */
    private static final String OPENER = """
            import socket, sys, time
            n, host, port, hold = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
            held, failed = [], 0
            for i in range(n):
                try:
                    held.append(socket.create_connection((host, port), timeout=5))
                except OSError:
                    failed += 1
            print("OPEN", len(held), "FAILED", failed, flush=True)
            time.sleep(hold)
            """;

    static int lineCount(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * nginx on the first real server: PROXY protocol on {@code listen} (port {@link #PORT}: "80", or "[::]:80" for
     * IPv6), the client's address taken from the header for connections from {@code lan} (the local addresses'
     * network), /who answering both addresses, the rest passed to the identity server on {@link #BACKEND_PORT};
     * each request logged to {@code access} as the header's client address, the peer's address, request, status.
     */
    static BackgroundProcess startNginx(LvsTopology topology, Path logs, Path access, String listen, String lan)
            throws Exception {
        Path prefix = Files.createDirectories(logs.resolve("nginx"));
        String config = """
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 1024; }
                http {
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    log_format client '$proxy_protocol_addr $realip_remote_addr "$request" $status';
                    access_log %2$s client;
                    server {
                        listen %3$s proxy_protocol;
                        set_real_ip_from %5$s;
                        real_ip_header proxy_protocol;
                        client_max_body_size 0;
                        location = /who { return 200 "$remote_addr $proxy_protocol_addr\\n"; }
                        location / {
                            proxy_pass http://127.0.0.1:%4$d;
                            proxy_http_version 1.1;
                            proxy_buffering off;
                            proxy_request_buffering off;
                        }
                    }
                }
                """.formatted(prefix, access, listen, BACKEND_PORT, lan);
        Path file = prefix.resolve("nginx.conf");
        Files.writeString(file, config);
        BackgroundProcess nginx = topology.processes().start(topology.serverNamespace(1), "nginx",
                List.of("nginx", "-p", prefix.toString(), "-c", file.toString(), "-g", "daemon off;"));
        Conditions.await("nginx listening", Duration.ofSeconds(10), () -> topology.inServer(1, "ss", "-tln")
                .stdout().contains(":" + PORT + " "));
        return nginx;
    }
}
