package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The health checks' cost and speed: N real servers (addresses of 172.17.0.0/16, all local to one server namespace
 * where one nginx answers on port 80) in virtual servers of 1000 each, checked at delay_loop 1 by a jlvs daemon;
 * over a steady window: checks per second as nginx counts them (accepted connections for TCP_CHECK, requests for
 * HTTP_GET), the CPU of the daemon's checker and engine threads and of the whole daemon, its heap after a GC; then
 * a batch of servers stops answering (their packets dropped) and the time each takes to be marked down is read from
 * the daemon's log, against keepalived's bound delay_loop x (retry + 1) + connect_timeout + 1 s.
 */
final class HealthCheckBenchmark {
    static final int DEFAULT_TCP_SERVERS = 10_000;
    static final int DEFAULT_HTTP_SERVERS = 2_000;
    private static final int PER_VIRTUAL_SERVER = 1000;
    private static final int FAILED = 50;
    private static final int STATUS_PORT = 8088;
    private static final Duration DETECTION_BOUND = Duration.ofSeconds(3); // 1 x (0 + 1) + 1 + 1
    private static final Pattern LOG_DOWN = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*real server (\\S+) DOWN");

    private HealthCheckBenchmark() {}

    /** Runs the TCP_CHECK and the HTTP_GET measurements, each in its own namespaces, and returns the report. */
    static String run(String prefix, int tcpServers, int httpServers, Duration window) {
        StringBuilder report = new StringBuilder("\nHealth checks at delay_loop 1 (connect_timeout 1, retry 0)\n");
        report.append(String.format("| checker | servers | checks/s | checker+engine CPU, cores (user + system) "
                + "| daemon CPU (cores) | heap after GC (MiB) | detection p50 / p99 (s, bound %d) |%n",
                DETECTION_BOUND.toSeconds()));
        report.append("|---|---|---|---|---|---|---|\n");
        report.append(measure(prefix + "tcp", "TCP_CHECK", tcpServers, window));
        report.append(measure(prefix + "http", "HTTP_GET", httpServers, window));
        return report.toString();
    }

