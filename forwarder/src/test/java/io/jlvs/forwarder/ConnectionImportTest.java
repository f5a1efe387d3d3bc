package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.PreviousTable;
import io.jlvs.connections.TableFile;
import io.jlvs.connections.TcpState;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.UUID;

import static io.jlvs.forwarder.PipelineTest.ACK;
import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS2;
import static io.jlvs.forwarder.PipelineTest.SYN;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections made from a description (sync import) and from a previous daemon's table file (re-attach). */
class ConnectionImportTest {
    private static final UUID BOOT = UUID.fromString("3f0e4d52-1b1c-4f9a-8d0e-5a6b7c8d9e0f");
    final PipelineTest h = new PipelineTest();

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() { h.setUp(); }

    @AfterEach
    void tearDown() { h.tearDown(); }

    private static long mapped(String v4) { return FlowDescription.mappedLo(v4(v4)); }

    private static ConnectionImport established(int clientPort, String real, int realPort) {
        return new ConnectionImport().protocol(Ipv4.PROTO_TCP).client(0, mapped(CLIENT), clientPort)
                .virtual(0, mapped(VIP), 80).real(0, mapped(real), realPort).method(ForwardMethod.MASQ)
                .state(TcpState.ESTABLISHED).timeoutSeconds(900);
    }

