package io.jlvs.forwarder;

/** Why the data plane dropped a frame; each has a counter per worker, summed for `jlvs stats` and the log. */
public enum DropReason {
    MALFORMED("frames that failed to parse"),
    NOT_HANDLED("frames for no VIP and no connection (let through by the filter)"),
    STANDBY("packets to or from a VIP whose VRRP instance is not MASTER on this director"),
    NO_SERVICE("packets for a VIP port with no service"),
    KERNEL_PORT("TCP segments (and ICMP errors about them) of a layer-7 listener on a VIP: the director's kernel "
            + "handles its own copy"),
    NOT_SYN("TCP packets without a connection that are not a SYN"),
    NO_SERVER("new flows for a service with no available real server"),
    TABLE_FULL("new flows refused because the connection table is full"),
    DEFENSE("new flows dropped by the drop_packet defence while the connection table is short of room"),
    SYNPROXY_SYN("SYNs to a --synproxy service, answered by the director itself with a SYN cookie"),
    SYNPROXY_BAD_ACK("ACKs to a --synproxy service that match no connection and return no valid cookie"),
    SYNPROXY_LOST("segments of a --synproxy connection whose splice this daemon does not hold (learnt from a sync "
            + "master that sent none, or left by a daemon that kept none)"),
    SYNPROXY_OPENING("client segments of a --synproxy connection whose real server has not answered yet (its SYN is "
            + "sent again)"),
    LADDR_EXHAUSTED("new FullNAT flows refused because every port of every local address of the service is taken"),
    FULLNAT_LOST("packets of a FullNAT connection whose local address and port this daemon does not hold (a previous "
            + "daemon's or a sync master's connection that came without its record, or whose port was taken meanwhile)"),
    NO_ROUTE("packets whose next hop is not resolved yet"),
    TTL_EXPIRED("packets whose TTL ran out"),
    TX_FULL("packets the transmit ring had no room for"),
    FRAGMENT("later IP fragments of a datagram whose first fragment was not forwarded"),
    FRAGMENT_TIMEOUT("later IP fragments held for their first fragment, which did not come within ipfrag_time (IPv4 "
            + "30 s, IPv6 60 s)"),
    FRAGMENT_OVERFLOW("IP fragments dropped because a worker's fragment tracker was full (1024 datagrams, 512 held "
            + "frames of at most 2048 bytes, 8 gaps in a datagram)"),
    FRAGMENT_BAD("IP fragments that contradict their datagram: past its end, overlapping or repeated, a middle "
            + "fragment not a multiple of 8 bytes, past 65535 bytes"),
    UNSUPPORTED("packets of a family or method not forwarded yet"),
    ICMP_UNRELATED("ICMP errors that match no connection"),
    OVERSIZE("frames above the egress MTU"),
    FRAG_NEEDED_SENT("DF packets too big for the tunnel, answered with ICMP fragmentation needed to the client"),
    NO_CALL_ID("packets to a --pe sip service that carry no usable SIP Call-ID (IPVS drops them too)"),
    NAT_ICMP_SENT("packets from NAT real servers matching no connection, answered with ICMP port unreachable (nat_icmp_send)"),
    PACKET_TOO_BIG_SENT("IPv6 packets too big for the tunnel, answered with ICMPv6 packet too big to the client");

    public final String description;

    DropReason(String description) { this.description = description; }
}
