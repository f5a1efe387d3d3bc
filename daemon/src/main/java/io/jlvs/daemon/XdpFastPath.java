package io.jlvs.daemon;

import io.jlvs.forwarder.DataPlane;
import io.jlvs.forwarder.XdpSynProxy;
import io.jlvs.forwarder.fastpath.FastPathMaps;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.platform.hostguard.HostGuard;
import io.jlvs.platform.net.Link;
import io.jlvs.platform.net.Links;
import io.jlvs.platform.xdp.XdpLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * --fast-path xdp: the fast path's maps and program, loaded for the table's capacity, handed to the data plane, and
 * the program attached to every forwarding interface (recorded in the host-state file first, so that a crash leaves
 * it for the next start to detach); the SYN proxy's MSS on each interface follows the interface's MTU as the
 * housekeeping reads it. A refusal (no bpf(2), the verifier, an interface that has an XDP program
 * already) undoes what this start attached and says why. Closing detaches and frees the maps.
 */
final class XdpFastPath implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XdpFastPath.class);

    private final FastPathMaps maps;
    private final List<Integer> attached = new ArrayList<>();

    private XdpFastPath(FastPathMaps maps) {
        this.maps = maps;
    }

    /**
     * @param only         the mode to attach in, or null for the driver's native mode when it has one, else generic
     * @param afterPackets packets of a connection the Java path forwards before it enters (--fast-path-after)
     */
    static XdpFastPath start(List<String> interfaces, DataPlane plane, HostGuard guard, XdpLink.Mode only,
                             int afterPackets) throws IOException {
        FastPathMaps maps;
        try {
            maps = FastPathMaps.create(plane.connections().capacity());
        } catch (IOException e) {
            throw new IOException("--fast-path xdp: the kernel refused the fast path's maps or program: "
                    + e.getMessage(), e);
        }
        XdpFastPath fastPath = new XdpFastPath(maps);
        try {
            guard.recordXdp(interfaces);
            List<String> modes = new ArrayList<>();
            List<Link> links = new ArrayList<>();
            for (String iface : interfaces) {
                Link link = Links.byName(iface);
                XdpLink.Mode mode = XdpLink.attach(iface, link.ifIndex(), maps.programFd(), only);
                fastPath.attached.add(link.ifIndex());
                links.add(link);
                modes.add(iface + " (" + mode.name().toLowerCase() + ")");
            }
            plane.enableFastPath(maps, afterPackets);
            // SYNs of --synproxy services are answered on an interface once its MSS is known
            for (Link link : links) plane.xdpSynProxy().addInterface(link.ifIndex(), link.mtu());
            LOG.info("XDP fast path on {}: IPv4 and IPv6 flow maps for {} connections, at most {} MiB of kernel memory",
                    String.join(", ", modes), maps.capacity(), maps.memoryBytes() >> 20);
            return fastPath;
        } catch (IOException | RuntimeException e) {
            fastPath.close();
            throw new IOException("--fast-path xdp: " + e.getMessage(), e);
        }
    }

    /**
     * The interfaces as last read ({@code links}, every interface of the namespace): the MSS the XDP SYN proxy offers
     * on each interface the program is attached to follows its MTU.
     */
    void followMtus(DataPlane plane, List<Link> links) {
        XdpSynProxy answers = plane.xdpSynProxy();
        if (answers == null) return;
        for (Link link : links) {
            if (attached.contains(link.ifIndex())) answers.followMtu(link.ifIndex(), link.mtu());
        }
    }

    /**
     * `jlvs status`'s lines: the connections the kernel forwards now (of them the IPv6 ones), the maps' size and their memory at most; the
     * --synproxy services whose SYNs the program answers and the SYN-ACKs it and the Java path sent.
     */
    List<String> status(DataPlane plane, long javaSynAcks) {
        FlowMirror mirror = plane.fastPath();
        int mirrored = mirror == null ? 0 : mirror.mirrored();
        int mirroredIpv6 = mirror == null ? 0 : mirror.mirroredIpv6();
        long failures = mirror == null ? 0 : mirror.mirrorFailures();
        XdpSynProxy answers = plane.xdpSynProxy();
        String forwarding = "XDP fast path: " + mirrored + " connection(s) in the kernel (" + mirroredIpv6
                + " IPv6), maps for " + maps.capacity()
                + " connections, at most " + (maps.memoryBytes() >> 20) + " MiB of kernel memory"
                + (failures > 0 ? ", " + failures + " refused by the kernel's maps" : "");
        if (answers == null) return List.of(forwarding);
        return List.of(forwarding, "XDP SYN proxy: " + answers.services() + " service(s), " + answers.synAcksSent()
                + " SYN-ACK(s) sent by the XDP program, " + javaSynAcks + " by jlvs");
    }

    @Override
    public void close() {
        for (int ifIndex : attached) {
            try {
                XdpLink.detach(ifIndex, XdpLink.JLVS_PREFIX);
            } catch (IOException e) {
                LOG.warn("detaching the XDP fast path from ifindex {}: {}", ifIndex, e.getMessage());
            }
        }
        attached.clear();
        maps.close();
    }
}
