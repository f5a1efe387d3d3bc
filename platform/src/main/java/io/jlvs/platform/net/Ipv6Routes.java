package io.jlvs.platform.net;

import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** The kernel's IPv6 routes (RTM_GETROUTE) and neighbour table (RTM_GETNEIGH, NTF_USE) for one destination. */
final class Ipv6Routes {
    private Ipv6Routes() {}

    /** A route: its type (RTN_*), egress, the neighbour to send to (the gateway, or the destination), route MTU. */
    record Answer(int type, int ifIndex, long neighbourHi, long neighbourLo, int mtu, long sourceHi, long sourceLo) {}

    static Answer route(Netlink netlink, long dstHi, long dstLo) throws IOException {
        Answer[] answer = new Answer[1];
        netlink.request(RtNetlink.RTM_GETROUTE, 0)
                .u8(RtNetlink.AF_INET6).u8(128).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0)
                .attrIpv6(RtNetlink.RTA_DST, dstHi, dstLo);
        try {
            netlink.transact((type, buf, payload, end) -> {
                if (type != RtNetlink.RTM_NEWROUTE) return;
                int routeType = Byte.toUnsignedInt(buf.get(JAVA_BYTE, payload + 7));
                RtAttributes a = netlink.attributes().parse(buf, payload + RtNetlink.RTMSG_LEN, end);
                int mtu = 0;
                if (a.has(RtNetlink.RTA_METRICS)) {
                    long metrics = a.offset(RtNetlink.RTA_METRICS);
                    mtu = new RtAttributes().parse(buf, metrics, metrics + a.length(RtNetlink.RTA_METRICS))
                            .u32(RtNetlink.RTAX_MTU, 0);
                }
                boolean gateway = a.isIpv6(RtNetlink.RTA_GATEWAY);
                boolean source = a.isIpv6(RtNetlink.RTA_PREFSRC);
                answer[0] = new Answer(routeType, a.u32(RtNetlink.RTA_OIF, 0),
                        gateway ? a.ipv6Hi(RtNetlink.RTA_GATEWAY) : dstHi,
                        gateway ? a.ipv6Lo(RtNetlink.RTA_GATEWAY) : dstLo, mtu,
                        source ? a.ipv6Hi(RtNetlink.RTA_PREFSRC) : 0, source ? a.ipv6Lo(RtNetlink.RTA_PREFSRC) : 0);
            });
        } catch (IOException e) {
            throw new IOException("route to " + format(dstHi, dstLo) + ": " + e.getMessage(), e);
        }
        if (answer[0] == null) throw new IOException("route to " + format(dstHi, dstLo) + ": the kernel sent no route");
        if (answer[0].type() != RtNetlink.RTN_UNICAST) {
            throw new IOException("route to " + format(dstHi, dstLo) + " is not unicast (route type "
                    + Routes.typeName(answer[0].type()) + ")");
        }
        return answer[0];
    }

    /** The neighbour's MAC on {@code ifIndex} when the kernel has a usable entry, else -1. */
    static long neighbourMac(Netlink netlink, int ifIndex, long hi, long lo) throws IOException {
        long[] mac = {-1};
        netlink.request(RtNetlink.RTM_GETNEIGH, 0)
                .u8(RtNetlink.AF_INET6).u8(0).u16(0).u32(ifIndex).u16(0).u8(0).u8(0)
                .attrIpv6(RtNetlink.NDA_DST, hi, lo);
        try {
            netlink.transact((type, buf, payload, end) -> {
                if (type != RtNetlink.RTM_NEWNEIGH) return;
                int state = Short.toUnsignedInt(buf.get(JAVA_SHORT, payload + 8));
                long m = netlink.attributes().parse(buf, payload + RtNetlink.NDMSG_LEN, end).mac(RtNetlink.NDA_LLADDR);
                if ((state & RtNetlink.NUD_USABLE) != 0) mac[0] = m;
            });
        } catch (ErrnoException e) {
            if (e.errno() == Libc.ENOENT) return -1;
            throw new IOException("neighbour " + format(hi, lo) + ": " + e.getMessage(), e);
        }
        return mac[0];
    }

    /** Makes the kernel solicit the neighbour (NTF_USE: as if a packet were queued to it); returns at once. */
    static void solicit(Netlink netlink, int ifIndex, long hi, long lo) throws IOException {
        netlink.request(RtNetlink.RTM_NEWNEIGH, RtNetlink.NLM_F_CREATE | RtNetlink.NLM_F_ACK)
                .u8(RtNetlink.AF_INET6).u8(0).u16(0).u32(ifIndex).u16(0).u8(RtNetlink.NTF_USE).u8(0)
                .attrIpv6(RtNetlink.NDA_DST, hi, lo);
        netlink.transact(null);
    }

    static String format(long hi, long lo) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long half = i < 4 ? hi : lo;
            int word = (int) (half >>> (48 - 16 * (i & 3))) & 0xFFFF;
            if (i > 0) b.append(':');
            b.append(Integer.toHexString(word));
        }
        return b.toString();
    }
}
