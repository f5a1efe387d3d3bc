package io.jlvs.tools;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.ExternalProgram;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.RealServers;
import io.jlvs.tools.netns.ServerLauncher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code jlvs demo [--mode nat|dr|tun] [--io afpacket|pcap]}: builds a client, a director and three real servers in
 * network namespaces, starts the jlvs daemon in the director, configures a round-robin service with jlvsadm, sends
 * nine requests from the client and shows which server answered each, then removes everything it made (also on
 * Ctrl-C and on failure).
 */
public final class Demo {
    static final String PREFIX = "jlvsdemo";
    static final int SERVERS = 3;
    static final int REQUESTS = 9;
    static final int PORT = 80;
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
        if (!List.of("afpacket", "pcap").contains(io)) {
            return usage("--io must be afpacket or pcap");
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
        String forwardFlag = switch (mode) {
            case "nat" -> "-m";
            case "dr" -> "-g";
            default -> "-i";
        };
        step("Building the " + modeName + " network in namespaces " + PREFIX + "-*");
        try (LvsTopology topology = build(mode)) {
            try {
                return run(topology, mode, io, forwardFlag);
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

    private static int run(LvsTopology topology, String mode, String io, String forwardFlag) {
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
        ServerLauncher.startHttpIdentityServers(topology, PORT);
        say("ready: " + String.join(", ", topology.serverAddresses().stream().map(a -> a + ":" + PORT).toList()));

        step("Starting the jlvs daemon in the director namespace (--mode " + mode + " --io " + io + ")");
        try (JlvsDirector director = JlvsDirector.start(topology, mode, io, Duration.ofSeconds(120))) {
            say("control socket " + director.controlSocket());
            step("Configuring the virtual service with jlvsadm");
            String service = topology.vip() + ":" + PORT;
            admShown(director, "-A", "-t", service, "-s", "rr");
            for (String server : topology.serverAddresses()) {
                admShown(director, "-a", "-t", service, "-r", server + ":" + PORT, forwardFlag);
            }
            int answered = sendRequests(topology);
            step("jlvsadm -L -n");
            System.out.print(indent(director.adm("-L", "-n").stdout()));
            step("jlvsadm -L -n -c");
            System.out.print(indent(director.adm("-L", "-n", "-c").stdout()));
            step(answered == REQUESTS ? "Done: all " + REQUESTS + " requests were balanced by jlvs"
                    : "Done, but only " + answered + " of " + REQUESTS + " requests were answered");
            return answered == REQUESTS ? 0 : 1;
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

    private static void admShown(JlvsDirector director, String... args) {
        say("jlvsadm " + String.join(" ", args));
        director.admOrThrow(args);
    }

    private static String indent(String text) {
        return text.isEmpty() ? "" : text.replaceAll("(?m)^", "    ") + (text.endsWith("\n") ? "" : "\n");
    }

    private static int usage(String problem) {
        System.err.println("jlvs demo: " + problem);
        System.err.println("usage: jlvs demo [--mode nat|dr|tun] [--io afpacket|pcap]");
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
