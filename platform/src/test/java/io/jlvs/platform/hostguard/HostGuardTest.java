package io.jlvs.platform.hostguard;

import io.jlvs.platform.testkit.TestNamespaces;

import io.jlvs.platform.net.Sysctl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jlvs.platform.testkit.TestNamespaces.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client C (10.0.0.2) - director D (d0 10.0.0.1, d1 172.16.0.1, ip_forward=1) - server S (172.16.0.2, VIP
 * 10.0.5.5 on lo). D routes the VIP to S, so without the guard D's kernel forwards VIP traffic.
 */
class HostGuardTest {
    static final String C = "jlvsnetGC", D = "jlvsnetGD", S = "jlvsnetGS";
    static final int VIP = ipv4("10.0.5.5");
    static TestNamespaces ns;

    @BeforeAll
    static void setUp() throws IOException {
        ns = new TestNamespaces(C, D, S);
        ns.sh(D, "ip link set lo up && ip link add d0 type veth peer name c0 netns " + C
                + " && ip link add d1 type veth peer name s0 netns " + S
                + " && ip addr add 10.0.0.1/24 dev d0 && ip addr add 172.16.0.1/24 dev d1"
                + " && ip link set d0 up && ip link set d1 up && ip route add 10.0.5.5/32 via 172.16.0.2"
                + " && sysctl -qw net.ipv4.ip_forward=1");
        ns.sh(C, "ip link set lo up && ip addr add 10.0.0.2/24 dev c0 && ip link set c0 up && ip route add default via 10.0.0.1");
        ns.sh(S, "ip link set lo up && ip addr add 10.0.5.5/32 dev lo && ip addr add 172.16.0.2/24 dev s0"
                + " && ip link set s0 up && ip route add default via 172.16.0.1");
    }

    @AfterAll
    static void tearDown() {
        if (ns != null) ns.close();
    }

