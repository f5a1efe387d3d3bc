package io.jlvs.health.check;

import io.jlvs.health.config.CheckEndpoint;
import io.jlvs.health.config.CheckerSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static io.jlvs.health.check.CheckerTestSupport.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UDP_CHECK and DNS_CHECK against responders on the loopback. */
class DatagramCheckersTest {
    private static NettyCheckers checkers;

    @BeforeAll
    static void start() { checkers = CheckerTestSupport.newCheckers(null); }

    @AfterAll
    static void stop() { checkers.close(); }

    private static CheckerSpec.Udp udp(double timeout, String requireReply, int min, int max) {
        return new CheckerSpec.Udp(Specs.SOURCE, CheckEndpoint.DEFAULT, Specs.timing(timeout), new byte[] {1, 2, 3},
                requireReply, min, max);
    }

    /** Answers each datagram with reply (null: stays silent). */
    private static DatagramSocket responder(byte[] reply) throws SocketException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[512];
            try {
                while (true) {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    if (reply != null) socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
                }
            } catch (java.io.IOException closed) {
                // test over
            }
        });
        return socket;
    }

    private static InetSocketAddress address(DatagramSocket socket) {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Test
    void requiredReplyMatchesWithWildcardNibbles() throws Exception {
        try (DatagramSocket server = responder(new byte[] {(byte) 0xAB, (byte) 0xC5, 0x00, 0x11})) {
            CheckResult ok = check(checkers, udp(1, "ABX5", 0, 0), address(server));
            assertEquals("reply of 4 bytes", ok.reason());
            assertTrue(ok.up());
            assertEquals("reply does not match require_reply", check(checkers, udp(1, "ABX6", 0, 0), address(server)).reason());
            assertEquals("reply of 4 bytes is shorter than 5", check(checkers, udp(1, "AB", 5, 0), address(server)).reason());
            assertEquals("reply of 4 bytes is longer than 3", check(checkers, udp(1, "AB", 0, 3), address(server)).reason());
        }
    }

    @Test
    void requiredReplyNeverComingTimesOut() throws Exception {
        try (DatagramSocket server = responder(null)) {
            CheckResult result = check(checkers, udp(0.5, "AB", 0, 0), address(server));
            assertFalse(result.up());
            assertEquals("timeout after 0.5 s", result.reason());
        }
    }

    @Test
    void withoutRequiredReplyASilentOpenPortIsUpAndAClosedPortIsDown() throws Exception {
        try (DatagramSocket silent = responder(null)) {
            CheckResult up = check(checkers, udp(0.5, null, 0, 0), address(silent));
            assertTrue(up.up());
            assertEquals("no ICMP unreachable within 0.5 s", up.reason());
        }
        // A port closed to the checker that nothing else can take meanwhile: a socket bound to it but connected to
        // another peer, so the checker's datagram finds no socket and the kernel answers port unreachable.
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket guard = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            guard.connect(loopback, 9);
            CheckResult down = check(checkers, udp(2, null, 0, 0), new InetSocketAddress(loopback, guard.getLocalPort()));
            assertFalse(down.up());
            assertEquals("ICMP port unreachable", down.reason());
            assertTrue(down.elapsedNanos() < TimeUnit.SECONDS.toNanos(1), down.toString());
        }
    }

    // ---- DNS

    private static CheckerSpec.Dns dns(String type, String name) {
        return new CheckerSpec.Dns(Specs.SOURCE, CheckEndpoint.DEFAULT, Specs.timing(1), type, name);
    }

    /**
     * A DNS responder: echoes the question with RCODE NOERROR, NXDOMAIN for names starting with "missing", and
     * with a wrong id for names starting with "wrongid".
     */
    private static DatagramSocket dnsResponder() throws SocketException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[512];
            try {
                while (true) {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    byte[] reply = Arrays.copyOf(in.getData(), in.getLength());
                    String firstLabel = new String(reply, 13, reply[12]);
                    ByteBuffer header = ByteBuffer.wrap(reply);
                    int rcode = firstLabel.startsWith("missing") ? 3 : 0;
                    header.putShort(2, (short) (0x8180 | rcode)); // QR, RD, RA
                    if (firstLabel.startsWith("wrongid")) header.putShort(0, (short) (header.getShort(0) + 1));
                    socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
                }
            } catch (java.io.IOException closed) {
                // test over
            }
        });
        return socket;
    }

    @Test
    void dnsUpOnNoErrorDownOnNxdomain() throws Exception {
        try (DatagramSocket server = dnsResponder()) {
            CheckResult up = check(checkers, dns("A", "www.example.com"), address(server));
            assertTrue(up.up(), up.toString());
            assertEquals("DNS rcode NOERROR", up.reason());
            CheckResult down = check(checkers, dns("SOA", "missing.example.com"), address(server));
            assertFalse(down.up());
            assertEquals("DNS rcode NXDOMAIN", down.reason());
        }
    }

    @Test
    void dnsIgnoresAnswersWithAnotherId() throws Exception {
        try (DatagramSocket server = dnsResponder()) {
            CheckResult result = check(checkers, dns("A", "wrongid.example.com"), address(server));
            assertEquals("timeout after 1.0 s", result.reason());
            assertTrue(check(checkers, dns("A", "rightid.example.com"), address(server)).up());
        }
    }
}
