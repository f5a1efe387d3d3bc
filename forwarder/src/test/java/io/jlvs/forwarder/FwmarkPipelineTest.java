package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jlvs.forwarder.PipelineTest.ACK;
import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS2;
import static io.jlvs.forwarder.PipelineTest.SYN;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.parseValid;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fwmark services through the per-frame path: jlvs mark rules, their order, VIPs, ports and persistence. */
class FwmarkPipelineTest {
    final PipelineTest h = new PipelineTest();

    @BeforeEach
    void setUp() { h.setUp(); }

    @AfterEach
    void tearDown() { h.tearDown(); }

    void fwmarkService(int mark, String... options) {
        String[] argv = new String[4 + options.length];
        argv[0] = "-A";
        argv[1] = "-f";
        argv[2] = Integer.toString(mark);
        argv[3] = "-s";
        System.arraycopy(options, 0, argv, 4, options.length);
        h.adm(argv);
        h.adm("-a", "-f", Integer.toString(mark), "-r", RS1, "-m");
        h.adm("-a", "-f", Integer.toString(mark), "-r", RS2, "-m");
    }

    byte[] syn(String dst, int sport, int dport) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, dst).tcp(sport, dport).flags(SYN).build();
    }

    @Test
    void markedPacketsGoToTheFwmarkServiceAndKeepTheirDestinationPort() {
        h.adm("--mark", "1", "-P", "tcp", "-d", VIP + "/32", "--dport", "80:90");
        fwmarkService(1, "rr");

        FlowDescription first = h.forwardFromClient(syn(VIP, 40000, 85));
        FlowDescription second = h.forwardFromClient(syn(VIP, 40001, 90));

        assertEquals(v4(RS1), first.dstV4());
        assertEquals(85, first.dstPort, "port-0 real server keeps the packet's port");
        assertEquals(v4(RS2), second.dstV4(), "rr across the fwmark service's servers");
        assertEquals(90, second.dstPort);
    }

    @Test
    void portOutsideTheRuleMatchesNothing() {
        h.adm("--mark", "1", "-P", "tcp", "-d", VIP + "/32", "--dport", "80");
        fwmarkService(1, "rr");
        h.receive(h.clientSide, syn(VIP, 40000, 81), 0);
        assertTrue(h.serverSide.sent.isEmpty());
        assertEquals(1, h.drops.get(DropReason.NO_SERVICE));
    }

    @Test
    void anAddressServiceTakesItsPacketsBeforeTheMarkRules() {
        h.adm("--mark", "1", "-P", "tcp", "-d", VIP + "/32");
        fwmarkService(1, "rr");
        h.adm("-A", "-t", VIP + ":80", "-s", "rr");
        h.adm("-a", "-t", VIP + ":80", "-r", RS2 + ":8080", "-m");

        FlowDescription toService = h.forwardFromClient(syn(VIP, 40000, 80));
        FlowDescription marked = h.forwardFromClient(syn(VIP, 40001, 443));

        assertEquals(8080, toService.dstPort, "-t VIP:80 answers port 80");
        assertEquals(443, marked.dstPort, "other ports fall back to the mark rule");
    }

    @Test
    void theFirstMatchingRuleGivesTheMark() {
        h.adm("--mark", "1", "-P", "tcp", "-d", VIP + "/32", "--dport", "80");
        h.adm("--mark", "2", "-P", "tcp", "-d", VIP + "/32");
        h.adm("-A", "-f", "1", "-s", "rr");
        h.adm("-a", "-f", "1", "-r", RS1, "-m");
        h.adm("-A", "-f", "2", "-s", "rr");
        h.adm("-a", "-f", "2", "-r", RS2, "-m");

        assertEquals(v4(RS1), h.forwardFromClient(syn(VIP, 40000, 80)).dstV4(), "port 80 matches rule 1 first");
        assertEquals(v4(RS2), h.forwardFromClient(syn(VIP, 40001, 80 + 1)).dstV4(), "other ports only rule 2");
    }

    @Test
    void aHostRuleMakesItsAddressAVipUntilItIsRemoved() {
        String address = "10.0.0.101";
        h.adm("--mark", "1", "-P", "tcp", "-d", address + "/32", "--dport", "80");
        fwmarkService(1, "rr");
        assertTrue(h.plane.services().isVip(v4(address)));

        byte[] request = PacketBuilder.ethernet(CLIENT_MAC, 0xFFFF_FFFF_FFFFL).arpRequest("02:00:00:00:00:02", CLIENT, address).build();
        h.receive(h.clientSide, request, 0);
        assertEquals(2, parseValid(h.clientSide.takeOnly()).arpOperation, "ARP reply for the rule's address");

        h.adm("--unmark", "1", "-P", "tcp", "-d", address + "/32", "--dport", "80");
        assertFalse(h.plane.services().isVip(v4(address)));
    }

    @Test
    void aWiderPrefixIsForwardedButNotOwned() {
        h.adm("--mark", "7", "-P", "tcp", "-d", "10.0.1.0/24", "--dport", "80");
        fwmarkService(7, "rr");

        FlowDescription f = h.forwardFromClient(syn("10.0.1.7", 40000, 80));
        assertEquals(v4(RS1), f.dstV4());
        assertFalse(h.plane.services().isVip(v4("10.0.1.7")), "routed to the director, not a VIP");
        byte[] request = PacketBuilder.ethernet(CLIENT_MAC, 0xFFFF_FFFF_FFFFL).arpRequest("02:00:00:00:00:02", CLIENT, "10.0.1.7").build();
        h.receive(h.clientSide, request, 0);
        assertTrue(h.clientSide.sent.isEmpty(), "no ARP answers for a routed prefix");

        // The server's reply goes back from the address the client asked for.
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).tcp(80, 40000).flags(SYN | ACK).build();
        h.receive(h.serverSide, reply, 0);
        FlowDescription back = parseValid(h.clientSide.takeOnly());
        assertEquals(v4("10.0.1.7"), back.srcV4());
        assertEquals(80, back.srcPort);
    }

    @Test
    void aPersistentFwmarkServiceKeepsAClientOnOneServerAcrossPorts() {
        h.adm("--mark", "1", "-P", "tcp", "-d", VIP + "/32");
        fwmarkService(1, "rr", "-p", "60");

        int first = h.forwardFromClient(syn(VIP, 40000, 80)).dstV4();
        int second = h.forwardFromClient(syn(VIP, 40001, 443)).dstV4();
        int third = h.forwardFromClient(syn(VIP, 40002, 8443)).dstV4();

        assertEquals(first, second, "fwmark templates drop the ports");
        assertEquals(first, third);
    }

    @Test
    void clearRemovesTheRulesToo() {
        h.adm("--mark", "1", "-P", "tcp", "-d", VIP + "/32");
        fwmarkService(1, "rr");
        h.adm("-C");
        assertFalse(h.plane.services().isVip(v4(VIP)));
        assertTrue(h.ipvs.config().markRules().isEmpty());
    }
}