    /** Sends one datagram from {@code fromNs} (bound to srcPort) and reports whether the listener got it. */
    static boolean delivered(String fromNs, String toNs, String listenAddress, int dstPort, int srcPort) throws Exception {
        DatagramChannel listener = ns.in(toNs, () -> DatagramChannel.open().bind(new InetSocketAddress(listenAddress, dstPort)));
        try (listener) {
            listener.configureBlocking(false);
            ns.in(fromNs, () -> {
                try (DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress(srcPort))) {
                    sender.send(ByteBuffer.wrap("jlvs".getBytes()), new InetSocketAddress(listenAddress, dstPort));
                }
                return null;
            });
            ByteBuffer buffer = ByteBuffer.allocate(64);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
            while (System.nanoTime() < deadline) {
                if (listener.receive(buffer) != null) return true;
                Thread.sleep(5);
            }
            return false;
        }
    }

    static boolean groOn(String iface) throws Exception {
        return ns.in(D, () -> Offloads.isOn(iface, Offloads.MERGING.getFirst()));
    }

    static boolean tablePresent() throws IOException {
        return ns.sh(D, "nft list tables").contains("inet jlvs");
    }

    static boolean clsactOn(String iface) throws IOException {
        return ns.sh(D, "tc qdisc show dev " + iface).contains("clsact");
    }

    /** Packets the nftables rule with this comment has dropped: 0 when the tc classifier took them first. */
    static long nftDrops(String ruleComment) throws IOException {
        for (String line : ns.sh(D, "nft list chain inet jlvs prerouting").split("\n")) {
            if (line.contains(ruleComment)) {
                Matcher m = Pattern.compile("packets (\\d+)").matcher(line);
                if (m.find()) return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no nftables rule '" + ruleComment + "'");
    }

    @Test
    void vipTrafficIsNotForwardedWhileGuardedAndCloseUndoesEverything() throws Exception {
        ns.sh(D, "ethtool -K d0 gro on && ethtool -K d1 gro on");
        assertEquals("1", ns.in(D, () -> Sysctl.read("net.ipv4.ip_forward")));
        assertTrue(delivered(C, S, "10.0.5.5", 9999, 40001), "without the guard the director forwards VIP traffic");

        HostGuard guard = ns.in(D, () -> HostGuard.install(List.of("d0", "d1")));
        try {
            guard.update(new int[] {VIP}, List.of());
            assertFalse(groOn("d0"), "GRO must be off while guarded");
            assertTrue(Files.exists(guard.statePath()));
            assertFalse(delivered(C, S, "10.0.5.5", 9999, 40002), "the director's kernel forwarded VIP traffic");
            assertTrue(ns.sh(D, "nft list set inet jlvs vips").contains("10.0.5.5"));
            assertEquals(List.of("d0", "d1"), guard.classifiedInterfaces());
            assertEquals(0, nftDrops("jlvs handles VIP traffic"), "the tc classifier drops VIP traffic before nftables");
            guard.update(new int[0], List.of()); // the set is replaced, not appended to
            assertTrue(delivered(C, S, "10.0.5.5", 9999, 40003), "a VIP removed from the set must pass again");
            guard.update(new int[] {VIP, VIP}, List.of());
        } finally {
            guard.close();
        }
        assertFalse(tablePresent(), "close() must remove the nftables table");
        assertFalse(clsactOn("d0") || clsactOn("d1"), "close() must remove the clsact qdiscs it added");
        assertTrue(groOn("d0") && groOn("d1"), "close() must restore GRO");
        assertFalse(Files.exists(guard.statePath()), "close() must delete the state file");
        assertTrue(delivered(C, S, "10.0.5.5", 9999, 40004));
    }

    @Test
    void unNatedRepliesOfNatBackendsAreDroppedButRepliesToTheDirectorPass() throws Exception {
        assertTrue(delivered(S, C, "10.0.0.2", 7777, 8080), "positive control: the director forwards S -> C");
        HostGuard guard = ns.in(D, () -> HostGuard.install(List.of("d0", "d1")));
        try {
            guard.update(new int[] {VIP}, List.of(new NatBackend(ipv4("172.16.0.2"), 17, 8080)));
            assertFalse(delivered(S, C, "10.0.0.2", 7777, 8080), "an un-NATed reply from a NAT backend was forwarded");
            assertTrue(delivered(S, C, "10.0.0.2", 7777, 8081), "only the backend's service port is caught");
            assertTrue(delivered(S, D, "172.16.0.1", 7778, 8080), "replies to the director itself (health checks) pass");
            assertEquals(0, nftDrops("un-NATed replies"), "the tc classifier drops un-NATed replies before nftables");
            // An address the director gains later is its own too: the classifier learns it within a second or two.
            ns.sh(D, "ip addr add 172.16.0.9/24 dev d1");
            try {
                boolean passed = false;
                for (int attempt = 0; attempt < 5 && !passed; attempt++) passed = delivered(S, D, "172.16.0.9", 7779, 8080);
                assertTrue(passed, "a reply to an address the director gained after the update must pass");
            } finally {
                ns.sh(D, "ip addr del 172.16.0.9/24 dev d1");
            }
        } finally {
            guard.close();
        }
        assertTrue(delivered(S, C, "10.0.0.2", 7777, 8080));
    }

    /** Sends a 4000-byte datagram from S (bound to srcPort) to C:7777: S's kernel cuts it in three fragments. */
    static void sendFragmented(int srcPort) throws Exception {
        ns.in(S, () -> {
            try (DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress(srcPort))) {
                sender.send(ByteBuffer.allocate(4000), new InetSocketAddress("10.0.0.2", 7777));
            }
            return null;
        });
    }

    /** Later fragments from S that reached C, counted in C ahead of any reassembly. */
    static long laterFragmentsAtClient() throws IOException {
        Matcher m = Pattern.compile("packets (\\d+)").matcher(ns.sh(C, "nft list chain ip jlvs_probe later_fragments"));
        if (!m.find()) throw new AssertionError("no probe counter in " + C);
        return Long.parseLong(m.group(1));
    }

    /** Waits until C has counted {@code expected} later fragments from S (or a while has passed); the count. */
    static long awaitLaterFragmentsAtClient(long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long count = laterFragmentsAtClient();
        while (count < expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            count = laterFragmentsAtClient();
        }
        return count;
    }

    @Test
    void laterFragmentsOfAnUnNatedReplyAreDroppedWithItsFirst() throws Exception {
        ns.sh(C, "nft add table ip jlvs_probe && nft add chain ip jlvs_probe later_fragments '{ type filter hook "
                + "prerouting priority -500; }' && nft add rule ip jlvs_probe later_fragments ip saddr 172.16.0.2 "
                + "ip frag-off and 0x1fff != 0 counter");
        HostGuard guard = ns.in(D, () -> HostGuard.install(List.of("d0", "d1")));
        try {
            guard.update(new int[] {VIP}, List.of(new NatBackend(ipv4("172.16.0.2"), 17, 8080)));
            long before = laterFragmentsAtClient();
            sendFragmented(8080); // a NAT backend's un-NATed reply: all three fragments stay in the director
            sendFragmented(8081); // not the backend's service port: forwarded, after the first on the same path
            assertEquals(before + 2, awaitLaterFragmentsAtClient(before + 2),
                    "only the later fragments of the datagram from port 8081 reach the client");
            assertEquals(1, nftDrops("un-NATed replies: jlvs"), "the first fragment: nftables, not the tc classifier");
            assertEquals(2, nftDrops("later fragments of un-NATed replies"));
        } finally {
            guard.close();
            ns.sh(C, "nft delete table ip jlvs_probe");
        }
    }

    @Test
    void anOperatorsOwnClsactQdiscAndIngressFilterAreLeftAsTheyWere() throws Exception {
        String operatorFilter = "tc filter add dev d1 ingress pref 10 handle 7 bpf da bytecode '1,6 0 0 4294967295'";
        ns.sh(D, "tc qdisc add dev d1 clsact && " + operatorFilter);
        try {
            HostGuard guard = ns.in(D, () -> HostGuard.install(List.of("d1")));
            try {
                guard.update(new int[] {VIP}, List.of());
                assertEquals(List.of("d1"), guard.classifiedInterfaces());
                assertFalse(delivered(C, S, "10.0.5.5", 9999, 40005), "the director's kernel forwarded VIP traffic");
            } finally {
                guard.close();
            }
            String left = ns.sh(D, "tc filter show dev d1 ingress");
            assertTrue(clsactOn("d1") && left.contains("pref 10 bpf"), "the operator's qdisc and filter must stay:\n" + left);
            assertFalse(left.contains("pref " + TcIngressFilter.PREFERENCE), "jlvs's own filter must go:\n" + left);
        } finally {
            ns.sh(D, "tc qdisc del dev d1 clsact");
        }
    }

    private static Path codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void nextInstallUndoesWhatACrashedRunLeftAndRefusesWhileTheOwnerLives() throws Exception {
        ns.sh(D, "ethtool -K d0 gro on");
        // The guard logs through SLF4J to logback (configured by this module's logback-test.xml).
        String classpath = codeSource(CrashingGuardProcess.class) + ":" + codeSource(HostGuard.class) + ":"
                + codeSource(org.slf4j.LoggerFactory.class) + ":" + codeSource(ch.qos.logback.classic.Logger.class)
                + ":" + codeSource(ch.qos.logback.core.Appender.class);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process crashing = new ProcessBuilder("ip", "netns", "exec", D, java, "--enable-native-access=ALL-UNNAMED", "-cp",
                classpath, CrashingGuardProcess.class.getName(), "d0").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Path statePath;
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(crashing.getInputStream()));
            String line = output.readLine();
            while (line != null && !line.equals("installed")) line = output.readLine(); // log lines come first
            assertEquals("installed", line);
            statePath = ns.in(D, () -> HostGuardState.pathFor(NetnsId.current()));
            IOException refused = assertThrows(IOException.class, () -> ns.in(D, () -> HostGuard.install(List.of("d0"))));
            assertTrue(refused.getMessage().contains("pid " + crashing.pid()), refused.getMessage());
        } finally {
            crashing.destroyForcibly(); // SIGKILL: no shutdown hook, nothing undone
            crashing.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(statePath) && tablePresent() && !groOn("d0"), "the crash must leave its changes behind");
        assertTrue(ns.sh(D, "tc filter show dev d0 ingress").contains("pref " + TcIngressFilter.PREFERENCE + " bpf"),
                "the crash leaves its tc classifier too");
        ns.sh(D, "nft add chain inet jlvs leftover_marker");

        HostGuard guard = ns.in(D, () -> HostGuard.install(List.of("d0")));
        try {
            assertFalse(ns.sh(D, "nft list table inet jlvs").contains("leftover_marker"), "the leftover table must be replaced");
            assertTrue(Files.readString(statePath).contains("owner " + ProcessHandle.current().pid()));
            assertTrue(Files.readString(statePath).contains("offload d0 gro"),
                    "GRO was on before the crashed run: the new guard must still restore it");
        } finally {
            guard.close();
        }
        assertTrue(groOn("d0"), "GRO restored after crash recovery and close");
        assertFalse(tablePresent());
        assertFalse(clsactOn("d0"), "the clsact qdisc the crashed run added is gone after recovery and close");
        assertFalse(Files.exists(statePath));
    }
}
