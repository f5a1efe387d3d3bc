package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.forwarder.fastpath.FastPathMaps;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfTestRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.v4;
import static io.jlvs.forwarder.SynProxyPipelineTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which SYNs the XDP program answers follows the service table: a --synproxy service's from when it is added or
 * given the flag, until it is deleted or loses the flag, and not while its VIP is on standby; a service without the
 * flag never; the MSS its SYN-ACKs offer follows the interface's MTU. Checked with the loaded program
 * (BPF_PROG_TEST_RUN) after each change made through jlvsadm.
 */
class XdpSynProxyServicesTest {
    private static final int LOOPBACK = 1;

    private DataPlane plane;
    private IpvsRuntime ipvs;
    private FastPathMaps maps;

    @BeforeEach
    void setUp() throws Exception {
        plane = new DataPlane(64, new PipelineTest.FixedNextHops());
        maps = FastPathMaps.create(plane.connections().capacity());
        plane.enableFastPath(maps);
        plane.xdpSynProxy().addInterface(LOOPBACK, 1500);
        ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ), null);
    }

    @AfterEach
    void tearDown() {
        maps.close();
        plane.connections().close();
    }

    @Test
    void answeredFromTheServiceOrTheFlagUntilEitherGoes() throws Exception {
        assertAnswered(false, "no service");
        adm("-A", "-t", VIP + ":80", "-s", "rr");
        adm("-a", "-t", VIP + ":80", "-r", RS1 + ":8080", "-m");
        assertAnswered(false, "a service without --synproxy");
        adm("-E", "-t", VIP + ":80", "-s", "rr", "--synproxy");
        assertAnswered(true, "the flag given");
        assertEquals(1, plane.xdpSynProxy().services());
        adm("-E", "-t", VIP + ":80", "-s", "rr");
        assertAnswered(false, "the flag taken away");
        adm("-E", "-t", VIP + ":80", "-s", "rr", "--synproxy");
        assertAnswered(true, "the flag given again");
        adm("-D", "-t", VIP + ":80");
        assertAnswered(false, "the service deleted");
        assertEquals(0, plane.xdpSynProxy().services());
        adm("-A", "-t", VIP + ":80", "-s", "rr", "--synproxy");
        assertAnswered(true, "added with the flag");
        assertEquals(3, plane.xdpSynProxy().synAcksSent(), "each answer counted");
    }

    @Test
    void notWhileTheVipIsOnStandby() throws Exception {
        adm("-A", "-t", VIP + ":80", "-s", "rr", "--synproxy");
        int[] managed = {v4(VIP)};
        ipvs.setVipOwnership(new VipOwnership(managed, managed));
        assertAnswered(true, "owned here");
        ipvs.setVipOwnership(new VipOwnership(managed, new int[0]));
        assertAnswered(false, "the VRRP master answers");
        ipvs.setVipOwnership(new VipOwnership(managed, managed));
        assertAnswered(true, "owned again");
    }

    @Test
    void theOfferedMssFollowsTheInterfacesMtu() throws Exception {
        adm("-A", "-t", VIP + ":80", "-s", "rr", "--synproxy");
        assertEquals(1460, offeredMss(), "a 1500-byte link's");
        plane.xdpSynProxy().followMtu(LOOPBACK, 1400);
        assertEquals(1360, offeredMss(), "the link's MTU lowered to 1400");
        plane.xdpSynProxy().followMtu(LOOPBACK, 9000);
        assertEquals(1460, offeredMss(), "the link's MTU raised to 9000: the director's default");
        plane.xdpSynProxy().followMtu(LOOPBACK + 1, 1280);
        assertEquals(1460, offeredMss(), "an interface the program does not answer on changes nothing");
    }

    /** The MSS option of the SYN-ACK the program answers a SYN with (the first option it writes). */
    private int offeredMss() throws Exception {
        BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), syn());
        assertEquals(BpfAttr.XDP_TX, out.returnValue());
        byte[] synAck = out.frame();
        int options = 14 + 20 + 20;
        assertEquals(2, synAck[options], "MSS option kind");
        return (synAck[options + 2] & 0xff) << 8 | synAck[options + 3] & 0xff;
    }

    private void assertAnswered(boolean answered, String when) throws Exception {
        assertEquals(answered ? BpfAttr.XDP_TX : BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), syn()).returnValue(),
                when);
    }

    private static byte[] syn() {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).tcp(40000, 80)
                .seq(1).flags(0x02).tcpOptions(options(1460, true, true, 5, 0, 7)).build();
    }

    private void adm(String... argv) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int rc = new AdmExecutor(ipvs).execute(argv, out, err);
        assertEquals(0, rc, () -> String.join(" ", argv) + ": " + err);
    }
}
