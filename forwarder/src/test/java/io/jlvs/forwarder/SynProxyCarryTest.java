package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.PreviousTable;
import io.jlvs.connections.TableFile;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.UUID;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.v4;
import static io.jlvs.forwarder.SynProxyPipelineTest.ACK;
import static io.jlvs.forwarder.SynProxyPipelineTest.CLIENT_ISN;
import static io.jlvs.forwarder.SynProxyPipelineTest.CPORT;
import static io.jlvs.forwarder.SynProxyPipelineTest.PSH;
import static io.jlvs.forwarder.SynProxyPipelineTest.SERVER_ISN;
import static io.jlvs.forwarder.SynProxyPipelineTest.SYN;
import static io.jlvs.forwarder.SynProxyPipelineTest.only;
import static io.jlvs.forwarder.SynProxyPipelineTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A proxied connection's splice leaves the daemon that made it and is joined again elsewhere: in the next daemon
 * that re-attaches the table and the records it left, and in a sync backup that imports the connection with its
 * record. Either way the next segments each way are joined exactly as the first daemon joined them.
 */
class SynProxyCarryTest {
    private static final UUID BOOT = UUID.fromString("0b7e2a56-9c1d-4e3f-a5b6-c7d8e9f00112");
    final SynProxyPipelineTest frames = new SynProxyPipelineTest();
    final PipelineTest h = frames.h;
    @TempDir
    Path dir;

    /** What the first daemon made: the connection's server, the cookie and the director's timestamp. */
    String rs;
    long rsMac;
    int cookie, directorTs;

    @BeforeEach
    void setUp() { h.setUp(); }

    @AfterEach
    void tearDown() { h.tearDown(); }

    private void proxiedService() {
        h.natService("rr");
        h.plane.ensureSynProxyStates();
        for (RuntimeService s : h.ipvs.runningServices()) s.synproxy = true;
    }

    /** Client SYN, its ACK, the server's SYN-ACK: a spliced connection (server window scale 2, clock 90,000). */
    private void openSplicedConnection() {
        h.receive(h.clientSide, frames.fromClient(CPORT, CLIENT_ISN, 0, SYN, options(1460, true, true, 1000, 0, 7), 0), 0);
        SynProxyPipelineTest.Segment synAck = only(h.clientSide);
        cookie = synAck.seq();
        directorTs = synAck.options().tsVal;
        h.receive(h.clientSide, frames.fromClient(CPORT, CLIENT_ISN + 1, cookie + 1, ACK,
                options(-1, false, true, 1001, directorTs, -1), 0), 0);
        SynProxyPipelineTest.Segment serverSyn = only(h.serverSide);
        rs = serverSyn.flow().dstV4() == v4(PipelineTest.RS1) ? PipelineTest.RS1 : PipelineTest.RS2;
        rsMac = rs.equals(PipelineTest.RS1) ? PipelineTest.RS1_MAC : PipelineTest.RS2_MAC;
        h.receive(h.serverSide, frames.fromServer(rs, rsMac, SERVER_ISN, CLIENT_ISN + 1, SYN | ACK, 29200,
                options(1460, true, true, 90_000, 1001, 2), 0), 0);
        only(h.serverSide); // the director's ACK in the client's name
    }

    /** Data each way through whichever daemon {@link #h} is now: joined as the first daemon joined it. */
    private void dataIsJoinedBothWays() {
        h.receive(h.clientSide, frames.fromClient(CPORT, CLIENT_ISN + 1, cookie + 1, ACK | PSH,
                options(-1, false, true, 1002, directorTs, -1), 5), 0);
        SynProxyPipelineTest.Segment toServer = only(h.serverSide);
        assertEquals(CLIENT_ISN + 1, toServer.seq());
        assertEquals(SERVER_ISN + 1, toServer.ack(), "the acknowledgement in the server's space");
        assertEquals(90_000, toServer.options().tsEcr, "the echoed timestamp in the server's clock");
        h.receive(h.serverSide, frames.fromServer(rs, rsMac, SERVER_ISN + 1, CLIENT_ISN + 6, ACK | PSH, 1000,
                options(-1, false, true, 90_001, 1002, -1), 7), 0);
        SynProxyPipelineTest.Segment toClient = only(h.clientSide);
        assertEquals(v4(VIP), toClient.flow().srcV4());
        assertEquals(cookie + 1, toClient.seq(), "the sequence number in the client's space");
        assertEquals(directorTs + 1, toClient.options().tsVal, "the timestamp in the director's clock");
        assertEquals(1000 >> 5, toClient.window(), "the window rescaled from 2 to 7");
        assertEquals(0, h.drops.get(DropReason.SYNPROXY_LOST));
    }

    private ConnectionView inbound(PipelineTest daemon) {
        ConnectionView v = new ConnectionView();
        RuntimeService service = daemon.ipvs.runningServices().stream().filter(s -> s.key.port() == 80)
                .findFirst().orElseThrow();
        RuntimeDest dest = service.dests().stream().filter(d -> d.addressV4() == v4(rs)).findFirst().orElseThrow();
        ConnectionParam key = new ConnectionParam().protocol(6)
                .client(0, Addresses.mappedLo(v4(CLIENT)), CPORT).virtual(0, Addresses.mappedLo(v4(VIP)), 80)
                .real(0, Addresses.mappedLo(v4(rs)), 8080).binding(service.id, dest.server.id(), ConnFlags.MASQ);
        assertTrue(daemon.plane.connections().lookup(key, ConnectionTable.DIR_INPUT, v) >= 0, "the connection");
        return v;
    }

