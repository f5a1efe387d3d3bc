package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfTestRun;
import org.junit.jupiter.api.Test;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.RS2;
import static io.jlvs.forwarder.PipelineTest.RS2_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.macAt;
import static io.jlvs.forwarder.PipelineTest.parseValid;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java path mirrors NAT connections into the XDP fast path's real maps and takes them back: established NAT
 * connections enter (both directions, which the loaded program then forwards), a FIN takes one back, the kernel's
 * counts reach the service's counters and, as a worker's packets would, the sync; a connection that left the table
 * leaves the fast path; and the take-backs of {@link FastPathPipelineTests}.
 */
class FastPathPipelineTest extends FastPathPipelineTests {
    private final PipelineTest.FixedNextHops ipv4Hops = new PipelineTest.FixedNextHops();

    @Override
    String namespaceName() {
        return "jlvsf-mirror";
    }

    @Override
    DataPlane newPlane() {
        hopsChanged();
        return new DataPlane(4096, ipv4Hops);
    }

    @Override
    void hopsChanged() {
        ipv4Hops.table.put(v4(CLIENT), hops[TO_CLIENT]);
        ipv4Hops.table.put(v4(RS1), hops[TO_RS1]);
        ipv4Hops.table.put(v4(RS2), hops[TO_RS2]);
        ipv4Hops.freeze();
    }

    @Override
    String service() {
        return VIP + ":80";
    }

    @Override
    String realServer(int server) {
        return (server == 1 ? RS1 : RS2) + ":8080";
    }

    @Override
    FlowDescription parsed(byte[] frame) {
        return parseValid(frame);
    }

    @Override
    int flowEntries() {
        return maps.flowEntries();
    }

    @Override
    VipOwnership vipOwnership(boolean owned) {
        int[] managed = {v4(VIP)};
        return new VipOwnership(managed, owned ? managed : new int[0]);
    }

    @Test
    void withFastPathAfterAConnectionEntersAtItsNthPacketThroughJava() throws Exception {
        inNamespace(6, () -> {
            receive(clientSide, client(40010, SYN, 0));
            parseValid(serverSide.takeOnly());
            receive(serverSide, server(1, 40010, SYN | ACK, 0));
            parseValid(clientSide.takeOnly());
            receive(clientSide, client(40010, ACK, 0));
            parseValid(serverSide.takeOnly());
            receive(clientSide, client(40010, ACK, 100));
            parseValid(serverSide.takeOnly());
            receive(serverSide, server(1, 40010, ACK, 1000));
            parseValid(clientSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "established, five packets through Java: not yet");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40010, ACK, 10)).returnValue());

            receive(clientSide, client(40010, ACK, 0));
            parseValid(serverSide.takeOnly());
            assertEquals(1, mirror.mirrored(), "the sixth packet: mirrored");
            assertEquals(BpfAttr.XDP_REDIRECT,
                    BpfTestRun.run(maps.programFd(), client(40010, ACK, 10)).returnValue());
        });
    }

    @Test
    void anEstablishedNatConnectionIsForwardedByTheProgramUntilItsFin() throws Exception {
        inNamespace(() -> {
            handshake(40000, 1);
            assertEquals(1, mirror.mirrored(), "established: mirrored");
            assertEquals(2, maps.flowEntries(), "both directions");

            BpfTestRun.Result toServer = BpfTestRun.run(maps.programFd(), client(40000, ACK, 100));
            assertEquals(BpfAttr.XDP_REDIRECT, toServer.returnValue());
            FlowDescription rewritten = parseValid(toServer.frame());
            assertEquals(v4(RS1), rewritten.dstV4());
            assertEquals(8080, rewritten.dstPort);
            assertEquals(RS1_MAC, macAt(toServer.frame(), 0));
            assertEquals(DIR_SERVER_MAC, macAt(toServer.frame(), 6));
            BpfTestRun.Result toClient = BpfTestRun.run(maps.programFd(), server(1, 40000, ACK, 1000));
            assertEquals(BpfAttr.XDP_REDIRECT, toClient.returnValue());
            FlowDescription reply = parseValid(toClient.frame());
            assertEquals(v4(VIP), reply.srcV4());
            assertEquals(80, reply.srcPort);
            assertEquals(CLIENT_MAC, macAt(toClient.frame(), 0));

            assertTheSweepFolds(client(40000, ACK, 100), server(1, 40000, ACK, 1000));

            receive(clientSide, client(40000, FIN | ACK, 0));
            parseValid(serverSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "the FIN took it back to Java");
            assertEquals(0, maps.flowEntries());
        });
    }

    @Test
    void theSweepOffersAConnectionTheKernelForwardsToTheSyncAsItsPacketsWould() throws Exception {
        inNamespace(() -> {
            handshake(40000, 1);
            ChangeRing workerOffers = plane.changes().ring(0), sweepOffers = plane.changes().ring(1);
            while (workerOffers.poll() >= 0) {
                // the handshake's own offers, made by the worker
            }
            for (int quiet = 0; quiet < 60; quiet++) mirror.sweep(true);
            assertEquals(-1, sweepOffers.poll(), "sweeps that found no packet offer nothing");

            int sweeps = 0;
            long offered = -1;
            while (offered < 0 && sweeps < 60) {
                BpfTestRun.run(maps.programFd(), client(40000, ACK, 100));
                mirror.sweep(true);
                sweeps++;
                offered = sweepOffers.poll();
            }
            assertTrue(offered >= 0, "offered within sync_threshold's period of 50 sweeps with packets");
            ConnectionView view = new ConnectionView();
            assertTrue(plane.connections().read(offered, view, System.nanoTime()));
            assertEquals(40000, view.clientPort(), "the fast-path connection itself");
            assertEquals(-1, workerOffers.poll(), "the worker's ring is the worker's alone");
        });
    }

    @Test
    void aConnectionThatLeftTheTableLeavesTheFastPath() throws Exception {
        inNamespace(() -> {
            handshake(40003, 1);
            assertEquals(1, mirror.mirrored());
            assertEquals(1, plane.connections().expire(System.nanoTime() + 3_600_000_000_000L, Integer.MAX_VALUE));
            mirror.sweep(false);
            assertEquals(0, mirror.mirrored());
            assertEquals(0, maps.flowEntries());
        });
    }

    @Override
    byte[] client(int port, int flags, int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).tcp(port, 80).flags(flags)
                .payload(payload).build();
    }

    @Override
    byte[] server(int server, int clientPort, int flags, int payload) {
        return PacketBuilder.ethernet(server == 1 ? RS1_MAC : RS2_MAC, DIR_SERVER_MAC).ipv4(server == 1 ? RS1 : RS2,
                CLIENT).tcp(8080, clientPort).flags(flags).payload(payload).build();
    }
}
