package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.NeighbourDiscovery;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.hostguard.Ipv6Endpoint;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An IPv6 VIP managed by a VRRP instance that is not MASTER here is on standby, as an IPv4 one: no neighbour
 * advertisement, no echo reply, no forwarding either way, its connections kept; it stays an IPv6 VIP (the host
 * guard's vips6 keeps the kernel from answering); owning it again resumes all of that on the same connection.
 */
class Ipv6VipOwnershipPipelineTest extends Ipv6PipelineTest {
    void own(boolean owned) {
        long[] vip = address(VIP);
        List<Ipv6Endpoint> managed = List.of(Ipv6Endpoint.address(vip[0], vip[1]));
        ipvs.setVipOwnership(new VipOwnership(new int[0], new int[0], managed, owned ? managed : List.of()));
    }

    byte[] echo() {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).icmpEcho(true, 7, 1).payload(16)
                .build();
    }

    @Test
    void aStandbyIpv6VipIsSilentAndNotForwardedAndOwningItResumesOnTheSameConnection() {
        natService();
        own(true);
        receive(clientSide, clientTcp(40000, Tcp.SYN));
        FlowDescription f = parseValid(serverSide.takeOnly());
        boolean first = f.dstLo == address(RS1)[1];
        byte[] reply = PacketBuilder.ethernet(first ? RS1_MAC : RS2_MAC, DIR_SERVER_MAC)
                .ipv6(first ? RS1 : RS2, CLIENT).ttl(64).tcp(8080, 40000).flags(Tcp.SYN | Tcp.ACK).payload(7).build();
        receive(clientSide, solicitation(VIP));
        assertEquals(NeighbourDiscovery.NEIGHBOUR_ADVERTISEMENT, parseValid(clientSide.takeOnly()).icmpType,
                "owned: the solicitation is answered");

        own(false);
        assertTrue(plane.services().ipv6Vips().contains(Ipv6Endpoint.address(address(VIP)[0], address(VIP)[1])),
                "on standby it is still a VIP, kept from the kernel");
        assertFalse(plane.services().ownsIpv6(address(VIP)[0], address(VIP)[1]));
        receive(clientSide, solicitation(VIP));
        receive(clientSide, echo());
        receive(clientSide, clientTcp(40000, Tcp.ACK));
        receive(clientSide, clientTcp(40001, Tcp.SYN));
        receive(serverSide, reply);
        assertTrue(clientSide.sent.isEmpty(), "no neighbour advertisement, no echo reply, no reply forwarded");
        assertTrue(serverSide.sent.isEmpty(), "nothing forwarded to the servers");
        assertEquals(5, drops.get(DropReason.STANDBY));
        assertEquals(1, plane.connections().size(), "the connection is kept on standby");

        own(true);
        receive(clientSide, solicitation(VIP));
        assertEquals(NeighbourDiscovery.NEIGHBOUR_ADVERTISEMENT, parseValid(clientSide.takeOnly()).icmpType);
        receive(clientSide, echo());
        assertEquals(Icmp.V6_ECHO_REPLY, parseValid(clientSide.takeOnly()).icmpType);
        receive(clientSide, clientTcp(40000, Tcp.ACK));
        assertEquals(f.dstLo, parseValid(serverSide.takeOnly()).dstLo, "the kept connection goes to its server");
        receive(serverSide, reply);
        assertEquals(address(VIP)[1], parseValid(clientSide.takeOnly()).srcLo);
        assertEquals(5, drops.get(DropReason.STANDBY));
    }

    @Test
    void aManagedIpv6AddressWithoutAServiceIsAnsweredWhileOwned() {
        long[] gateway = address("fd00:1::fe");
        List<Ipv6Endpoint> managed = List.of(Ipv6Endpoint.address(gateway[0], gateway[1]));
        ipvs.setVipOwnership(new VipOwnership(new int[0], new int[0], managed, List.of()));
        receive(clientSide, solicitation("fd00:1::fe"));
        assertTrue(clientSide.sent.isEmpty());
        assertEquals(1, drops.get(DropReason.STANDBY));
        ipvs.setVipOwnership(new VipOwnership(new int[0], new int[0], managed, managed));
        receive(clientSide, solicitation("fd00:1::fe"));
        assertEquals(gateway[1], NeighbourDiscovery.targetLo(java.lang.foreign.MemorySegment.ofArray(clientSide.sent.getFirst()),
                parseValid(clientSide.sent.getFirst())));
    }
}
