package io.jlvs.packets;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;

/**
 * Random well-formed frames for differential and property tests: every header type the parser knows, random
 * addresses, ports, flags, options and payloads. Deterministic for a given {@link Random} seed.
 */
final class RandomFrames {
    private RandomFrames() {}

    static String mac(Random r) {
        return String.format("02:%02x:%02x:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256),
                r.nextInt(256), r.nextInt(256));
    }

    static String ipv4(Random r) {
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static String ipv6(Random r) {
        return String.format("fd%02x:%x:%x::%x", r.nextInt(256), r.nextInt(65536), r.nextInt(65536), 1 + r.nextInt(65535));
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /**
     * Ports whose payload pcap4j hands to an application dissector (SSH; DNS, GTP-C, GTP-U, GTP'). On random
     * payload those dissectors can throw out of pcap4j instead of yielding an unparsed payload, which would make
     * the differential tests compare against nothing; jlvs never looks past layer 4, so these are left out.
     */
    private static final Set<Integer> PCAP4J_DISSECTED_PORTS = Set.of(22, 53, 2123, 2152, 3386);

    static int port(Random r) {
        int port;
        do {
            port = r.nextInt(65536);
        } while (PCAP4J_DISSECTED_PORTS.contains(port));
        return port;
    }

    /** A frame of any kind: TCP, UDP, ICMP echo and errors, ARP, IP-in-IP, fragments, over IPv4 or IPv6. */
    static byte[] any(Random r) {
        PacketBuilder b = PacketBuilder.ethernet(mac(r), mac(r));
        if (r.nextInt(4) == 0) b.vlan(r.nextInt(4095));
        int kind = r.nextInt(20);
        if (kind == 0) {
            return r.nextBoolean() ? b.arpRequest(mac(r), ipv4(r), ipv4(r)).build()
                    : b.arpReply(mac(r), ipv4(r), mac(r), ipv4(r)).build();
        }
        boolean v6 = r.nextInt(3) == 0;
        ip(r, b, v6);
        transport(r, b, v6, kind);
        return b.build();
    }

    /** A TCP or UDP IPv4 frame (the NAT rewrite's domain), possibly tagged, with options and payload. */
    static byte[] ipv4TcpOrUdp(Random r) {
        PacketBuilder b = PacketBuilder.ethernet(mac(r), mac(r));
        if (r.nextBoolean()) b.vlan(r.nextInt(4095));
        ip(r, b, false);
        if (r.nextBoolean()) tcp(r, b); else udp(r, b, false);
        b.payload(bytes(r, r.nextInt(1400)));
        return b.build();
    }

    /** The parser's common shape: untagged Ethernet, IPv4 without options, unfragmented TCP (with or without options) or UDP. */
    static byte[] commonShape(Random r) {
        PacketBuilder b = PacketBuilder.ethernet(mac(r), mac(r))
                .ipv4(ipv4(r), ipv4(r)).tos(r.nextInt(256))
                .identification(r.nextInt(65536)).dontFragment(r.nextBoolean()).ttl(r.nextInt(256));
        if (r.nextBoolean()) {
            b.tcp(port(r), port(r)).flags(r.nextInt(256));
            if (r.nextInt(3) == 0) b.tcpOptions(new byte[4 * (1 + r.nextInt(10))]);
        } else {
            b.udp(port(r), port(r));
        }
        return b.payload(bytes(r, r.nextInt(r.nextBoolean() ? 16 : 1400))).build();
    }

    private static void ip(Random r, PacketBuilder b, boolean v6) {
        if (v6) {
            b.ipv6(ipv6(r), ipv6(r)).tos(r.nextInt(256)).flowLabel(r.nextInt(1 << 20));
            if (r.nextInt(4) == 0) b.hopByHop();
            if (r.nextInt(4) == 0) b.routingHeader();
            if (r.nextInt(4) == 0) b.destinationOptions();
        } else {
            b.ipv4(ipv4(r), ipv4(r)).tos(r.nextInt(256)).identification(r.nextInt(65536)).dontFragment(r.nextBoolean());
            if (r.nextInt(4) == 0) {
                byte[] nops = new byte[4 * (1 + r.nextInt(4))];
                Arrays.fill(nops, (byte) 1); // NOP options: valid for every decoder
                b.ipv4Options(nops);
            }
        }
        b.ttl(1 + r.nextInt(255));
    }

    private static void transport(Random r, PacketBuilder b, boolean v6, int kind) {
        int payload = r.nextInt(r.nextBoolean() ? 64 : 1400);
        switch (kind % 8) {
            case 0, 1, 2 -> {
                tcp(r, b);
                b.payload(bytes(r, payload));
            }
            case 3, 4 -> {
                udp(r, b, v6);
                b.payload(bytes(r, payload));
            }
            case 5 -> b.icmpEcho(r.nextBoolean(), port(r), port(r)).payload(bytes(r, payload));
            case 6 -> {
                PacketBuilder quoted = PacketBuilder.ipOnly();
                ip(r, quoted, v6);
                if (r.nextBoolean()) tcp(r, quoted); else udp(r, quoted, v6);
                quoted.payload(bytes(r, r.nextInt(100)));
                byte[] q = quoted.build();
                if (v6) {
                    int[] types = {Icmp.V6_DEST_UNREACH, Icmp.V6_PACKET_TOO_BIG, Icmp.V6_TIME_EXCEEDED, Icmp.V6_PARAMETER_PROBLEM};
                    b.icmpError(types[r.nextInt(types.length)], r.nextInt(5), q);
                } else {
                    int[] types = {Icmp.V4_DEST_UNREACH, Icmp.V4_TIME_EXCEEDED};
                    b.icmpError(types[r.nextInt(types.length)], r.nextInt(2), q);
                }
            }
            default -> {
                PacketBuilder inner = PacketBuilder.ipOnly();
                ip(r, inner, v6);
                udp(r, inner, v6);
                inner.payload(bytes(r, r.nextInt(200)));
                b.ipip(inner.build());
            }
        }
        if (!v6 && r.nextInt(10) == 0) b.fragment(8 * r.nextInt(100), r.nextBoolean());
        if (v6 && r.nextInt(10) == 0) b.fragment(8 * r.nextInt(100), r.nextBoolean());
    }

    private static void tcp(Random r, PacketBuilder b) {
        b.tcp(port(r), port(r)).flags(r.nextInt(256)).seq(r.nextInt()).ack(r.nextInt()).window(r.nextInt(65536));
        if (r.nextBoolean()) {
            int mss = 536 + r.nextInt(9000);
            b.tcpOptions(new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss, 1, 1, 4, 2}); // MSS, NOP, NOP, SACK ok
        }
    }

    private static void udp(Random r, PacketBuilder b, boolean v6) {
        b.udp(port(r), port(r));
        if (!v6 && r.nextInt(5) == 0) b.l4Checksum(0);
    }
}
