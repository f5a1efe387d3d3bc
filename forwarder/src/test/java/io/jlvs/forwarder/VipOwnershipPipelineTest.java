package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A VIP managed by a VRRP instance that is not MASTER here is on standby: no ARP reply, no ping reply, no
 * forwarding in either direction, its connections kept; owning it again resumes all of that on the same entries.
 * An address VRRP manages without a service (the NAT servers' gateway) is answered for like a VIP while owned.
 */
class VipOwnershipPipelineTest extends PipelineTest {
    static final String GATEWAY = "172.16.0.1";

    byte[] arpRequest(String target) {
        return PacketBuilder.ethernet(CLIENT_MAC, 0xFFFF_FFFF_FFFFL).arpRequest("02:00:00:00:00:02", CLIENT, target)
                .build();
    }

    byte[] replyFromRs1(int clientPort) {
        return PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).ttl(64).tcp(8080, clientPort)
                .flags(SYN | ACK).build();
    }

    void own(boolean vip, boolean gateway) {
        int[] managed = {v4(VIP), v4(GATEWAY)};
        int[] owned = vip && gateway ? managed : vip ? new int[] {v4(VIP)} : gateway ? new int[] {v4(GATEWAY)}
                : new int[0];
        ipvs.setVipOwnership(new VipOwnership(managed, owned));
    }

    @Test
    void aStandbyVipIsSilentAndNotForwardedAndOwningItResumesOnTheSameConnections() {
        natService("rr");
        own(true, true);
        receive(clientSide, clientTcp(41000, SYN), 0);
        serverSide.takeOnly();
        assertEquals(1, plane.connections().size());

        own(false, false);
        receive(clientSide, arpRequest(VIP), 0);
        receive(clientSide, clientTcp(41000, ACK), 0);
        receive(clientSide, clientTcp(41001, SYN), 0);
        receive(serverSide, replyFromRs1(41000), 0);
        assertTrue(clientSide.sent.isEmpty(), "no ARP reply and no reply forwarded to the client");
        assertTrue(serverSide.sent.isEmpty(), "nothing forwarded to the servers");
        assertEquals(3, drops.get(DropReason.STANDBY), "the ARP request is left to the kernel, the rest counted");
        assertEquals(1, plane.connections().size(), "the connection is kept on standby");

        own(true, true);
        receive(clientSide, arpRequest(VIP), 0);
        assertEquals(2, parseValid(clientSide.takeOnly()).arpOperation, "ARP answered again");
        FlowDescription f = forwardFromClient(clientTcp(41000, ACK));
        assertEquals(v4(RS1), f.dstV4(), "the kept connection forwards to its server");
        receive(serverSide, replyFromRs1(41000), 0);
        assertEquals(v4(VIP), parseValid(clientSide.takeOnly()).srcV4());
        assertEquals(3, drops.get(DropReason.STANDBY));
    }

    @Test
    void aManagedGatewayAddressIsAnsweredOnlyWhileOwned() {
        natService("rr");
        own(true, false);
        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, 0xFFFF_FFFF_FFFFL)
                .arpRequest("02:00:00:00:02:02", RS1, GATEWAY).build(), 0);
        assertTrue(serverSide.sent.isEmpty());
        own(true, true);
        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, 0xFFFF_FFFF_FFFFL)
                .arpRequest("02:00:00:00:02:02", RS1, GATEWAY).build(), 0);
        FlowDescription f = parseValid(serverSide.takeOnly());
        assertEquals(2, f.arpOperation);
        assertEquals(v4(GATEWAY), f.arpSenderIp);
    }

    @Test
    void unmanagedVipsStayOwnedAndOwnedMustBeManaged() {
        natService("rr");
        ipvs.setVipOwnership(new VipOwnership(new int[] {v4(GATEWAY)}, new int[0]));
        receive(clientSide, arpRequest(VIP), 0);
        assertEquals(2, parseValid(clientSide.takeOnly()).arpOperation);
        assertFalse(plane.services().isStandby(v4(VIP)));
        assertThrows(IllegalArgumentException.class,
                () -> new VipOwnership(new int[] {v4(GATEWAY)}, new int[] {v4(VIP)}));
    }
}
