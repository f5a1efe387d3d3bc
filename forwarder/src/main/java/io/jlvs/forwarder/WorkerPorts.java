package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;

/** One worker's ports, one per interface, found by interface index on the transmit path (array, no map). */
final class WorkerPorts {
    final PacketPort[] all;
    private final PacketPort[] byIfIndex;

    WorkerPorts(PacketPort[] ports) {
        this.all = ports;
        int max = 0;
        for (PacketPort p : ports) max = Math.max(max, p.ifIndex());
        byIfIndex = new PacketPort[max + 1];
        for (PacketPort p : ports) byIfIndex[p.ifIndex()] = p;
    }

    PacketPort byIfIndex(int ifIndex) {
        return ifIndex >= 0 && ifIndex < byIfIndex.length ? byIfIndex[ifIndex] : null;
    }
}