    private static byte[] ack(int clientPort) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).tcp(clientPort, 80).flags(ACK).build();
    }

    private ConnectionView inbound(int clientPort) {
        ConnectionView v = new ConnectionView();
        h.plane.connections().lookup(new ConnectionParam().protocol(Ipv4.PROTO_TCP).client(0, mapped(CLIENT), clientPort)
                .virtual(0, mapped(VIP), 80), ConnectionTable.DIR_INPUT, v);
        return v;
    }

    @Test
    void anImportedConnectionCarriesItsPacketsToItsServerWithoutScheduling() {
        h.natService("rr");
        long now = System.nanoTime();
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(established(40000, RS2, 8080), now));
        // rr would send a new connection to RS1 first: RS2 shows the imported binding is used.
        FlowDescription out = h.forwardFromClient(ack(40000));
        assertEquals(v4(RS2), out.dstV4());
        assertEquals(8080, out.dstPort);
        assertEquals(1, h.ipvs.runningServices().getFirst().dests().get(1).server().activeConns());
    }

    @Test
    void aConnectionOfAPersistentServiceBindsItsClientSoTheClientsNextConnectionGoesToTheSameServer() {
        h.adm("-A", "-t", VIP + ":80", "-s", "rr", "-p", "300");
        h.adm("-a", "-t", VIP + ":80", "-r", RS1 + ":8080", "-m");
        h.adm("-a", "-t", VIP + ":80", "-r", RS2 + ":8080", "-m");
        long now = System.nanoTime();
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(established(40000, RS2, 8080), now));
        // rr alone would give a new client RS1 first; the imported connection's template says RS2.
        FlowDescription first = h.forwardFromClient(h.clientTcp(40001, SYN));
        assertEquals(v4(RS2), first.dstV4());
        FlowDescription second = h.forwardFromClient(h.clientTcp(40002, SYN));
        assertEquals(v4(RS2), second.dstV4(), "and every further one");
    }

    @Test
    void anImportOfAnExistingConnectionUpdatesItsStateAndDeadlineInsteadOfDuplicatingIt() {
        h.natService("rr");
        long now = System.nanoTime();
        h.ipvs.importConnection(established(40000, RS1, 8080), now);
        assertEquals(ImportResult.UPDATED, h.ipvs.importConnection(
                established(40000, RS1, 8080).state(TcpState.FIN_WAIT).timeoutSeconds(5), now));
        assertEquals(1, h.plane.connections().size());
        ConnectionView v = inbound(40000);
        assertEquals(TcpState.FIN_WAIT, v.state());
        assertEquals(now + 5_000_000_000L, h.plane.connections().expiresAtNanos(v.handle()));
        assertEquals(1, h.ipvs.importCounters().get(ImportResult.CREATED));
        assertEquals(1, h.ipvs.importCounters().get(ImportResult.UPDATED));
    }

    @Test
    void anActiveImportReplacesAnEntryOfTheSameClientPortBoundToAnotherServer() {
        h.natService("rr");
        long now = System.nanoTime();
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(established(40000, RS1, 8080), now));
        assertEquals(v4(RS1), h.forwardFromClient(ack(40000)).dstV4());
        // The client's port now belongs to a new connection, which the master bound to RS2.
        assertEquals(ImportResult.UPDATED, h.ipvs.importConnection(established(40000, RS2, 8080), now));
        assertEquals(1, h.plane.connections().size());
        assertEquals(v4(RS2), h.forwardFromClient(ack(40000)).dstV4());
    }

    @Test
    void anInactiveImportOfAConnectionAlreadyReplacedIsCountedAndChangesNothing() {
        h.natService("rr");
        long now = System.nanoTime();
        h.ipvs.importConnection(established(40000, RS2, 8080), now);
        // The old connection's end (TIME_WAIT, inactive) from a master that had it with RS1.
        assertEquals(ImportResult.STALE, h.ipvs.importConnection(
                established(40000, RS1, 8080).state(TcpState.TIME_WAIT).inactive(true).timeoutSeconds(5), now));
        ConnectionView v = inbound(40000);
        assertEquals(TcpState.ESTABLISHED, v.state());
        assertEquals(v4(RS2), h.forwardFromClient(ack(40000)).dstV4());
        assertEquals(1, h.ipvs.importCounters().get(ImportResult.STALE));
        // The same inactive description for the server the entry has is an update.
        assertEquals(ImportResult.UPDATED, h.ipvs.importConnection(
                established(40000, RS2, 8080).state(TcpState.FIN_WAIT).inactive(true).timeoutSeconds(5), now));
        assertEquals(TcpState.FIN_WAIT, inbound(40000).state());
    }

    @Test
    void unknownServiceUnknownServerAndImpossibleDescriptionsAreCountedAndCreateNothing() {
        h.natService("rr");
        long now = System.nanoTime();
        assertEquals(ImportResult.NO_SERVICE, h.ipvs.importConnection(
                established(1, RS1, 8080).virtual(0, mapped(VIP), 81), now));
        assertEquals(ImportResult.NO_SERVER, h.ipvs.importConnection(established(2, "172.16.0.9", 8080), now));
        assertEquals(ImportResult.INVALID, h.ipvs.importConnection(established(3, RS1, 8080).state(99), now));
        assertEquals(ImportResult.INVALID, h.ipvs.importConnection(established(4, RS1, 8080).timeoutSeconds(0), now));
        assertEquals(0, h.plane.connections().size());
        assertEquals(1, h.ipvs.importCounters().get(ImportResult.NO_SERVICE));
        assertEquals(1, h.ipvs.importCounters().get(ImportResult.NO_SERVER));
        assertEquals(2, h.ipvs.importCounters().get(ImportResult.INVALID));
        // The same description with a known server is created: the counters above could have read CREATED.
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(established(2, RS1, 8080), now));
    }

    @Test
    void aConnectionWithAFwmarkBindsToTheMarkService() {
        h.adm("--mark", "7", "-P", "tcp", "-d", VIP + "/32");
        h.adm("-A", "-f", "7", "-s", "rr");
        h.adm("-a", "-f", "7", "-r", RS1, "-m");
        long now = System.nanoTime();
        assertEquals(ImportResult.NO_SERVICE, h.ipvs.importConnection(established(40000, RS1, 80).fwmark(8), now));
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(established(40000, RS1, 80).fwmark(7), now));
        assertEquals(7, inbound(40000).fwmark());
    }

    @Test
    void aPreviousDaemonsTableIsReattachedByAddressAndFwmarkAndEntriesOfGoneServersAreCounted() throws IOException {
        Path path = dir.resolve("t.conns");
        try (TableFile file = TableFile.create(path, 4096, 1, 1, BOOT)) {
            useTable(file);
            h.natService("rr");
            h.adm("--mark", "7", "-P", "tcp", "-d", VIP + "/32", "--dport", "90");
            h.adm("-A", "-f", "7", "-s", "rr");
            h.adm("-a", "-f", "7", "-r", RS2, "-m");
            h.forwardFromClient(syn(40000, 80));   // -> RS1:8080
            h.forwardFromClient(syn(40001, 80));   // -> RS2:8080
            h.forwardFromClient(syn(40002, 90));   // fwmark 7 -> RS2:90
            assertEquals(3, h.plane.connections().size());
            h.plane.connections().close(); // the daemon goes; its entries stay in the file
        }
        // The next daemon runs the same services but without RS1 in the port-80 service, and numbers them anew.
        h.setUp();
        h.adm("-A", "-t", VIP + ":81", "-s", "rr"); // takes service id 1 this time
        h.adm("-A", "-t", VIP + ":80", "-s", "wlc");
        h.adm("-a", "-t", VIP + ":80", "-r", RS2 + ":8080", "-m");
        h.adm("--mark", "7", "-P", "tcp", "-d", VIP + "/32", "--dport", "90");
        h.adm("-A", "-f", "7", "-s", "rr");
        h.adm("-a", "-f", "7", "-r", RS2, "-m");
        ReattachReport report;
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            report = h.ipvs.reattach(previous, System.nanoTime());
        }
        assertEquals(2, report.reattached(), report.toString());
        assertEquals(1, report.noServer(), report.toString());
        assertEquals(2, h.plane.connections().size());
        ConnectionView v = inbound(40001);
        assertEquals(TcpState.SYN_RECV, v.state());
        assertEquals(ConnFlags.MASQ, ConnFlags.method(v));
        // Its packets reach RS2 through the restored binding, and the fwmark one through the mark service.
        assertEquals(v4(RS2), h.forwardFromClient(ack(40001)).dstV4());
        FlowDescription marked = h.forwardFromClient(PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC)
                .ipv4(CLIENT, VIP).tcp(40002, 90).flags(ACK).build());
        assertEquals(v4(RS2), marked.dstV4());
        assertEquals(90, marked.dstPort);
        h.receive(h.clientSide, ack(40000), 0);
        assertTrue(h.serverSide.sent.isEmpty(), "the dropped connection's ACK is not forwarded");
        assertEquals(1, h.drops.get(DropReason.NOT_SYN));
    }

    private static byte[] syn(int clientPort, int port) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).tcp(clientPort, port).flags(SYN).build();
    }

    private void useTable(TableFile file) {
        h.plane.connections().close();
        h.plane = new DataPlane(file.entries(), file.capacity(), h.hops, 1);
        h.ipvs = new IpvsRuntime(h.plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ), null);
        h.pipeline = new PacketPipeline(h.plane, new WorkerPorts(new PacketPort[] {h.clientSide, h.serverSide}), h.drops);
    }
}
