package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfTestRun;
import io.jlvs.platform.hostguard.Ipv6Endpoint;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS2;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS2_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.VIP;
import static io.jlvs.forwarder.Ipv6PipelineTest.address;
import static io.jlvs.forwarder.Ipv6PipelineTest.mac;
import static io.jlvs.forwarder.Ipv6PipelineTest.parseValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Ipv6Path} mirrors NAT66 connections into the XDP fast path's real IPv6 map and takes them back: an
 * established connection enters (both directions, which the loaded program then forwards, its kernel counts folded
 * into the service's counters), a UDP flow at its client's second datagram; a FIN or a RST takes it back, and so do
 * the take-backs of {@link FastPathPipelineTests}.
 */
class FastPath6PipelineTest extends FastPathPipelineTests {
    /** The addresses {@link #hops} lead to, by their index. */
    private final long[][] hopAddresses = {address(CLIENT), address(RS1), address(RS2)};

    @Override
    String namespaceName() {
        return "jlvsf6-mirror";
    }

    @Override
    DataPlane newPlane() {
        DataPlane ipv6Plane = new DataPlane(4096, new PipelineTest.FixedNextHops());
        ipv6Plane.setIpv6NextHops((hi, lo) -> {
            for (int i = 0; i < hopAddresses.length; i++) {
                if (hopAddresses[i][0] == hi && hopAddresses[i][1] == lo) return hops[i];
            }
            return null;
        });
        return ipv6Plane;
    }

    @Override
    void hopsChanged() {
        // the lookup reads hops as it is
    }

    @Override
    String service() {
        return "[" + VIP + "]:80";
    }

    @Override
    String realServer(int server) {
        return "[" + (server == 1 ? RS1 : RS2) + "]:8080";
    }

    @Override
    void addServices() {
        adm("-A", "-u", service(), "-s", "rr");
        adm("-a", "-u", service(), "-r", realServer(1), "-m");
        adm("-a", "-u", service(), "-r", realServer(2), "-m");
    }

    @Override
    FlowDescription parsed(byte[] frame) {
        return parseValid(frame);
    }

    @Override
    int flowEntries() {
        return maps.flow6Entries();
    }

    @Override
    VipOwnership vipOwnership(boolean owned) {
        long[] vip = address(VIP);
        List<Ipv6Endpoint> managed = List.of(Ipv6Endpoint.address(vip[0], vip[1]));
        return new VipOwnership(new int[0], new int[0], managed, owned ? managed : List.of());
    }

    @Test
    void anEstablishedNat66ConnectionIsForwardedByTheProgramUntilItsFin() throws Exception {
        inNamespace(() -> {
            handshake(40000, 1);
            assertEquals(1, mirror.mirroredIpv6(), "counted as IPv6");
            assertEquals(2, maps.flow6Entries(), "both directions, in the IPv6 map");
            assertEquals(0, maps.flowEntries());

            BpfTestRun.Result toServer = BpfTestRun.run(maps.programFd(), client(40000, ACK, 100));
            assertEquals(BpfAttr.XDP_REDIRECT, toServer.returnValue());
            FlowDescription rewritten = parseValid(toServer.frame());
            assertArrayEquals(address(RS1), new long[] {rewritten.dstHi, rewritten.dstLo});
            assertEquals(8080, rewritten.dstPort);
            assertEquals(RS1_MAC, mac(toServer.frame(), 0));
            assertEquals(DIR_SERVER_MAC, mac(toServer.frame(), 6));
            BpfTestRun.Result toClient = BpfTestRun.run(maps.programFd(), server(1, 40000, ACK, 1000));
            assertEquals(BpfAttr.XDP_REDIRECT, toClient.returnValue());
            FlowDescription reply = parseValid(toClient.frame());
            assertArrayEquals(address(VIP), new long[] {reply.srcHi, reply.srcLo});
            assertEquals(80, reply.srcPort);
            assertEquals(CLIENT_MAC, mac(toClient.frame(), 0));

            assertTheSweepFolds(client(40000, ACK, 100), server(1, 40000, ACK, 1000));

            receive(clientSide, client(40000, FIN | ACK, 0));
            parseValid(serverSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "the FIN took it back to Java");
            assertEquals(0, mirror.mirroredIpv6());
            assertEquals(0, maps.flow6Entries());
        });
    }

    @Test
    void aServersRstTakesTheConnectionBack() throws Exception {
        inNamespace(() -> {
            handshake(40001, 1);
            receive(serverSide, server(1, 40001, RST | ACK, 0));
            parseValid(clientSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "the RST took it back to Java");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40001, ACK, 10)).returnValue());
        });
    }

    @Test
    void aUdpFlowEntersAtItsClientsSecondDatagram() throws Exception {
        inNamespace(() -> {
            receive(clientSide, clientUdp(5000));
            parseValid(serverSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "one datagram is no flow yet");
            receive(clientSide, clientUdp(5000));
            parseValid(serverSide.takeOnly());
            assertEquals(1, mirror.mirrored());
            BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), clientUdp(5000));
            assertEquals(BpfAttr.XDP_REDIRECT, out.returnValue());
            assertEquals(8080, parseValid(out.frame()).dstPort);
        });
    }

    @Override
    byte[] client(int port, int flags, int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).tcp(port, 80).flags(flags)
                .payload(payload).build();
    }

    private static byte[] clientUdp(int port) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).udp(port, 80).payload(20).build();
    }

    @Override
    byte[] server(int server, int clientPort, int flags, int payload) {
        return PacketBuilder.ethernet(server == 1 ? RS1_MAC : RS2_MAC, DIR_SERVER_MAC).ipv6(server == 1 ? RS1 : RS2,
                CLIENT).tcp(8080, clientPort).flags(flags).payload(payload).build();
    }
}
