package io.jlvs.platform.net;

import java.io.IOException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** RTM_GETROUTE lookups: what the kernel would do with a packet it sent to a destination. */
final class Routes {
    private Routes() {}

    /** One answer: the route type (RTN_*), egress, gateway, chosen source, route MTU (0 = the link's). */
    record Answer(int type, int ifIndex, int gatewayV4, int prefSrcV4, int mtu, int prefixLength) {}

    /**
     * Asks the kernel for its route to {@code dstV4}. With {@code fibMatch} the answer describes the matching
     * route entry (its prefix length, its configured attributes) rather than the resolved result.
     */
    static Answer lookup(Netlink netlink, int dstV4, boolean fibMatch) throws IOException {
        Answer[] answer = new Answer[1];
        netlink.request(RtNetlink.RTM_GETROUTE, 0)
                .u8(RtNetlink.AF_INET).u8(32).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0)
                .u32(fibMatch ? RtNetlink.RTM_F_FIB_MATCH : 0)
                .attrIpv4(RtNetlink.RTA_DST, dstV4);
        try {
            netlink.transact((type, buf, payload, end) -> {
                if (type != RtNetlink.RTM_NEWROUTE) return;
                int prefixLength = Byte.toUnsignedInt(buf.get(JAVA_BYTE, payload + 1));
                int routeType = Byte.toUnsignedInt(buf.get(JAVA_BYTE, payload + 7));
                RtAttributes a = netlink.attributes().parse(buf, payload + RtNetlink.RTMSG_LEN, end);
                int mtu = 0;
                if (a.has(RtNetlink.RTA_METRICS)) {
                    long metrics = a.offset(RtNetlink.RTA_METRICS);
                    mtu = new RtAttributes().parse(buf, metrics, metrics + a.length(RtNetlink.RTA_METRICS))
                            .u32(RtNetlink.RTAX_MTU, 0);
                    a = netlink.attributes().parse(buf, payload + RtNetlink.RTMSG_LEN, end);
                }
                answer[0] = new Answer(routeType, a.u32(RtNetlink.RTA_OIF, 0), a.ipv4(RtNetlink.RTA_GATEWAY, 0),
                        a.ipv4(RtNetlink.RTA_PREFSRC, 0), mtu, prefixLength);
            });
        } catch (IOException e) {
            throw new IOException("route to " + Link.formatIpv4(dstV4) + ": " + e.getMessage(), e);
        }
        if (answer[0] == null) throw new IOException("route to " + Link.formatIpv4(dstV4) + ": the kernel sent no route");
        return answer[0];
    }

    /** The route a unicast packet to {@code dstV4} would take; local, broadcast and unreachable routes throw. */
    static Route route(Netlink netlink, int dstV4) throws IOException {
        Answer resolved = lookup(netlink, dstV4, false);
        requireUnicast(dstV4, resolved);
        Answer entry = lookup(netlink, dstV4, true);
        return new Route(resolved.ifIndex(), resolved.gatewayV4(), resolved.prefSrcV4(), entry.prefixLength());
    }

    static void requireUnicast(int dstV4, Answer answer) throws IOException {
        if (answer.type() != RtNetlink.RTN_UNICAST) {
            throw new IOException("route to " + Link.formatIpv4(dstV4) + " is not unicast (route type "
                    + typeName(answer.type()) + ")");
        }
    }

    static String typeName(int type) {
        return switch (type) {
            case 1 -> "unicast"; case 2 -> "local"; case 3 -> "broadcast"; case 4 -> "anycast"; case 5 -> "multicast";
            case 6 -> "blackhole"; case 7 -> "unreachable"; case 8 -> "prohibit"; case 9 -> "throw"; case 10 -> "nat";
            default -> String.valueOf(type);
        };
    }
}
