package io.jlvs.daemon;

import io.jlvs.platform.net.Link;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.packetio.PacketPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The workers' ports follow the MTUs of their interfaces as the housekeeping reads them. */
class PortMtusTest {
    private final List<PacketPort> ports = new ArrayList<>();

    @AfterEach
    void close() {
        for (PacketPort p : ports) p.close();
    }

    @Test
    void everyWorkersPortOnAnInterfaceFollowsItsMtuAndOnlyThose() throws IOException {
        // two workers, each with a port on ifindex 5 and 6
        for (int worker = 0; worker < 2; worker++) {
            ports.add(PacketPorts.detached("eth5", 5, 0x0200_0000_0005L, 1500));
            ports.add(PacketPorts.detached("eth6", 6, 0x0200_0000_0006L, 1500));
        }
        PortMtus.follow(ports, List.of(link(5, "eth5", 1400), link(6, "eth6", 1500), link(7, "lo7", 9000)));
        for (PacketPort p : ports) assertEquals(p.ifIndex() == 5 ? 1400 : 1500, p.mtu(), p.name());

        PortMtus.follow(ports, List.of(link(6, "eth6", 1450), link(5, "eth5", 0)));
        for (PacketPort p : ports) assertEquals(p.ifIndex() == 5 ? 1400 : 1450, p.mtu(), "an MTU of 0 is not taken");
    }

    private static Link link(int ifIndex, String name, int mtu) {
        return new Link(ifIndex, name, 0x0200_0000_0000L | ifIndex, mtu, true, new int[0], new int[0]);
    }
}