    private static String measure(String prefix, String checker, int servers, Duration window) {
        SetupMeasurer.progress("health checks: " + checker + " of " + servers + " servers (namespaces " + prefix + "-*)");
        try (LvsTopology topology = LvsTopology.nat(prefix, 1)) {
            Path dir = topology.processes().logDirectory();
            String server = topology.serverNamespace(1);
            topology.network().run(server, "ip", "route", "add", "local", "172.17.0.0/16", "dev", "lo");
            topology.network().addRoute(topology.directorNamespace(), "172.17.0.0/16", topology.serverAddress(1));
            BackgroundProcess nginx = startNginx(topology, dir);
            Path config = write(dir.resolve("keepalived.conf"), config(topology, checker, servers));
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(180),
                    List.of("--config", config.toString()))) {
                long pid = director.daemon().pid();
                Conditions.await("the first check round", Duration.ofSeconds(30), () -> counter(topology, checker) >= servers);
                sleep(Duration.ofSeconds(3)); // past the start-up spread into the steady rhythm
                long c0 = counter(topology, checker);
                long[] cpu0 = cpu(pid);
                long t0 = System.nanoTime();
                sleep(window);
                long c1 = counter(topology, checker);
                long[] cpu1 = cpu(pid);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double checks = (c1 - c0) / seconds;
                double ticks = 100.0 * seconds; // USER_HZ
                double userCores = (cpu1[0] - cpu0[0]) / ticks, systemCores = (cpu1[1] - cpu0[1]) / ticks;
                double daemonCores = (cpu1[2] - cpu0[2]) / ticks;
                double heapMiB = heapAfterGc(topology, pid);
                List<Double> detection = detection(topology, director, servers);
                Collections.sort(detection);
                String row = String.format("| %s | %,d | %,.0f | %.2f (%.2f + %.2f) | %.2f | %.0f | %s / %s |%n", checker,
                        servers, checks, userCores + systemCores, userCores, systemCores, daemonCores, heapMiB,
                        percentile(detection, 50), percentile(detection, 99));
                SetupMeasurer.progress("  " + row.strip());
                nginx.stop(Duration.ofSeconds(5));
                return row;
            }
        } catch (RuntimeException e) {
            SetupMeasurer.progress(checker + " failed: " + SetupMeasurer.firstLine(e));
            return "| " + checker + " | " + servers + " | not measured: " + SetupMeasurer.firstLine(e) + " | | | | |\n";
        }
    }

    private static String config(LvsTopology topology, String checker, int servers) {
        StringBuilder conf = new StringBuilder();
        for (int first = 0; first < servers; first += PER_VIRTUAL_SERVER) {
            conf.append("virtual_server ").append(topology.vip()).append(' ').append(8000 + first / PER_VIRTUAL_SERVER)
                .append(" {\n    delay_loop 1\n    lb_algo rr\n    lb_kind TUN\n    protocol TCP\n");
            for (int i = first; i < Math.min(servers, first + PER_VIRTUAL_SERVER); i++) {
                conf.append("    real_server ").append(address(i)).append(" 80 {\n        ").append(checker).append(" {\n");
                if (checker.equals("HTTP_GET")) conf.append("            url {\n                path /\n            }\n");
                conf.append("            connect_timeout 1\n            retry 0\n        }\n    }\n");
            }
            conf.append("}\n");
        }
        return conf.toString();
    }

    /** The i-th real server: 172.17.0.1 onwards, skipping .0 and .255. */
    static String address(int i) {
        return "172.17." + (i / 254) + "." + (i % 254 + 1);
    }

    private static BackgroundProcess startNginx(LvsTopology topology, Path dir) {
        String conf = "worker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("nginx.err")
                + ";\nevents { worker_connections 16384; }\nhttp {\n access_log off;\n"
                + " client_body_temp_path " + dir + ";\n"
                + " server { listen 80 default_server backlog=65535; location / { return 200 \"ok\\n\"; } }\n"
                + " server { listen 127.0.0.1:" + STATUS_PORT + "; location / { stub_status; } }\n}\n";
        Path file = write(dir.resolve("nginx.conf"), conf);
        BackgroundProcess nginx = topology.processes().start(topology.serverNamespace(1), "nginx",
                List.of("nginx", "-c", file.toString(), "-g", "daemon off;"));
        Conditions.await("nginx answering", Duration.ofSeconds(20), () -> status(topology) != null);
        return nginx;
    }

    /** nginx's stub_status: accepts handled requests. */
    private static long[] status(LvsTopology topology) {
        String text = topology.network().run(topology.serverNamespace(1), "curl", "-s", "--max-time", "2",
                "http://127.0.0.1:" + STATUS_PORT + "/").stdout();
        String[] lines = text.split("\n");
        if (lines.length < 3) return null;
        String[] f = lines[2].trim().split("\\s+");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    /** What counts one check: an accepted connection for TCP_CHECK, a request for HTTP_GET (status's own excluded). */
    private static long counter(LvsTopology topology, String checker) {
        long[] s = status(topology);
        if (s == null) return 0;
        return checker.equals("HTTP_GET") ? s[2] : s[0];
    }

    /** Clock ticks of the checker and engine threads (user, system), and of the whole daemon. */
    private static long[] cpu(long pid) {
        long user = 0, system = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if (comm.startsWith("jlvs-checker") || comm.startsWith("jlvs-health")) {
                        long[] t = userAndSystem(task.resolve("stat"));
                        user += t[0];
                        system += t[1];
                    }
                } catch (IOException gone) {
                    // the thread ended between the listing and the read
                }
            }
            long[] all = userAndSystem(Path.of("/proc/" + pid + "/stat"));
            return new long[] {user, system, all[0] + all[1]};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** utime and stime of a /proc stat file (fields 14 and 15, counted after the parenthesised name). */
    private static long[] userAndSystem(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    private static double heapAfterGc(LvsTopology topology, long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        topology.network().run(null, jcmd, Long.toString(pid), "GC.run");
        String info = topology.network().run(null, jcmd, Long.toString(pid), "GC.heap_info").stdout();
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        long usedK = 0;
        while (m.find()) usedK = Math.max(usedK, Long.parseLong(m.group(1)));
        return usedK / 1024.0;
    }

    /** Drops the packets of FAILED servers at once and returns, per server, the seconds until the log said DOWN. */
    private static List<Double> detection(LvsTopology topology, JlvsDirector director, int servers) {
        int count = Math.max(1, Math.min(FAILED, servers / 2));
        StringBuilder set = new StringBuilder();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String a = address(i * (servers / count));
            failed.add(a + ":80");
            set.append(i == 0 ? "" : ", ").append(a);
        }
        String rules = "table inet jlvsbenchfail {\n chain in {\n  type filter hook input priority 0;\n  ip daddr { "
                + set + " } tcp dport 80 drop\n }\n}\n";
        Path file = write(topology.processes().logDirectory().resolve("fail.nft"), rules);
        LocalTime failedAt = LocalTime.now();
        topology.network().run(topology.serverNamespace(1), "nft", "-f", file.toString());
        Conditions.await(count + " servers marked down", Duration.ofSeconds(30),
                () -> downTimes(director, failed, failedAt).size() == count);
        List<Double> seconds = new ArrayList<>();
        for (LocalTime t : downTimes(director, failed, failedAt).values()) {
            seconds.add(Duration.between(failedAt, t).toMillis() / 1000.0);
        }
        return seconds;
    }

    /** Per failed server, the first DOWN the daemon logged after the failure. */
    private static java.util.Map<String, LocalTime> downTimes(JlvsDirector director, List<String> servers,
                                                             LocalTime after) {
        java.util.Map<String, LocalTime> times = new java.util.HashMap<>();
        for (String line : director.daemon().logText().split("\n")) {
            Matcher m = LOG_DOWN.matcher(line);
            if (m.find() && servers.contains(m.group(2))) {
                LocalTime t = LocalTime.parse(m.group(1));
                if (!t.isBefore(after)) times.putIfAbsent(m.group(2), t);
            }
        }
        return times;
    }

    private static String percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) return "-";
        return String.format("%.2f", sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
