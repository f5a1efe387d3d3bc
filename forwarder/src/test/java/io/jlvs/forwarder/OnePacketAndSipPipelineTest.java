package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.RS2;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.parseValid;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -o one-packet scheduling and --pe sip persistence through the per-frame path. */
class OnePacketAndSipPipelineTest {
    final PipelineTest h = new PipelineTest();

    @BeforeEach
    void setUp() { h.setUp(); }

    @AfterEach
    void tearDown() { h.tearDown(); }

    void udpService(int port, String... options) {
        String[] argv = new String[5 + options.length];
        argv[0] = "-A"; argv[1] = "-u"; argv[2] = VIP + ":" + port; argv[3] = "-s"; argv[4] = "rr";
        System.arraycopy(options, 0, argv, 5, options.length);
        h.adm(argv);
        h.adm("-a", "-u", VIP + ":" + port, "-r", RS1 + ":" + (port + 1000), "-m");
        h.adm("-a", "-u", VIP + ":" + port, "-r", RS2 + ":" + (port + 1000), "-m");
    }

    byte[] clientUdp(int sport, int dport, byte[] payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).udp(sport, dport).payload(payload).build();
    }

    static byte[] sip(String callId) {
        String m = "INVITE sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.com\r\n"
                + (callId == null ? "" : "Call-ID: " + callId + "\r\n") + "CSeq: 1 INVITE\r\n\r\n";
        return m.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void onePacketServiceSchedulesEveryPacketOfAFlowAndKeepsNoConnection() {
        udpService(53, "-o");
        byte[] query = clientUdp(40000, 53, new byte[] {1, 2, 3});
        FlowDescription first = h.forwardFromClient(query);
        FlowDescription second = h.forwardFromClient(query);
        assertEquals(v4(RS1), first.dstV4());
        assertEquals(1053, first.dstPort);
        assertEquals(v4(RS2), second.dstV4(), "the same flow is scheduled again: rr moves on");
        assertEquals(0, h.plane.connections().size(), "no connection is kept");
        RuntimeService s = h.ipvs.runningServices().get(0);
        assertEquals(2, s.counters().conns(), "each packet counts as a connection, as IPVS does");
        assertEquals(2, s.counters().inPackets());
    }

    @Test
    void withoutOnePacketTheSameFlowStaysOnItsServer() {
        udpService(53);
        byte[] query = clientUdp(40000, 53, new byte[] {1, 2, 3});
        assertEquals(h.forwardFromClient(query).dstV4(), h.forwardFromClient(query).dstV4());
        assertEquals(1, h.plane.connections().size());
    }

    @Test
    void replyOfAOnePacketNatServerIsRewrittenFromTheService() {
        udpService(53, "-o");
        h.forwardFromClient(clientUdp(40000, 53, new byte[] {1}));
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).udp(1053, 40000)
                .payload(new byte[] {7, 7}).build();
        h.receive(h.serverSide, reply, 0);
        FlowDescription f = parseValid(h.clientSide.takeOnly());
        assertEquals(v4(VIP), f.srcV4(), "no connection, yet the client sees the VIP");
        assertEquals(53, f.srcPort);
        assertEquals(v4(CLIENT), f.dstV4());
        assertEquals(1, h.ipvs.runningServices().get(0).counters().outPackets());
    }

    @Test
    void serverEndpointSharedByTwoOnePacketServicesIsNotGuessed() {
        udpService(53, "-o");
        h.adm("-A", "-u", "10.0.0.101:53", "-s", "rr", "-o");
        h.adm("-a", "-u", "10.0.0.101:53", "-r", RS1 + ":1053", "-m");
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).udp(1053, 40000).build();
        h.receive(h.serverSide, reply, 0);
        assertTrue(h.clientSide.sent.isEmpty(), "which VIP the reply belongs to is unknown: not forwarded");
        assertEquals(1, h.drops.get(DropReason.NOT_HANDLED));
    }

    @Test
    void sipPersistenceKeepsACallOnOneServerAndSpreadsCalls() {
        udpService(5060, "-p", "60", "--pe", "sip");
        FlowDescription callA = h.forwardFromClient(clientUdp(5060, 5060, sip("a84b4c76e66710@pc33.atlanta.com")));
        FlowDescription callB = h.forwardFromClient(clientUdp(5062, 5060, sip("f81d4fae-7dec-11d0-a765")));
        FlowDescription callAAgain = h.forwardFromClient(clientUdp(5064, 5060, sip("a84b4c76e66710@pc33.atlanta.com")));
        assertEquals(v4(RS1), callA.dstV4());
        assertEquals(v4(RS2), callB.dstV4(), "a new Call-ID from the same client is a new template");
        assertEquals(v4(RS1), callAAgain.dstV4(), "a new flow of call a follows its template, not rr");
        RuntimeService s = h.ipvs.runningServices().get(0);
        assertEquals(2, s.scheduler.templates().size());
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        assertEquals(0, new AdmExecutor(h.ipvs).execute(new String[] {"-L", "-n", "-c", "--persistent-conn"}, out, err));
        assertTrue(out.toString().contains(String.format("%-16s %-18s %s%n", RS1 + ":6060", "sip",
                "a84b4c76e66710@pc33.atlanta.com")), out.toString());
        assertTrue(out.toString().contains(String.format("UDP %-6s %-11s %-18s", "01:00", "UDP", CLIENT + ":0"))
                || out.toString().contains(String.format("UDP %-6s %-11s %-18s", "00:59", "UDP", CLIENT + ":0")), out.toString());
    }

    @Test
    void sipPacketWithoutCallIdIsDroppedAndCounted() {
        udpService(5060, "-p", "60", "--pe", "sip");
        h.receive(h.clientSide, clientUdp(5060, 5060, sip(null)), 0);
        assertTrue(h.serverSide.sent.isEmpty());
        assertEquals(1, h.drops.get(DropReason.NO_CALL_ID));
        assertEquals(0, h.plane.connections().size());
    }

    @Test
    void sipWithOnePacketSchedulesEachMessageByItsCall() {
        udpService(5060, "-p", "60", "--pe", "sip", "-o");
        byte[] a = clientUdp(5060, 5060, sip("call-a"));
        byte[] b = clientUdp(5060, 5060, sip("call-b"));
        FlowDescription a1 = h.forwardFromClient(a), b1 = h.forwardFromClient(b), a2 = h.forwardFromClient(a), b2 = h.forwardFromClient(b);
        assertEquals(a1.dstV4(), a2.dstV4(), "call a stays on its server");
        assertEquals(b1.dstV4(), b2.dstV4(), "call b stays on its server");
        assertTrue(a1.dstV4() != b1.dstV4(), "the two calls of one client flow went to different servers");
        assertEquals(0, h.plane.connections().size());
    }
}