    @Test
    void aRestartedDaemonJoinsTheConnectionsItReattachesWithTheRecordsLeftBehind() throws IOException {
        Path path = dir.resolve("t.conns");
        MemorySegment records = Arena.ofAuto().allocate(SpliceRecord.BYTES * 4096, 64);
        try (TableFile file = TableFile.create(path, 4096, 1, 1, BOOT)) {
            useTable(file, records);
            proxiedService();
            openSplicedConnection();
            h.plane.connections().close(); // the daemon goes; its entries and records stay
        }
        h.setUp();
        h.plane.keepSynProxyStatesIn(Arena.ofAuto().allocate(SpliceRecord.BYTES * 4096, 64));
        h.adm("-A", "-t", VIP + ":81", "-s", "rr"); // other service ids this time
        proxiedService();
        ReattachReport report;
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            report = h.ipvs.reattach(previous, records, null, System.nanoTime());
        }
        assertEquals(1, report.reattached(), report.toString());
        assertTrue(ConnFlags.spliced(inbound(h)), "still a proxied connection");
        dataIsJoinedBothWays();
    }

    @Test
    void withoutTheRecordsAReattachedConnectionStaysProxiedAndItsSegmentsAreCountedLost() throws IOException {
        // Proof that the records carry it: the same restart without them cannot join the connection.
        Path path = dir.resolve("t.conns");
        try (TableFile file = TableFile.create(path, 4096, 1, 1, BOOT)) {
            useTable(file, Arena.ofAuto().allocate(SpliceRecord.BYTES * 4096, 64));
            proxiedService();
            openSplicedConnection();
            h.plane.connections().close();
        }
        h.setUp();
        proxiedService();
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            assertEquals(1, h.ipvs.reattach(previous, System.nanoTime()).reattached());
        }
        h.receive(h.clientSide, frames.fromClient(CPORT, CLIENT_ISN + 1, cookie + 1, ACK | PSH,
                options(-1, false, true, 1002, directorTs, -1), 5), 0);
        assertEquals(0, h.serverSide.sent.size(), "never forwarded unjoined");
        assertEquals(1, h.drops.get(DropReason.SYNPROXY_LOST));
    }

    @Test
    void aSyncBackupJoinsAConnectionImportedWithItsRecord() {
        proxiedService();
        openSplicedConnection();
        SpliceRecord sent = new SpliceRecord();
        assertTrue(h.ipvs.spliceOf(inbound(h), sent), "the master's record");
        assertEquals(SpliceRecord.SPLICED, sent.state);
        assertEquals(SERVER_ISN - cookie, sent.seqDelta);
        assertEquals(90_000 - directorTs, sent.tsDelta);
        assertEquals(2 - SynProxy.DIRECTOR_WINDOW_SCALE, sent.windowShift);
        h.tearDown();

        h.setUp(); // the backup: the same service, its records made on import
        h.natService("rr");
        ConnectionImport imported = new ConnectionImport().protocol(6)
                .client(0, Addresses.mappedLo(v4(CLIENT)), CPORT).virtual(0, Addresses.mappedLo(v4(VIP)), 80)
                .real(0, Addresses.mappedLo(v4(rs)), 8080).method(ForwardMethod.MASQ)
                .state(io.jlvs.connections.TcpState.ESTABLISHED).timeoutSeconds(900);
        imported.splice().clear(); // first learnt without its record, as a master sends a connection just opened
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(imported, System.nanoTime()));
        assertFalse(ConnFlags.spliced(inbound(h)));
        imported.splice().copyFrom(sent);
        assertEquals(ImportResult.UPDATED, h.ipvs.importConnection(imported, System.nanoTime()));
        assertTrue(ConnFlags.spliced(inbound(h)), "proxied once its record came");
        assertEquals(1, h.plane.connections().size());
        dataIsJoinedBothWays();
    }

    @Test
    void anImportedRecordOutsideTcpsRangesIsRefused() {
        proxiedService();
        ConnectionImport imported = new ConnectionImport().protocol(6)
                .client(0, Addresses.mappedLo(v4(CLIENT)), CPORT).virtual(0, Addresses.mappedLo(v4(VIP)), 80)
                .real(0, Addresses.mappedLo(v4(PipelineTest.RS1)), 8080).method(ForwardMethod.MASQ)
                .state(io.jlvs.connections.TcpState.ESTABLISHED).timeoutSeconds(900);
        imported.splice().state = SpliceRecord.SPLICED;
        imported.splice().windowShift = 40;
        assertEquals(ImportResult.INVALID, h.ipvs.importConnection(imported, System.nanoTime()));
        assertEquals(0, h.plane.connections().size());
    }

    private void useTable(TableFile file, MemorySegment records) {
        h.plane.connections().close();
        h.plane = new DataPlane(file.entries(), file.capacity(), h.hops, 1);
        h.plane.keepSynProxyStatesIn(records);
        h.ipvs = new IpvsRuntime(h.plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ), null);
        h.pipeline = new PacketPipeline(h.plane, new WorkerPorts(new PacketPort[] {h.clientSide, h.serverSide}),
                h.drops);
    }
}
