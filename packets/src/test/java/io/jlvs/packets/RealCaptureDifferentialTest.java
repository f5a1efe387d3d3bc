package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * jlvs against pcap4j on traffic the Linux stack really sends: two namespaces joined by a veth pair, an HTTP
 * server, curl over IPv4 and IPv6, ping (also oversized, so that both families fragment), UDP to a closed port
 * (ICMP errors quoting a packet), all captured with tcpdump and read back with {@link Pcaps#openOffline}.
 * Transmit checksum offload is off on both ends so every captured checksum is complete and must verify.
 * Namespaces are named jlvspk* and removed in finally and by a shutdown hook.
 */
class RealCaptureDifferentialTest {
    private static final String TAG = Long.toString(ProcessHandle.current().pid());
    private static final String CLIENT_NS = "jlvspk-c-" + TAG, SERVER_NS = "jlvspk-s-" + TAG;
    private static final String CLIENT_IF = "pkc", SERVER_IF = "pks";
    private static final String CLIENT4 = "10.250.0.1", SERVER4 = "10.250.0.2";
    private static final String CLIENT6 = "fd00:250::1", SERVER6 = "fd00:250::2";

    @Test
    void everyCapturedPacketAgreesWithPcap4jAndVerifies() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump")),
                "needs tcpdump");
        Thread cleanup = new Thread(RealCaptureDifferentialTest::removeNamespaces);
        Runtime.getRuntime().addShutdownHook(cleanup);
        Path dir = Files.createTempDirectory("jlvspk");
        Path capture = dir.resolve("capture.pcap");
        Process server = null;
        try {
            buildTopology();
            server = inNamespace(SERVER_NS, "python3", "-m", "http.server", "8080", "--bind", "::", "--directory", dir.toString());
            Process tcpdump = inNamespace(CLIENT_NS, "tcpdump", "-i", CLIENT_IF, "--immediate-mode", "-U", "-s", "0", "-w", capture.toString());
            waitFor(() -> Files.exists(capture), "tcpdump to open its capture file");
            waitFor(() -> run(CLIENT_NS, "curl", "-s", "-o", "/dev/null", "http://" + SERVER4 + ":8080/") == 0, "the HTTP server");
            run(CLIENT_NS, "curl", "-s", "-o", "/dev/null", "-g", "http://[" + SERVER6 + "]:8080/");
            run(CLIENT_NS, "ping", "-c", "3", "-i", "0.2", SERVER4);
            run(CLIENT_NS, "ping", "-6", "-c", "3", "-i", "0.2", SERVER6);
            run(CLIENT_NS, "ping", "-c", "1", "-s", "3000", SERVER4);
            run(CLIENT_NS, "ping", "-6", "-c", "1", "-s", "3000", SERVER6);
            run(CLIENT_NS, "sh", "-c", "echo hello | socat -t 0.3 - UDP4:" + SERVER4 + ":9999");
            run(CLIENT_NS, "sh", "-c", "echo hello | socat -t 0.3 - UDP6:[" + SERVER6 + "]:9999");
            // The last datagram marks the end: once it is in the file (immediate mode and -U write each packet at
            // once), every packet sent before it is too, and SIGTERM makes tcpdump flush and close the file.
            run(CLIENT_NS, "sh", "-c", "echo jlvs-capture-end | socat -u - UDP4:" + SERVER4 + ":9999");
            byte[] endMarker = "jlvs-capture-end".getBytes(StandardCharsets.US_ASCII);
            waitFor(() -> contains(Files.readAllBytes(capture), endMarker), "the last datagram in the capture file");
            tcpdump.destroy();
            tcpdump.waitFor(10, TimeUnit.SECONDS);

            Map<String, Integer> kinds = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            int packets = compareCapture(capture, kinds, failures);
            assertTrue(failures.isEmpty(), () -> failures.size() + " disagreements:\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
            for (String kind : List.of("tcp/4", "tcp/6", "icmp-echo/4", "icmp-echo/6", "icmp-error/4", "icmp-error/6",
                    "fragment/4", "fragment/6", "arp")) {
                assertTrue(kinds.getOrDefault(kind, 0) > 0, "capture of " + packets + " packets has no " + kind + ": " + kinds);
            }
        } finally {
            if (server != null) server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            removeNamespaces();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static int compareCapture(Path capture, Map<String, Integer> kinds, List<String> failures) throws Exception {
        if (System.getProperty("org.pcap4j.core.NativeMappings.pcapLibName") == null
                && !Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libpcap.so"))
                && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libpcap.so.0.8"))) {
            System.setProperty("org.pcap4j.core.NativeMappings.pcapLibName", "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8");
        }
        int count = 0;
        try (PcapHandle handle = Pcaps.openOffline(capture.toString())) {
            byte[] frame;
            while ((frame = handle.getNextRawPacket()) != null) {
                count++;
                MemorySegment seg = FrameSegments.inRing(frame);
                FlowDescription f = new FlowDescription();
                int status = PacketParser.parse(seg, FrameSegments.FRAME_OFFSET, frame.length, f);
                Pcap4jComparison.Result result = Pcap4jComparison.compareAll(frame, seg, f);
                List<String> differences = new ArrayList<>(result.differences());
                if (!result.pcap4jDefects().isEmpty()) kinds.merge("pcap4j-defect (compared partly)", 1, Integer::sum);
                if (status == ParseStatus.OK && !Checksums.verify(seg, f)) differences.add("jlvs: checksum does not verify");
                if (!differences.isEmpty()) {
                    failures.add("packet " + count + ": " + differences + "\n" + PacketBuilder.hex(frame));
                }
                kinds.merge(kind(f), 1, Integer::sum);
                if (f.fragment) kinds.merge("fragment/" + f.ipVersion, 1, Integer::sum);
            }
        }
        System.out.println("RealCaptureDifferentialTest: " + count + " packets compared: " + kinds);
        return count;
    }

    private static String kind(FlowDescription f) {
        if (f.etherType == Ethernet.TYPE_ARP) return "arp";
        String v = "/" + f.ipVersion;
        return switch (f.protocol) {
            case Ipv4.PROTO_TCP -> "tcp" + v;
            case Ipv4.PROTO_UDP -> "udp" + v;
            case Ipv4.PROTO_ICMP, Ipv4.PROTO_ICMPV6 -> f.icmpError ? "icmp-error" + v
                    : (f.srcPort != 0 || Icmp.isV4Echo(f.icmpType) || Icmp.isV6Echo(f.icmpType)) && f.l4Offset >= 0
                            && (Icmp.isV4Echo(f.icmpType) && f.ipVersion == 4 || Icmp.isV6Echo(f.icmpType) && f.ipVersion == 6)
                            ? "icmp-echo" + v : "icmp-other" + v;
            default -> "proto-" + f.protocol + v;
        };
    }

    private static void buildTopology() {
        removeNamespaces();
        mustRun(null, "ip", "netns", "add", CLIENT_NS);
        mustRun(null, "ip", "netns", "add", SERVER_NS);
        mustRun(CLIENT_NS, "ip", "link", "add", CLIENT_IF, "type", "veth", "peer", "name", SERVER_IF, "netns", SERVER_NS);
        mustRun(CLIENT_NS, "ip", "addr", "add", CLIENT4 + "/24", "dev", CLIENT_IF);
        mustRun(SERVER_NS, "ip", "addr", "add", SERVER4 + "/24", "dev", SERVER_IF);
        mustRun(CLIENT_NS, "ip", "addr", "add", CLIENT6 + "/64", "dev", CLIENT_IF, "nodad");
        mustRun(SERVER_NS, "ip", "addr", "add", SERVER6 + "/64", "dev", SERVER_IF, "nodad");
        for (String[] end : new String[][] {{CLIENT_NS, CLIENT_IF}, {SERVER_NS, SERVER_IF}}) {
            // Complete checksums on the wire (no CHECKSUM_PARTIAL), and receivers that check them.
            mustRun(end[0], "ethtool", "-K", end[1], "tx", "off", "rx", "off");
            mustRun(end[0], "ip", "link", "set", end[1], "up");
            mustRun(end[0], "ip", "link", "set", "lo", "up");
        }
    }

    private static void removeNamespaces() {
        for (String ns : List.of(CLIENT_NS, SERVER_NS)) run(null, "ip", "netns", "del", ns);
    }

    private static Process inNamespace(String ns, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void mustRun(String ns, String... command) {
        int rc = run(ns, command);
        if (rc != 0) throw new IllegalStateException("failed (" + rc + "): " + String.join(" ", command));
    }

    private static int run(String ns, String... command) {
        try {
            Process p = ns == null ? new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start() : inNamespace(ns, command);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private interface Condition { boolean holds() throws Exception; }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return true;
        }
        return false;
    }

    /** Polls {@code c} every 100 ms (each check may start a process) until it holds; fails after 15 s. */
    private static void waitFor(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
