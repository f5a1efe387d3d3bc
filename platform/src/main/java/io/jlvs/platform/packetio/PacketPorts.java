package io.jlvs.platform.packetio;

import java.io.IOException;
import java.util.List;
import java.util.function.IntFunction;

/** Opens ports by backend name. The socket belongs to the network namespace of the calling thread. */
public final class PacketPorts {
    private PacketPorts() {}

    public static final String AFPACKET = "afpacket", PCAP = "pcap", AFXDP = "afxdp";
    public static final List<String> BACKENDS = List.of(AFPACKET, PCAP, AFXDP);

    /**
     * @param backend {@code "afpacket"} (TPACKET_V3 rings, the default), {@code "pcap"} (libpcap via pcap4j) or
     *                {@code "afxdp"} (an AF_XDP socket on receive queue 0, fed by jlvs's XDP program)
     */
    public static PacketPort open(String backend, String ifName, PortOptions options) throws IOException {
        return switch (backend) {
            case AFPACKET -> AfPacketPort.open(ifName, options);
            case PCAP -> PcapPort.open(ifName, options);
            case AFXDP -> AfXdpPort.openGroup(List.of(ifName), 0, options)[0];
            default -> throw unknown(backend);
        };
    }

    /**
     * One worker's ports, one per interface, in the order of {@code ifNames}. AF_XDP ports are bound to receive
     * queue {@code worker} (which each interface must have in both directions: see {@link #requireWorkers}) and
     * share one UMEM, so a frame received on one is sent on another where it lies; their options are those of the
     * first interface.
     */
    public static PacketPort[] openWorker(String backend, List<String> ifNames, int worker,
                                          IntFunction<PortOptions> optionsOfInterface) throws IOException {
        if (backend.equals(AFXDP)) return AfXdpPort.openGroup(ifNames, worker, optionsOfInterface.apply(0));
        if (!BACKENDS.contains(backend)) throw unknown(backend);
        PacketPort[] ports = new PacketPort[ifNames.size()];
        try {
            for (int i = 0; i < ports.length; i++) ports[i] = open(backend, ifNames.get(i), optionsOfInterface.apply(i));
            return ports;
        } catch (IOException | RuntimeException e) {
            for (PacketPort p : ports) if (p != null) p.close();
            throw e;
        }
    }

    /**
     * Refuses {@code workers} workers that {@code backend} cannot give a port each on every interface: AF_XDP
     * needs a queue per worker (see {@link #openWorker}); the others share an interface through fanout.
     */
    public static void requireWorkers(String backend, List<String> ifNames, int workers) throws IOException {
        if (backend.equals(AFXDP)) AfXdpPort.requireQueues(ifNames, workers);
    }

    private static IllegalArgumentException unknown(String backend) {
        return new IllegalArgumentException("unknown packet backend '" + backend + "' (" + String.join(", ", BACKENDS) + ")");
    }

    /**
     * An AF_PACKET port without a socket: it receives what the caller injects, and what is sent through it is
     * counted in its {@link PacketPort#stats()} and dropped once {@link DetachedPort#settle() settled}. For running
     * the forwarding path on synthetic traffic.
     */
    public static DetachedPort detached(String name, int ifIndex, long mac, int mtu) throws IOException {
        return detached(name, ifIndex, mac, mtu, RxRingLayout.DEFAULT);
    }

    /** As {@link #detached(String, int, long, int)}, its receive ring of the given layout (as the workers' ports). */
    public static DetachedPort detached(String name, int ifIndex, long mac, int mtu, RxRingLayout layout)
            throws IOException {
        return AfPacketPort.detached(name, ifIndex, mac, mtu, layout);
    }
}
