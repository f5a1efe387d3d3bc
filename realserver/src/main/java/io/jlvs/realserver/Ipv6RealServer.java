package io.jlvs.realserver;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * An IPv6 VIP's real-server set-up: VIP/128 on lo without duplicate address detection (a DAD probe would ask the
 * LAN about the director's address). Nothing else is needed against neighbour discovery: Linux answers a
 * solicitation only for an address of the interface it came in on (ndisc_recv_ns looks the target up strictly on
 * that device), so an address on lo is never advertised on the LAN, and the kernel's own solicitations take their
 * source from the outgoing interface. That is what arp_ignore=1 and arp_announce=2 do for IPv4. For TUN, the
 * ip6_tunnel module's ip6tnl0 decapsulates IPv6-in-IPv6; without it, a user-space decapsulator does.
 */
final class Ipv6RealServer {
    static final String IP6_TUNNEL_INTERFACE = "ip6tnl0";

    private Ipv6RealServer() {}

    static boolean isIpv6(String vip) {
        return vip.indexOf(':') >= 0;
    }

    /** The address in two halves; only a literal is accepted (no name lookup). */
    static long[] halves(String vip) {
        if (!isIpv6(vip)) throw new IllegalArgumentException("not an IPv6 address: " + vip);
        try {
            ByteBuffer b = ByteBuffer.wrap(InetAddress.getByName(vip).getAddress());
            if (b.capacity() != 16) throw new IllegalArgumentException("not an IPv6 address: " + vip);
            return new long[] {b.getLong(), b.getLong()};
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + vip, e);
        }
    }

    /** The VIP's prefix as it sits on lo. */
    static String onLo(String vip) {
        return vip + (isIpv6(vip) ? "/128" : "/32");
    }

    /** Adds VIP/128 to lo (nodad) unless it is there; records that it did. */
    static void addVip(String vip, RealServerState state, PrintStream log) throws IOException {
        long[] wanted = halves(vip);
        String present = HostCommand.run("ip", "-o", "-6", "addr", "show", "dev", "lo");
        for (String line : present.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            for (int i = 0; i + 1 < fields.length; i++) {
                if (!fields[i].equals("inet6")) continue;
                String address = fields[i + 1].split("/")[0];
                long[] have = halves(address);
                if (have[0] == wanted[0] && have[1] == wanted[1]) return;
            }
        }
        HostCommand.run("ip", "-6", "addr", "add", vip + "/128", "dev", "lo", "nodad");
        state.vipAdded = true;
        log.println("jlvs realserver: " + vip + "/128 on lo (nodad; Linux never answers neighbour solicitations "
                + "on the LAN for an address of lo)");
    }

    static boolean kernelHasIp6Tunnel() {
        if (HostNetwork.interfaceExists(IP6_TUNNEL_INTERFACE)) return true;
        return HostCommand.tryRun("modprobe", "-q", "ip6_tunnel") && HostNetwork.interfaceExists(IP6_TUNNEL_INTERFACE);
    }
}
