package io.jlvs.platform.packetio;

import java.io.IOException;

/** Opens ports by backend name. The socket belongs to the network namespace of the calling thread. */
public final class PacketPorts {
    private PacketPorts() {}

    public static final String AFPACKET = "afpacket", PCAP = "pcap";

    /**
     * @param backend {@code "afpacket"} (TPACKET_V3 rings, the default) or {@code "pcap"} (libpcap via pcap4j)
     */
    public static PacketPort open(String backend, String ifName, PortOptions options) throws IOException {
        return switch (backend) {
            case AFPACKET -> AfPacketPort.open(ifName, options);
            case PCAP -> PcapPort.open(ifName, options);
            default -> throw new IllegalArgumentException("unknown packet backend '" + backend + "' (afpacket, pcap)");
        };
    }

    /**
     * An AF_PACKET port without a socket: it receives what the caller injects, and what is sent through it is
     * counted in its {@link PacketPort#stats()} and dropped once {@link DetachedPort#settle() settled}. For running
     * the forwarding path on synthetic traffic.
     */
    public static DetachedPort detached(String name, int ifIndex, long mac, int mtu) throws IOException {
        return AfPacketPort.detached(name, ifIndex, mac, mtu);
    }
}
