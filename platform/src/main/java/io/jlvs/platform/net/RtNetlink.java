package io.jlvs.platform.net;

/** Constants of the rtnetlink protocol (linux/netlink.h, rtnetlink.h, if_link.h, neighbour.h), host byte order. */
final class RtNetlink {
    private RtNetlink() {}

    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3, NLMSG_OVERRUN = 4;

    static final int NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;

    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19;
    static final int RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
    static final int RTM_NEWNEIGH = 28, RTM_DELNEIGH = 29, RTM_GETNEIGH = 30;

    /** Legacy multicast group bits for sockaddr_nl.nl_groups. */
    static final int RTMGRP_LINK = 0x1, RTMGRP_NEIGH = 0x4, RTMGRP_IPV4_IFADDR = 0x10, RTMGRP_IPV4_ROUTE = 0x40;

    // struct ifinfomsg: family u8, pad u8, type u16, index s32, flags u32, change u32
    static final int IFINFOMSG_LEN = 16;
    static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4;
    static final int IFF_UP = 0x1;

    // struct ifaddrmsg: family u8, prefixlen u8, flags u8, scope u8, index u32
    static final int IFADDRMSG_LEN = 8;
    static final int IFA_ADDRESS = 1, IFA_LOCAL = 2;

    // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32
    static final int RTMSG_LEN = 12;
    static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PREFSRC = 7, RTA_METRICS = 8, RTA_TABLE = 15;
    static final int RTAX_MTU = 2;
    static final int RTN_UNICAST = 1, RTN_LOCAL = 2;
    static final int RTM_F_FIB_MATCH = 0x2000;

    // struct ndmsg: family u8, pad u8, pad u16, ifindex s32, state u16, flags u8, type u8
    static final int NDMSG_LEN = 12;
    static final int NDA_DST = 1, NDA_LLADDR = 2;
    static final int NUD_INCOMPLETE = 0x01, NUD_REACHABLE = 0x02, NUD_STALE = 0x04, NUD_DELAY = 0x08,
            NUD_PROBE = 0x10, NUD_FAILED = 0x20, NUD_NOARP = 0x40, NUD_PERMANENT = 0x80;
    /** States in which the neighbour's link-layer address may be used to send. */
    static final int NUD_USABLE = NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP;
    static final int NTF_USE = 0x01;

    static final int AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;
}
