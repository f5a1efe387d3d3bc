package io.jlvs.daemon;

import io.jlvs.platform.net.Link;
import io.jlvs.platform.packetio.PacketPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The workers' ports follow their interfaces' MTUs as the housekeeping reads them: the Java path's oversize checks
 * (fragmentation needed, Packet Too Big, tunnels' path MTU), the SYN proxy's MSS and the MTU the fast path's
 * entries carry (taken back at the next sweep) use the MTU an interface has now. A port's buffers are sized when it
 * opens: an MTU above what they carry is used up to that, said once per change.
 */
final class PortMtus {
    private static final Logger LOG = LoggerFactory.getLogger(PortMtus.class);

    private PortMtus() {}

    /** {@code links}: the namespace's interfaces as last read; an interface without a port is not looked at. */
    static void follow(List<PacketPort> ports, List<Link> links) {
        for (Link link : links) {
            if (link.mtu() <= 0) continue;
            int before = 0, now = 0;
            for (PacketPort port : ports) {
                if (port.ifIndex() != link.ifIndex()) continue;
                if (before == 0) before = port.mtu();
                now = port.followMtu(link.mtu());
            }
            if (now == 0 || now == before) continue;
            if (now < link.mtu()) {
                LOG.warn("{}: MTU {} (was {}), above the {} its ports' buffers were made for at start: jlvs forwards "
                        + "packets of at most {} bytes on it until restarted", link.name(), link.mtu(), before, now, now);
            } else {
                LOG.info("{}: MTU {} (was {}): jlvs's oversize checks and SYN proxy MSS follow it", link.name(), now,
                        before);
            }
        }
    }
}
