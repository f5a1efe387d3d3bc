package io.jlvs.forwarder;

import io.jlvs.connections.TcpState;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jlvs.forwarder.PipelineTest.ACK;
import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.RS2;
import static io.jlvs.forwarder.PipelineTest.SYN;
import static io.jlvs.forwarder.PipelineTest.parseValid;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IPVS knobs on the per-frame path: conn_reuse_mode and nat_icmp_send. */
class KnobsPipelineTest {
    static final int RST = 0x04;
    final PipelineTest h = new PipelineTest();

    @BeforeEach
    void setUp() {
        h.setUp();
        h.natService("rr");
    }

    @AfterEach
    void tearDown() { h.tearDown(); }

    int forwardedTo(int sport, int flags) {
        return h.forwardFromClient(h.clientTcp(sport, flags)).dstV4();
    }

    /** Opens a connection from sport and resets it from the client side: IPVS state CLOSE. Returns its server. */
    int closedConnection(int sport) {
        int server = forwardedTo(sport, SYN);
        forwardedTo(sport, ACK);
        forwardedTo(sport, RST | ACK);
        return server;
    }

    @Test
    void connReuseMode1SchedulesASynOnAClosedTupleAnew() {
        h.adm("--sysctl", "conn_reuse_mode=1");
        int first = closedConnection(41000);
        int again = forwardedTo(41000, SYN);
        assertEquals(first == v4(RS1) ? v4(RS2) : v4(RS1), again, "rr moved on: the SYN was scheduled again");
    }

    @Test
    void connReuseMode0KeepsTheOldEntryAndServer() {
        h.adm("--sysctl", "conn_reuse_mode=0");
        int first = closedConnection(41001);
        assertEquals(first, forwardedTo(41001, SYN), "the old entry (and server) is reused");
    }

    @Test
    void aSynOnALiveConnectionIsNotRescheduled() {
        h.adm("--sysctl", "conn_reuse_mode=1");
        int first = forwardedTo(41002, SYN);
        forwardedTo(41002, ACK);
        assertEquals(first, forwardedTo(41002, SYN), "ESTABLISHED is not a closing state");
    }

    @Test
    void reuseRulesFollowTheKernel() {
        assertTrue(ConnectionReuse.reschedules(1, false, TcpState.TIME_WAIT, false, 1));
        assertTrue(ConnectionReuse.reschedules(1, false, TcpState.CLOSE, false, 1));
        assertFalse(ConnectionReuse.reschedules(1, false, TcpState.FIN_WAIT, true, 1), "FIN_WAIT needs mode bit 2");
        assertTrue(ConnectionReuse.reschedules(2, false, TcpState.FIN_WAIT, true, 1), "DR/TUN FIN_WAIT with bit 2");
        assertFalse(ConnectionReuse.reschedules(2, false, TcpState.FIN_WAIT, false, 1), "NAT sees the replies");
        assertTrue(ConnectionReuse.reschedules(1, true, TcpState.ESTABLISHED, false, 0), "expire_nodest_conn, weight 0");
        assertFalse(ConnectionReuse.reschedules(1, false, TcpState.ESTABLISHED, false, 0));
        assertFalse(ConnectionReuse.reschedules(0, true, TcpState.TIME_WAIT, false, 0), "mode 0 never");
    }

    byte[] strayFromServer(int flags) {
        return PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).tcp(8080, 45555).flags(flags)
                .payload(new byte[] {9, 9}).build();
    }

    @Test
    void natIcmpSendAnswersAStrayReplyWithPortUnreachableToTheServer() {
        h.adm("--sysctl", "nat_icmp_send=1");
        h.receive(h.serverSide, strayFromServer(ACK), 0);
        byte[] out = h.serverSide.takeOnly();
        FlowDescription f = parseValid(out);
        assertEquals(RS1_MAC, PipelineTest.macAt(out, 0));
        assertTrue(f.icmpError);
        assertEquals(3, f.icmpType);
        assertEquals(3, f.icmpCode, "port unreachable");
        assertEquals(v4("172.16.0.1"), f.srcV4(), "from the director's address towards the server");
        assertEquals(v4(RS1), f.dstV4());
        assertEquals(8080, f.innerSrcPort, "quotes the stray packet");
        assertTrue(h.clientSide.sent.isEmpty(), "nothing reaches the client");
        assertEquals(1, h.drops.get(DropReason.NAT_ICMP_SENT));
    }

    @Test
    void natIcmpSendIgnoresResetsAndIsOffByDefault() {
        h.receive(h.serverSide, strayFromServer(ACK), 0);
        assertTrue(h.serverSide.sent.isEmpty(), "off by default, as in the kernel");
        h.adm("--sysctl", "nat_icmp_send=1");
        h.receive(h.serverSide, strayFromServer(RST), 0);
        assertTrue(h.serverSide.sent.isEmpty(), "a RST gets no answer");
        assertEquals(2, h.drops.get(DropReason.NOT_HANDLED));
    }

    @Test
    void natIcmpSendOnlyAnswersRealServerEndpoints() {
        h.adm("--sysctl", "nat_icmp_send=1");
        byte[] other = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).tcp(22, 45555).flags(ACK).build();
        h.receive(h.serverSide, other, 0);
        assertTrue(h.serverSide.sent.isEmpty(), "port 22 is no service's real port");
    }

    @Test
    void dropPacketAtLevel3DropsOneNewConnectionInAmDroprateAndCountsIt() {
        h.adm("--sysctl", "am_droprate=4");
        h.adm("--sysctl", "drop_packet=3");
        h.ipvs.defend(System.nanoTime());
        int forwarded = 0;
        for (int sport = 42000; sport < 42012; sport++) {
            h.receive(h.clientSide, h.clientTcp(sport, SYN), 0);
            forwarded += h.serverSide.sent.size();
            h.serverSide.sent.clear();
        }
        assertEquals(9, forwarded, "3 of 12 SYNs dropped");
        assertEquals(3, h.drops.get(DropReason.DEFENSE));
        h.adm("--sysctl", "drop_packet=0");
        h.ipvs.defend(System.nanoTime());
        h.receive(h.clientSide, h.clientTcp(42100, SYN), 0);
        assertEquals(1, h.serverSide.sent.size(), "off again: nothing dropped");
    }

    @Test
    void secureTcpKeepsANatConnectionInSynRecvUntilTheServerIsHeard() {
        h.adm("--sysctl", "secure_tcp=3");
        h.ipvs.defend(System.nanoTime());
        forwardedTo(42200, SYN);
        forwardedTo(42200, ACK);
        assertTrue(h.adm("-L", "-n", "-c").contains("SYN_RECV"), "a client's ACK alone does not establish it");
        h.adm("--sysctl", "secure_tcp=0");
        h.ipvs.defend(System.nanoTime());
        forwardedTo(42201, SYN);
        forwardedTo(42201, ACK);
        assertTrue(h.adm("-L", "-n", "-c").contains("ESTABLISHED"), "without secure_tcp it does");
    }
}
