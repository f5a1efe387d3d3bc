package io.jlvs.daemon;

import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Endpoint;
import io.jlvs.control.l7.L7Options;
import io.jlvs.control.l7.L7Scheduler;
import io.jlvs.control.l7.L7Service;
import io.jlvs.forwarder.KernelPorts;
import io.jlvs.packets.Ipv4;
import io.jlvs.platform.hostguard.KernelPort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Which layer-7 listeners are on VIPs: started ones on an address that is neither the wildcard nor the director's. */
class L7ListenVipsTest {
    static final int OWN = Ipv4.parse("10.0.0.1"), VIP = Ipv4.parse("10.0.0.100");

    static L7Service service(String ident, int address, int port, L7Service.State state) {
        return new L7Service(ident, new L7Endpoint(address, port), L7Scheduler.HTTP, state, L7Options.DEFAULT,
                List.of(), List.of());
    }

    @Test
    void onlyStartedListenersOnAnAddressThatIsNotTheDirectorsAreOnVips() throws L7Exception {
        L7Config config = new L7Config(List.of(
                service("web", VIP, 8080, L7Service.State.STARTED),
                service("api", VIP, 8081, L7Service.State.STOPPED),
                service("own", OWN, 8082, L7Service.State.STARTED),
                service("any", 0, 8083, L7Service.State.STARTED)));
        KernelPorts ports = L7ListenVips.of(config, new int[] {Ipv4.parse("172.16.0.1"), OWN});
        assertEquals(List.of(new KernelPort(VIP, 8080)), ports.ports());
        assertEquals("layer-7 service web", ports.owner(VIP, 8080));
        assertSame(KernelPorts.NONE, L7ListenVips.of(new L7Config(List.of(service("own", OWN, 80,
                L7Service.State.STARTED))), new int[] {OWN}));
    }

    @Test
    void aListenerOnAVipWithoutAPortIsRefused() {
        L7Exception e = assertThrows(L7Exception.class, () -> L7ListenVips.of(new L7Config(List.of(
                service("web", VIP, 0, L7Service.State.STARTED))), new int[] {OWN}));
        assertTrue(e.getMessage().contains("without a port"), e.getMessage());
    }

    @Test
    void aUnionKeepsTheFirstOwner() {
        KernelPorts a = new KernelPorts(Map.of(new KernelPort(VIP, 8080), "layer-7 service web"));
        KernelPorts b = new KernelPorts(Map.of(new KernelPort(VIP, 8080), "layer-7 service www",
                new KernelPort(VIP, 8443), "layer-7 service tls"));
        KernelPorts both = L7ListenVips.union(a, b);
        assertEquals(List.of(new KernelPort(VIP, 8080), new KernelPort(VIP, 8443)), both.ports());
        assertEquals("layer-7 service web", both.owner(VIP, 8080));
        assertSame(KernelPorts.NONE, L7ListenVips.union(KernelPorts.NONE, KernelPorts.NONE));
    }
}
