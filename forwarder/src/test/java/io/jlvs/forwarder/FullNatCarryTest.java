package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.PreviousTable;
import io.jlvs.connections.TableFile;
import io.jlvs.connections.TcpState;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.UUID;

import static io.jlvs.forwarder.FullNatPipelineTest.ACK;
import static io.jlvs.forwarder.FullNatPipelineTest.LADDR;
import static io.jlvs.forwarder.FullNatPipelineTest.SYN;
import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FullNAT connection's local port and PROXY header shift leave the daemon that made them and carry on elsewhere:
 * in the next daemon that re-attaches the table and the records it left, and in a sync backup that imports the
 * connection with jlvs's FullNAT option. Either way the next segments each way leave from the same local port,
 * shifted as before, and the port is not given to a new connection.
 */
class FullNatCarryTest {
    private static final UUID BOOT = UUID.fromString("6c1f0d2e-3b4a-4c5d-8e9f-a0b1c2d3e4f5");
    static final int CPORT = 40000;
    final FullNatPipelineTest h = new FullNatPipelineTest();
    @TempDir
    Path dir;
    int lport;

    @AfterEach
    void tearDown() { h.plane.connections().close(); }

    private static PipelineTest.FixedNextHops hops() {
        PipelineTest.FixedNextHops hops = new PipelineTest.FixedNextHops();
        hops.table.put(v4(CLIENT), new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, v4("10.0.0.1"), 0));
        hops.table.put(v4(RS1), new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 1500, v4("172.16.0.1"), 0));
        hops.freeze();
        return hops;
    }

    /** A daemon over {@code plane}, its FullNAT records in {@code records} (null: memory of its own). */
    private void daemon(DataPlane plane, MemorySegment records) {
        if (records != null) plane.keepFullNatStatesIn(records);
        h.plane = plane;
        h.drops = new DropCounters();
        h.ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ, ForwardMethod.FULLNAT), null);
        h.pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {h.clientSide, h.serverSide}), h.drops);
    }

    /** Handshake and the first data (the PROXY header inserted) through the first daemon. */
    private void openConnection() {
        h.fullNatService(true);
        lport = h.send(h.clientSide, h.fromClient(CPORT, SYN, 1000, 0, new byte[0]), h.serverSide, null).srcPort;
        h.send(h.serverSide, h.fromServer(lport, SYN | ACK, 5000, 1001, new byte[0]), h.clientSide, null);
        h.send(h.clientSide, h.fromClient(CPORT, ACK, 1001, 5001, new byte[] {1, 2, 3, 4, 5}), h.serverSide, null);
    }

    /** The next daemon (or the backup): another service first, so that ids differ, then the same FullNAT service. */
    private void sameServiceElsewhere() {
        h.adm("-A", "-t", VIP + ":81", "-s", "rr");
        h.fullNatService(true);
    }

    /** Data each way through whichever daemon {@link #h} is now: from the same local port, shifted as before. */
    private void goesOnFromTheSameLocalPort() {
        byte[][] frame = new byte[1][];
        FlowDescription out = h.send(h.clientSide, h.fromClient(CPORT, ACK, 1006, 5001, new byte[] {6, 7}),
                h.serverSide, frame);
        assertEquals(v4(LADDR), out.srcV4());
        assertEquals(lport, out.srcPort, "the same local port");
        assertEquals(1006 + ProxyHeaderInsertion.IPV4_HEADER_BYTES,
                Integer.toUnsignedLong(Layouts.u32(MemorySegment.ofArray(frame[0]), out.l4Offset + Tcp.SEQ)),
                "moved past the header as before");
        FlowDescription back = h.send(h.serverSide,
                h.fromServer(lport, ACK, 5001, 1008 + ProxyHeaderInsertion.IPV4_HEADER_BYTES, new byte[] {9}),
                h.clientSide, frame);
        assertEquals(v4(VIP), back.srcV4());
        assertEquals(CPORT, back.dstPort);
        assertEquals(1008, Integer.toUnsignedLong(Layouts.u32(MemorySegment.ofArray(frame[0]),
                back.l4Offset + Tcp.ACK_NUMBER)), "the client's own numbers");
        int fresh = h.send(h.clientSide, h.fromClient(CPORT + 1, SYN, 7000, 0, new byte[0]), h.serverSide, null)
                .srcPort;
        assertNotEquals(lport, fresh, "the carried connection's port is not given again");
        assertEquals(0, h.drops.get(DropReason.FULLNAT_LOST));
    }

    @Test
    void aRestartedDaemonForwardsTheReattachedConnectionFromItsLocalPort() throws IOException {
        Path path = dir.resolve("t.conns");
        MemorySegment records = Arena.ofAuto().allocate(FullNatRecord.BYTES * 4096, 64);
        try (TableFile file = TableFile.create(path, 4096, 1, 1, BOOT)) {
            daemon(new DataPlane(file.entries(), file.capacity(), hops(), 1), records);
            openConnection();
            h.plane.connections().close(); // the daemon goes; its entries and records stay
        }
        daemon(new DataPlane(4096, hops()), Arena.ofAuto().allocate(FullNatRecord.BYTES * 4096, 64));
        sameServiceElsewhere();
        ReattachReport report;
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            report = h.ipvs.reattach(previous, null, records, System.nanoTime());
        }
        assertEquals(1, report.reattached(), report.toString());
        goesOnFromTheSameLocalPort();
    }

    @Test
    void withoutTheRecordsAReattachedFullNatConnectionIsCountedLost() throws IOException {
        // Proof that the records carry it: the same restart without them cannot forward the connection.
        Path path = dir.resolve("t.conns");
        try (TableFile file = TableFile.create(path, 4096, 1, 1, BOOT)) {
            daemon(new DataPlane(file.entries(), file.capacity(), hops(), 1),
                    Arena.ofAuto().allocate(FullNatRecord.BYTES * 4096, 64));
            openConnection();
            h.plane.connections().close();
        }
        daemon(new DataPlane(4096, hops()), null);
        sameServiceElsewhere();
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            assertEquals(1, h.ipvs.reattach(previous, System.nanoTime()).reattached());
        }
        byte[] segment = h.fromClient(CPORT, ACK, 1006, 5001, new byte[] {6, 7});
        h.pipeline.beginBatch(h.clientSide, System.nanoTime());
        h.pipeline.onFrame(MemorySegment.ofArray(segment), 0, segment.length, 0);
        assertEquals(0, h.serverSide.sent.size(), "never forwarded from a guessed source");
        assertEquals(1, h.drops.get(DropReason.FULLNAT_LOST));
    }

    @Test
    void aSyncBackupForwardsAConnectionImportedWithItsFullNatRecord() {
        daemon(new DataPlane(4096, hops()), null);
        openConnection();
        FullNatRecord sent = new FullNatRecord();
        assertTrue(h.ipvs.fullNatOf(inbound(), sent), "the master's record");
        assertEquals(v4(LADDR), sent.localAddress);
        assertEquals(lport, sent.localPort);
        assertTrue(sent.proxyHeader);
        assertEquals(1000, sent.clientIsn);
        h.plane.connections().close();

        daemon(new DataPlane(4096, hops()), null); // the backup
        sameServiceElsewhere();
        ConnectionImport imported = new ConnectionImport().protocol(6)
                .client(0, Addresses.mappedLo(v4(CLIENT)), CPORT).virtual(0, Addresses.mappedLo(v4(VIP)), 80)
                .real(0, Addresses.mappedLo(v4(RS1)), 8080).method(ForwardMethod.FULLNAT)
                .state(TcpState.ESTABLISHED).timeoutSeconds(900);
        imported.fullNat().copyFrom(sent);
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(imported, System.nanoTime()));
        assertEquals(ImportResult.UPDATED, h.ipvs.importConnection(imported, System.nanoTime()), "again: kept");
        goesOnFromTheSameLocalPort();
    }

    @Test
    void anImportedRecordOfAnotherMethodOrOutsideThePortRangeIsRefused() {
        daemon(new DataPlane(4096, hops()), null);
        h.fullNatService(true);
        ConnectionImport imported = new ConnectionImport().protocol(6)
                .client(0, Addresses.mappedLo(v4(CLIENT)), CPORT).virtual(0, Addresses.mappedLo(v4(VIP)), 80)
                .real(0, Addresses.mappedLo(v4(RS1)), 8080).method(ForwardMethod.FULLNAT)
                .state(TcpState.ESTABLISHED).timeoutSeconds(900);
        imported.fullNat().localAddress = v4(LADDR);
        imported.fullNat().localPort = 80;
        assertEquals(ImportResult.INVALID, h.ipvs.importConnection(imported, System.nanoTime()));
        imported.fullNat().localPort = 2000;
        imported.method(ForwardMethod.MASQ);
        assertEquals(ImportResult.INVALID, h.ipvs.importConnection(imported, System.nanoTime()));
        assertEquals(0, h.plane.connections().size());
    }

    private ConnectionView inbound() {
        ConnectionView v = new ConnectionView();
        RuntimeService service = h.ipvs.runningServices().stream().filter(s -> s.key.port() == 80)
                .findFirst().orElseThrow();
        RuntimeDest dest = service.dests().stream().filter(d -> d.addressV4() == v4(RS1)).findFirst().orElseThrow();
        ConnectionParam key = new ConnectionParam().protocol(6)
                .client(0, Addresses.mappedLo(v4(CLIENT)), CPORT).virtual(0, Addresses.mappedLo(v4(VIP)), 80)
                .real(0, Addresses.mappedLo(v4(RS1)), 8080).binding(service.id, dest.server.id(), ConnFlags.FULLNAT);
        assertTrue(h.plane.connections().lookup(key, ConnectionTable.DIR_INPUT, v) >= 0, "the connection");
        return v;
    }
}
