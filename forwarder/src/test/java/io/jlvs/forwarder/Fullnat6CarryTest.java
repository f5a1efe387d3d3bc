package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.PreviousTable;
import io.jlvs.connections.TableFile;
import io.jlvs.connections.TcpState;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.FlowDescription;
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

import static io.jlvs.forwarder.Fullnat6PipelineTest.ACK;
import static io.jlvs.forwarder.Fullnat6PipelineTest.LADDR;
import static io.jlvs.forwarder.Fullnat6PipelineTest.LADDR_B;
import static io.jlvs.forwarder.Fullnat6PipelineTest.SYN;
import static io.jlvs.forwarder.Fullnat6PipelineTest.assertAddress;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.VIP;
import static io.jlvs.forwarder.Ipv6PipelineTest.address;
import static io.jlvs.forwarder.Ipv6PipelineTest.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An IPv6 FullNAT connection's local address and port leave the daemon that made them and carry on elsewhere, as
 * IPv4 ones do ({@link FullNatCarryTest}): in the next daemon that re-attaches the table and the records it left
 * (where the local address has another number), and in a sync backup that imports the connection with its record.
 * The next segments each way leave from the same local port, and the port is not given to a new connection.
 */
class Fullnat6CarryTest {
    private static final UUID BOOT = UUID.fromString("7d2f1e3f-4c5b-4d6e-9fa0-b1c2d3e4f506");
    static final int CPORT = 40000;
    final Fullnat6PipelineTest h = new Fullnat6PipelineTest();
    @TempDir
    Path dir;
    int lport;

    @AfterEach
    void tearDown() { h.plane.connections().close(); }

