package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;

/** Address helpers shared by the hashing schedulers and persistence (addresses as in FlowDescription). */
final class ServerAddresses {
    private ServerAddresses() {}

    /**
     * The kernel's addr_fold: the IPv4 address itself, or the XOR of the four 32-bit words of an IPv6 address,
     * as a host-order value (ntohl applied), so bucket numbers match ip_vs_dh/sh/mh.
     */
    static int fold(long hi, long lo) {
        if (FlowDescription.isV4Mapped(hi, lo)) return (int) lo;
        return (int) (hi >>> 32) ^ (int) hi ^ (int) (lo >>> 32) ^ (int) lo;
    }

    /** Ports only mean something for TCP, UDP and SCTP (ip_vs_sh_get_port). */
    static boolean hasPorts(int protocol) {
        return protocol == 6 || protocol == 17 || protocol == 132;
    }

    static String format(long hi, long lo, int port) {
        if (FlowDescription.isV4Mapped(hi, lo)) {
            return Ipv4.toString((int) lo) + ":" + port;
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            long half = i < 4 ? hi : lo;
            int word = (int) (half >>> (48 - 16 * (i & 3))) & 0xFFFF;
            if (i > 0) sb.append(':');
            sb.append(Integer.toHexString(word));
        }
        return sb.append("]:").append(port).toString();
    }

    /** Unsigned order of (address, port): the canonical server order that makes Maglev tables order-independent. */
    static int compare(Destination a, Destination b) {
        int c = Long.compareUnsigned(a.addrHi(), b.addrHi());
        if (c == 0) c = Long.compareUnsigned(a.addrLo(), b.addrLo());
        if (c == 0) c = Integer.compare(a.port(), b.port());
        return c;
    }
}
