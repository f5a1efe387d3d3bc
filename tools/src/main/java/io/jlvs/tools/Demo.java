package io.jlvs.tools;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.ExternalProgram;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.RealServers;
import io.jlvs.tools.netns.ServerLauncher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code jlvs demo [--mode nat|dr|tun] [--io afpacket|pcap|afxdp]}: builds a client, a director and three real servers in
 * network namespaces, starts the jlvs daemon in the director with a keepalived.conf (a round-robin service, an
 * HTTP_GET check per server), sends nine requests from the client and shows which server answered each, stops one
 * server and shows the health checks taking it out while every request is still answered, starts it again, then
 * removes everything it made (also on Ctrl-C and on failure).
 */
public final class Demo {
    static final String PREFIX = "jlvsdemo";
    static final int SERVERS = 3;
    static final int REQUESTS = 9;
    static final int PORT = 80;
    /** The console's listener inside the director namespace. */
    static final String HTTP = "127.0.0.1:9180";
    /** The topology's tools, and the shell loop of curl requests the client sends. */
    static final List<ExternalProgram> NEEDED_PROGRAMS = Stream.concat(ExternalProgram.TOPOLOGY.stream(),
            Stream.of(ExternalProgram.SEQ, ExternalProgram.CURL)).toList();

    private Demo() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the demo and returns the process exit code: 0 when every request was answered, 1 on failure, 2 on usage. */
    public static int run(String... args) {
        String mode = "nat";
        String io = "afpacket";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = i + 1 < args.length ? args[++i] : "";
                case "--io" -> io = i + 1 < args.length ? args[++i] : "";
                default -> {
                    return usage("unknown option " + args[i]);
                }
            }
        }
        if (!List.of("afpacket", "pcap", "afxdp").contains(io)) {
            return usage("--io must be afpacket, pcap or afxdp");
        }
        if (!List.of("nat", "dr", "tun").contains(mode)) return usage("--mode must be nat, dr or tun");
        String missing = ExternalProgram.missingMessage("jlvs demo", NEEDED_PROGRAMS);
        if (missing != null) {
            System.err.println(missing);
            return 1;
        }
        return demo(mode, io);
    }

    private static LvsTopology build(String mode) {
        return switch (mode) {
            case "nat" -> LvsTopology.nat(PREFIX, SERVERS);
            case "dr" -> LvsTopology.dr(PREFIX, SERVERS, false);
            default -> LvsTopology.tun(PREFIX, SERVERS, 1500);
        };
    }

    private static int demo(String mode, String io) {
        boolean nat = mode.equals("nat");
        String modeName = switch (mode) {
            case "nat" -> "NAT";
            case "dr" -> "direct routing";
            default -> "IP tunnelling";
        };
        step("Building the " + modeName + " network in namespaces " + PREFIX + "-*");
        try (LvsTopology topology = build(mode)) {
            try {
                return run(topology, mode, io);
            } finally {
                if (!nat) RealServers.undoAll(topology, mode); // its state in /run/jlvs outlives the namespaces
            }
        } catch (RuntimeException e) {
            System.out.println();
            say("FAILED: " + e.getMessage());
            return 1;
        } finally {
            step("Removed every namespace and process the demo made");
        }
    }

    private static int run(LvsTopology topology, String mode, String io) {
        boolean nat = mode.equals("nat");
        describe(topology);
        if (!nat) {
            step("Preparing the real servers: jlvs realserver --vip " + topology.vip() + " --mode " + mode
                    + (mode.equals("tun") ? " (no ipip module here: it stays running as the user-space decapsulator)" : ""));
            RealServers.prepareAll(topology, mode);
            CommandResult check = RealServers.check(topology, 1, mode);
            say("jlvs realserver --check on " + topology.serverName(1) + ": " + check.stdout().strip());
        }
        step("Starting " + SERVERS + " HTTP real servers (each answers with its name and the client it sees)");
        List<BackgroundProcess> servers = new ArrayList<>(ServerLauncher.startHttpIdentityServers(topology, PORT));
        say("ready: " + String.join(", ", topology.serverAddresses().stream().map(a -> a + ":" + PORT).toList()));

        Path config = writeConfig(topology, mode);
        step("The configuration: a keepalived.conf with an HTTP_GET health check per real server (" + config + ")");
        System.out.print(indent(readString(config)));
        step("Starting the jlvs daemon in the director namespace (--mode " + mode + " --io " + io + " --config ... "
                + "--http " + HTTP + ")");
        Path token = topology.processes().logDirectory().resolve("http.token");
        try (JlvsDirector director = JlvsDirector.start(topology, mode, io, Duration.ofSeconds(120),
                List.of("--config", config.toString(), "--http", HTTP, "--http-token-file", token.toString()))) {
            say("control socket " + director.controlSocket() + "; console, REST API and metrics on http://" + HTTP + "/");
            awaitServers(director, SERVERS);
            int answered = sendRequests(topology);
            step("jlvsadm -L -n");
            System.out.print(indent(director.adm("-L", "-n").stdout()));
            showHttpSurface(topology);
            step("jlvsadm -L -n -c");
            System.out.print(indent(director.adm("-L", "-n", "-c").stdout()));

            step("Stopping the HTTP server of " + topology.serverName(2) + ": its health check fails and jlvs takes "
                    + "it out of the service");
            servers.get(1).stop(Duration.ofSeconds(5));
            awaitServers(director, SERVERS - 1);
            step("jlvs status");
            System.out.print(indent(director.jlvs("status").stdout()));
            int answeredWithout = sendRequests(topology);

            step("Starting it again: one successful check brings it back");
            servers.set(1, ServerLauncher.startHttpIdentityServer(topology, 2, PORT));
            awaitServers(director, SERVERS);
            System.out.print(indent(director.adm("-L", "-n").stdout()));
            boolean ok = answered == REQUESTS && answeredWithout == REQUESTS;
            step(ok ? "Done: every request was answered, balanced by jlvs, also while a server was down"
                    : "Done, but only " + answered + " and " + answeredWithout + " of " + REQUESTS
                    + " requests were answered");
            return ok ? 0 : 1;
        }
    }

    /** keepalived.conf of the demo: round robin over the three servers, each checked by HTTP_GET every second. */
    private static Path writeConfig(LvsTopology topology, String mode) {
        StringBuilder conf = new StringBuilder();
        conf.append("virtual_server ").append(topology.vip()).append(' ').append(PORT).append(" {\n")
            .append("    delay_loop 1\n    lb_algo rr\n    lb_kind ").append(mode.toUpperCase()).append('\n')
            .append("    protocol TCP\n");
        for (String server : topology.serverAddresses()) {
            conf.append("    real_server ").append(server).append(' ').append(PORT).append(" {\n")
                .append("        weight 1\n")
                .append("        HTTP_GET {\n            url {\n                path /\n                status_code 200\n")
                .append("            }\n            connect_timeout 1\n            retry 1\n")
                .append("            delay_before_retry 1\n        }\n    }\n");
        }
        conf.append("}\n");
        Path file = topology.processes().logDirectory().resolve("keepalived.conf");
        try {
            Files.writeString(file, conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Waits until the service has exactly n real servers in force, as its health checks decide. */
    private static void awaitServers(JlvsDirector director, int n) {
        say("waiting for the health checks: " + n + " real server(s) in the service");
        Conditions.await(n + " real servers in jlvsadm -L -n", Duration.ofSeconds(30),
                () -> director.adm("-L", "-n").stdout().lines().filter(l -> l.contains("-> ")
                        && !l.contains("RemoteAddress")).count() == n);
    }

    /** The same servers through the REST API and /metrics, as a dashboard or Prometheus would read them. */
    private static void showHttpSurface(LvsTopology topology) {
        String services = "http://" + HTTP + "/api/v1/services";
        step("curl " + services + " (in the director namespace): each server's weight, health and connections");
        try {
            var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    topology.processes().run(topology.directorNamespace(), List.of("curl", "-s", "--max-time", "5",
                            services), Duration.ofSeconds(10)).stdoutOrThrow());
            for (var service : root.get("services")) {
                for (var server : service.get("servers")) {
                    say(String.format("%s -> %s weight %d, %s, %d connections", service.get("id").asText(),
                            server.get("address").asText(), server.get("weight").asInt(),
                            server.path("health").path("state").asText("not checked"),
                            server.get("stats").get("connections").asLong()));
                }
            }
        } catch (IOException | RuntimeException e) {
            say("the REST API did not answer: " + e.getMessage());
        }
        String metrics = "http://" + HTTP + "/metrics";
        step("curl " + metrics + " | grep jlvs_real_server_connections_total");
        String scrape = topology.processes().run(topology.directorNamespace(), List.of("curl", "-s", "--max-time", "5",
                metrics), Duration.ofSeconds(10)).stdout();
        scrape.lines().filter(l -> l.startsWith("jlvs_real_server_connections_total")).forEach(Demo::say);
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void describe(LvsTopology t) {
        say("client    " + t.clientNamespace() + "  " + t.clientAddress() + " on " + t.clientInterface());
        say("director  " + t.directorNamespace() + "  " + t.directorClientAddress() + " on " + t.directorClientSide()
                + (t.directorServerSide().equals(t.directorClientSide()) ? ""
                        : ", " + t.directorServerAddress() + " on " + t.directorServerSide()));
        for (int k = 1; k <= t.serverCount(); k++) {
            say(t.serverName(k) + "       " + t.serverNamespace(k) + "  " + t.serverAddress(k));
        }
        say("VIP       " + t.vip() + ":" + PORT + " (owned by jlvs, not by the director's kernel)");
    }

    private static int sendRequests(LvsTopology topology) {
        String url = "http://" + topology.vip() + ":" + PORT + "/";
        step("Sending " + REQUESTS + " requests from the client to " + url + " (a new connection each)");
        // Exactly one line per request: the server's reply, or curl's exit code (7: refused, 28: timed out).
        CommandResult result = topology.inClient("sh", "-c", "for i in $(seq " + REQUESTS + "); do curl -s "
                + "--max-time 3 " + url + " || echo \"curl exit code $?\"; done");
        Map<String, Integer> perServer = new TreeMap<>();
        int answered = 0;
        String[] lines = result.stdout().split("\n", -1);
        for (int i = 0; i < REQUESTS; i++) {
            String line = i < lines.length ? lines[i].strip() : "";
            try {
                HttpIdentityServer.Reply reply = HttpIdentityServer.Reply.parse(line);
                say(String.format("request %d -> %s (it saw client %s:%d)", i + 1, reply.server(),
                        reply.clientAddress(), reply.clientPort()));
                perServer.merge(reply.server(), 1, Integer::sum);
                answered++;
            } catch (IllegalArgumentException e) {
                say(String.format("request %d -> no answer (%s)", i + 1, line.isEmpty() ? "nothing" : line));
            }
        }
        say("answers per server: " + perServer);
        return answered;
    }

    private static String indent(String text) {
        return text.isEmpty() ? "" : text.replaceAll("(?m)^", "    ") + (text.endsWith("\n") ? "" : "\n");
    }

    private static int usage(String problem) {
        System.err.println("jlvs demo: " + problem);
        System.err.println("usage: jlvs demo [--mode nat|dr|tun] [--io afpacket|pcap|afxdp]");
        return 2;
    }

    private static void step(String line) {
        System.out.println("==> " + line);
        System.out.flush();
    }

    private static void say(String line) {
        System.out.println("    " + line);
        System.out.flush();
    }
}
