package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.macAt;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Directors of a tier behind ECMP: a flow the router moves from one director to another arrives mid-flow (no SYN)
 * at a director without its connection. With sloppy_tcp and mh (the same servers on every director), that director
 * schedules it on the server the first one chose and creates the connection as ESTABLISHED; without sloppy_tcp it
 * drops it, as IPVS does.
 */
class TierMidFlowPipelineTest {
    static final int SYN = 0x02, ACK = 0x10, RST = 0x04;
    static final String[] SERVERS = {"172.16.0.2", "172.16.0.3", "172.16.0.4"};
    static final long[] SERVER_MACS = {PacketBuilder.mac("02:00:00:00:02:02"), PacketBuilder.mac("02:00:00:00:02:03"),
            PacketBuilder.mac("02:00:00:00:02:04")};

    /** One director of the tier: its own data plane, table, pipeline and ports. */
    static final class Director {
        final FakePort clientSide = new FakePort("lan0", 1, DIR_CLIENT_MAC);
        final FakePort serverSide = new FakePort("srv0", 2, DIR_SERVER_MAC);
        final DropCounters drops = new DropCounters();
        final DataPlane plane;
        final IpvsRuntime ipvs;
        final PacketPipeline pipeline;

        /** The servers added in the order given: mh's table must not depend on it. */
        Director(int... serverOrder) {
            PipelineTest.FixedNextHops hops = new PipelineTest.FixedNextHops();
            hops.table.put(v4(CLIENT), new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, v4("10.0.0.1"), 0));
            for (int i = 0; i < SERVERS.length; i++) {
                hops.table.put(v4(SERVERS[i]), new NextHop(2, DIR_SERVER_MAC, SERVER_MACS[i], 1500, v4("172.16.0.1"), 0));
            }
            hops.freeze();
            plane = new DataPlane(4096, hops);
            ipvs = new IpvsRuntime(plane, ForwardMethod.ROUTE, EnumSet.of(ForwardMethod.ROUTE), null, a -> null);
            pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
            adm("-A", "-t", VIP + ":80", "-s", "mh");
            for (int i : serverOrder) adm("-a", "-t", VIP + ":80", "-r", SERVERS[i] + ":80", "-g", "-w", "1");
        }

        String adm(String... argv) {
            StringBuilder out = new StringBuilder(), err = new StringBuilder();
            assertEquals(0, new AdmExecutor(ipvs).execute(argv, out, err), () -> String.join(" ", argv) + ": " + err);
            return out.toString();
        }

        /** Receives a client's segment; returns the index of the server it went to, or -1 when nothing left. */
        int receive(int sport, int flags) {
            return receive(sport, flags, 80);
        }

        /** As {@link #receive(int, int)}, to the VIP's port {@code dport}. */
        int receive(int sport, int flags, int dport) {
            byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64)
                    .tcp(sport, dport).flags(flags).payload(new byte[] {1, 2, 3}).build();
            pipeline.beginBatch(clientSide, System.nanoTime());
            pipeline.onFrame(MemorySegment.ofArray(frame), 0, frame.length, 0);
            if (serverSide.sent.isEmpty()) return -1;
            long mac = macAt(serverSide.takeOnly(), 0);
            for (int i = 0; i < SERVER_MACS.length; i++) if (SERVER_MACS[i] == mac) return i;
            throw new AssertionError("sent to an unknown MAC " + Long.toHexString(mac));
        }

        void close() { plane.connections().close(); }
    }

    private final List<Director> directors = new ArrayList<>();

    private Director director(int... serverOrder) {
        Director d = new Director(serverOrder);
        directors.add(d);
        return d;
    }

    @AfterEach
    void tearDown() {
        directors.forEach(Director::close);
    }

    @Test
    void aFlowMovedToAnotherDirectorMidFlowReachesTheSameServerAndIsEstablishedThere() {
        Director first = director(0, 1, 2);
        Director survivor = director(2, 0, 1);
        survivor.adm("--sysctl", "sloppy_tcp=1");
        int[] perServer = new int[SERVERS.length];
        for (int sport = 40000; sport < 40200; sport++) {
            int chosen = first.receive(sport, SYN);
            assertTrue(chosen >= 0);
            perServer[chosen]++;
            assertEquals(chosen, first.receive(sport, ACK));
            assertEquals(chosen, survivor.receive(sport, ACK), "port " + sport + " moved mid-flow");
            assertEquals(chosen, survivor.receive(sport, ACK | 0x08), "and its next segment");
        }
        // mh hashes the client's address only by default: one client, one server. Ports vary the flow, not the choice.
        assertEquals(200, perServer[first.receive(40000, ACK)]);
        String table = survivor.adm("-L", "-n", "-c");
        assertEquals(200, table.lines().filter(l -> l.contains("ESTABLISHED")).count(), table);
        assertEquals(0, survivor.drops.get(DropReason.NOT_SYN));
    }

    @Test
    void withMhPortEveryServerTakesFlowsAndEveryDirectorChoosesAlike() {
        Director first = director(0, 1, 2);
        Director survivor = director(1, 2, 0);
        for (Director d : List.of(first, survivor)) d.adm("-E", "-t", VIP + ":80", "-s", "mh", "-b", "mh-port");
        survivor.adm("--sysctl", "sloppy_tcp=1");
        int[] perServer = new int[SERVERS.length];
        for (int sport = 41000; sport < 41300; sport++) {
            int chosen = first.receive(sport, SYN);
            perServer[chosen]++;
            assertEquals(chosen, survivor.receive(sport, ACK), "port " + sport);
        }
        for (int n : perServer) assertTrue(n > 50, () -> java.util.Arrays.toString(perServer));
    }

    /** --sloppy-tcp takes mid-flow segments for its own service only, with the global knob off. */
    @Test
    void aServiceWithSloppyTcpTakesMidFlowSegmentsAndAnotherServiceDoesNot() {
        Director first = director(0, 1, 2);
        Director survivor = director(2, 0, 1);
        survivor.adm("-E", "-t", VIP + ":80", "-s", "mh", "--sloppy-tcp");
        survivor.adm("-A", "-t", VIP + ":81", "-s", "mh");
        survivor.adm("-a", "-t", VIP + ":81", "-r", SERVERS[0] + ":81", "-g", "-w", "1");
        assertTrue(survivor.adm("-S", "-n").contains("-A -t " + VIP + ":80 -s mh --sloppy-tcp"), survivor.adm("-S", "-n"));
        for (int sport = 43000; sport < 43050; sport++) {
            int chosen = first.receive(sport, SYN);
            assertEquals(chosen, survivor.receive(sport, ACK), "port " + sport + " moved mid-flow");
        }
        assertEquals(-1, survivor.receive(43000, ACK, 81), "a mid-flow segment of the service without the flag");
        assertEquals(1, survivor.drops.get(DropReason.NOT_SYN));
        assertEquals(-1, survivor.receive(43100, RST | ACK), "a RST is never scheduled");
    }

    @Test
    void withoutSloppyTcpAMidFlowSegmentIsDroppedAndARstIsNeverScheduled() {
        Director survivor = director(0, 1, 2);
        assertEquals(-1, survivor.receive(42000, ACK));
        assertEquals(1, survivor.drops.get(DropReason.NOT_SYN));
        survivor.adm("--sysctl", "sloppy_tcp=1");
        assertEquals(-1, survivor.receive(42001, RST | ACK));
        assertEquals(2, survivor.drops.get(DropReason.NOT_SYN));
        assertTrue(survivor.receive(42000, ACK) >= 0, "the same segment is taken once sloppy_tcp is on");
    }
}