    /** A daemon over {@code plane}, its FullNAT records in {@code records} (null: memory of its own). */
    private void daemon(DataPlane plane, MemorySegment records) {
        if (records != null) plane.keepFullNatStatesIn(records);
        plane.setIpv6NextHops(fixed(
                CLIENT, new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, 0, 0),
                RS1, new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 1500, 0, 0)));
        h.plane = plane;
        h.ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ, ForwardMethod.FULLNAT), null);
        h.pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {h.clientSide, h.serverSide}), h.drops);
    }

    /** The handshake through the first daemon. */
    private void openConnection() {
        h.fullNatService();
        lport = h.send(h.clientSide, h.fromClient(CPORT, SYN), h.serverSide).srcPort;
        h.send(h.serverSide, h.fromServer(lport, SYN | ACK), h.clientSide);
    }

    /**
     * The next daemon (or the backup): first a service whose local address is another, so that the connection's
     * local address gets another number here, then the same FullNAT service.
     */
    private void sameServiceElsewhere() {
        h.admOk("-A", "-t", "[" + VIP + "]:81", "-s", "rr", "--laddr", LADDR_B);
        h.fullNatService();
    }

    /** Data each way through whichever daemon {@link #h} is now, from the same local port. */
    private void goesOnFromTheSameLocalPort() {
        long lostBefore = h.drops.get(DropReason.FULLNAT_LOST);
        FlowDescription out = h.send(h.clientSide, h.fromClient(CPORT, ACK), h.serverSide);
        assertAddress(LADDR, out.srcHi, out.srcLo);
        assertEquals(lport, out.srcPort, "the same local port");
        FlowDescription back = h.send(h.serverSide, h.fromServer(lport, ACK), h.clientSide);
        assertAddress(VIP, back.srcHi, back.srcLo);
        assertEquals(CPORT, back.dstPort);
        for (int i = 1; i <= 64; i++) {
            FlowDescription fresh = h.send(h.clientSide, h.fromClient(CPORT + i, SYN), h.serverSide);
            assertFalse(fresh.srcPort == lport && fresh.srcLo == out.srcLo,
                    "the carried connection's port is not given again");
        }
        assertEquals(lostBefore, h.drops.get(DropReason.FULLNAT_LOST));
    }

    @Test
    void aRestartedDaemonForwardsTheReattachedIpv6ConnectionFromItsLocalPort() throws IOException {
        Path path = dir.resolve("t.conns");
        MemorySegment records = Arena.ofAuto().allocate(FullNatRecord.BYTES * 4096, 64);
        try (TableFile file = TableFile.create(path, 4096, 1, 1, BOOT)) {
            daemon(new DataPlane(file.entries(), file.capacity(), new PipelineTest.FixedNextHops(), 1), records);
            openConnection();
            h.plane.connections().close(); // the daemon goes; its entries and records stay
        }
        FullNatRecord left = new FullNatRecord().readFrom(records, (int) firstFullNatSlot(records));
        assertTrue(left.ipv6 && left.valid(), left.toString());
        daemon(new DataPlane(4096, new PipelineTest.FixedNextHops()), Arena.ofAuto().allocate(FullNatRecord.BYTES * 4096, 64));
        sameServiceElsewhere();
        ReattachReport report;
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            report = h.ipvs.reattach(previous, null, records, System.nanoTime());
        }
        assertEquals(1, report.reattached(), report.toString());
        assertEquals(0, report.fullNatWithoutPort(), report.toString());
        goesOnFromTheSameLocalPort();
    }

    @Test
    void aMalformedRecordIsCountedAndItsConnectionLostNotGuessed() throws IOException {
        Path path = dir.resolve("t.conns");
        MemorySegment records = Arena.ofAuto().allocate(FullNatRecord.BYTES * 4096, 64);
        try (TableFile file = TableFile.create(path, 4096, 1, 1, BOOT)) {
            daemon(new DataPlane(file.entries(), file.capacity(), new PipelineTest.FixedNextHops(), 1), records);
            openConnection();
            h.plane.connections().close();
        }
        long slot = firstFullNatSlot(records);
        records.set(java.lang.foreign.ValueLayout.JAVA_SHORT, slot * FullNatRecord.BYTES + 8, (short) 80); // below 1024
        daemon(new DataPlane(4096, new PipelineTest.FixedNextHops()), null);
        sameServiceElsewhere();
        ReattachReport report;
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            report = h.ipvs.reattach(previous, null, records, System.nanoTime());
        }
        assertEquals(1, report.reattached(), report.toString());
        assertEquals(1, report.fullNatWithoutPort(), report.toString());
        assertTrue(report.toString().contains("1 FullNAT connection(s) without their local port"), report.toString());
        long before = h.drops.get(DropReason.FULLNAT_LOST);
        byte[] segment = h.fromClient(CPORT, ACK);
        h.pipeline.beginBatch(h.clientSide, System.nanoTime());
        h.pipeline.onFrame(MemorySegment.ofArray(segment), 0, segment.length, 0);
        assertTrue(h.serverSide.sent.isEmpty(), "never forwarded from a guessed source");
        assertEquals(before + 1, h.drops.get(DropReason.FULLNAT_LOST));
    }

    @Test
    void withoutTheRecordsAReattachedIpv6ConnectionIsCountedLost() throws IOException {
        // Proof that the records carry it: the same restart without them cannot forward the connection.
        Path path = dir.resolve("t.conns");
        try (TableFile file = TableFile.create(path, 4096, 1, 1, BOOT)) {
            daemon(new DataPlane(file.entries(), file.capacity(), new PipelineTest.FixedNextHops(), 1),
                    Arena.ofAuto().allocate(FullNatRecord.BYTES * 4096, 64));
            openConnection();
            h.plane.connections().close();
        }
        daemon(new DataPlane(4096, new PipelineTest.FixedNextHops()), null);
        sameServiceElsewhere();
        try (PreviousTable previous = TableFile.readPrevious(path, BOOT)) {
            assertEquals(1, h.ipvs.reattach(previous, System.nanoTime()).reattached());
        }
        long before = h.drops.get(DropReason.FULLNAT_LOST);
        byte[] segment = h.fromClient(CPORT, ACK);
        h.pipeline.beginBatch(h.clientSide, System.nanoTime());
        h.pipeline.onFrame(MemorySegment.ofArray(segment), 0, segment.length, 0);
        assertTrue(h.serverSide.sent.isEmpty(), "never forwarded from a guessed source");
        assertEquals(before + 1, h.drops.get(DropReason.FULLNAT_LOST));
    }

    @Test
    void aSyncBackupForwardsAnIpv6ConnectionImportedWithItsRecord() {
        daemon(new DataPlane(4096, new PipelineTest.FixedNextHops()), null);
        openConnection();
        FullNatRecord sent = new FullNatRecord();
        assertTrue(h.ipvs.fullNatOf(inbound(), sent), "the master's record");
        assertTrue(sent.ipv6);
        assertEquals(0, sent.localAddress, "the address itself, not this daemon's number for it");
        assertAddress(LADDR, sent.localHi, sent.localLo);
        assertEquals(lport, sent.localPort);
        h.plane.connections().close();

        daemon(new DataPlane(4096, new PipelineTest.FixedNextHops()), null); // the backup
        sameServiceElsewhere();
        ConnectionImport imported = connection();
        imported.fullNat().copyFrom(sent);
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(imported, System.nanoTime()));
        assertEquals(ImportResult.UPDATED, h.ipvs.importConnection(imported, System.nanoTime()), "again: kept");
        goesOnFromTheSameLocalPort();
    }

    @Test
    void anImportedRecordOfTheOtherFamilyIsRefused() {
        daemon(new DataPlane(4096, new PipelineTest.FixedNextHops()), null);
        h.fullNatService();
        ConnectionImport imported = connection();
        imported.fullNat().localAddress = 0xAC100032;
        imported.fullNat().localPort = 2000;
        assertEquals(ImportResult.INVALID, h.ipvs.importConnection(imported, System.nanoTime()), "an IPv4 local address");
        imported.fullNat().clear();
        imported.fullNat().ipv6 = true;
        imported.fullNat().localHi = address(LADDR)[0];
        imported.fullNat().localLo = address(LADDR)[1];
        imported.fullNat().localPort = 80;
        assertEquals(ImportResult.INVALID, h.ipvs.importConnection(imported, System.nanoTime()), "below 1024");
        assertEquals(0, h.plane.connections().size());
        imported.fullNat().localPort = 2000;
        assertEquals(ImportResult.CREATED, h.ipvs.importConnection(imported, System.nanoTime()), "while a good one is taken");
    }

    private static ConnectionImport connection() {
        long[] client = address(CLIENT), vip = address(VIP), rs = address(RS1);
        return new ConnectionImport().protocol(6).client(client[0], client[1], CPORT).virtual(vip[0], vip[1], 80)
                .real(rs[0], rs[1], 8080).method(ForwardMethod.FULLNAT).state(TcpState.ESTABLISHED)
                .timeoutSeconds(900);
    }

    /** The slot of the one record in {@code records}. */
    private static long firstFullNatSlot(MemorySegment records) {
        FullNatRecord r = new FullNatRecord();
        for (int slot = 0; slot < 4096; slot++) if (r.readFrom(records, slot).present()) return slot;
        throw new AssertionError("no record");
    }

    private ConnectionView inbound() {
        ConnectionView v = new ConnectionView();
        long[] client = address(CLIENT), vip = address(VIP);
        RuntimeService service = h.ipvs.runningServices().stream().filter(s -> s.key.port() == 80)
                .findFirst().orElseThrow();
        RuntimeDest dest = service.dests().getFirst();
        ConnectionParam key = new ConnectionParam().protocol(6).client(client[0], client[1], CPORT)
                .virtual(vip[0], vip[1], 80).real(dest.server.addrHi(), dest.server.addrLo(), 8080)
                .binding(service.id, dest.server.id(), ConnFlags.FULLNAT);
        assertTrue(h.plane.connections().lookup(key, ConnectionTable.DIR_INPUT, v) >= 0, "the connection");
        return v;
    }
}
