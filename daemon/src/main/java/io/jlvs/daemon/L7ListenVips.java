package io.jlvs.daemon;

import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Service;
import io.jlvs.control.model.Addresses;
import io.jlvs.forwarder.KernelPorts;
import io.jlvs.platform.hostguard.KernelPort;
import io.jlvs.platform.net.Links;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which layer-7 listeners are on VIPs: those of started services whose listen address is neither the wildcard nor
 * an address of one of the director's interfaces. jlvs owns such an address as a VIP (ARP, ping, its other ports
 * through the data plane) and has the kernel terminate the listener's port.
 */
final class L7ListenVips {
    /** The director's own IPv4 addresses. */
    interface OwnAddresses {
        int[] get() throws IOException;
    }

    /** Every IPv4 address of every interface in this network namespace. */
    static final OwnAddresses INTERFACES = Links::ipv4Addresses;

    private L7ListenVips() {}

    /**
     * The kernel ports of config's started services on VIPs, each named for messages.
     *
     * @throws L7Exception for a service on a VIP without a port (the kernel would choose one nobody could name)
     */
    static KernelPorts of(L7Config config, int[] ownAddresses) throws L7Exception {
        int[] own = ownAddresses.clone();
        Arrays.sort(own);
        Map<KernelPort, String> ports = new LinkedHashMap<>();
        for (L7Service s : config.services()) {
            int address = s.listen().address();
            if (s.state() != L7Service.State.STARTED || address == 0 || Arrays.binarySearch(own, address) >= 0) continue;
            if (s.listen().port() == 0) {
                throw L7Exception.refused("layer-7 service " + s.ident() + " listens on the VIP "
                        + Addresses.formatV4(address) + " without a port: give it one (-l VIP:PORT)");
            }
            ports.putIfAbsent(new KernelPort(address, s.listen().port()), "layer-7 service " + s.ident());
        }
        return ports.isEmpty() ? KernelPorts.NONE : new KernelPorts(ports);
    }

    /** Both sets' ports (a's owner where both have one). */
    static KernelPorts union(KernelPorts a, KernelPorts b) {
        Map<KernelPort, String> all = new LinkedHashMap<>();
        for (KernelPort p : a.ports()) all.put(p, a.owner(p.addrV4(), p.port()));
        for (KernelPort p : b.ports()) all.putIfAbsent(p, b.owner(p.addrV4(), p.port()));
        return all.isEmpty() ? KernelPorts.NONE : new KernelPorts(all);
    }
}
