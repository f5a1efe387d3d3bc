package io.jlvs.platform.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Interfaces of the calling thread's network namespace, read with RTM_GETLINK and RTM_GETADDR dumps. */
public final class Links {
    private Links() {}

    public static Link byName(String name) throws IOException {
        for (Link link : all()) if (link.name().equals(name)) return link;
        throw new IOException("no network interface named " + name + " in this network namespace");
    }

    public static Link byIndex(int ifIndex) throws IOException {
        for (Link link : all()) if (link.ifIndex() == ifIndex) return link;
        throw new IOException("no network interface with index " + ifIndex + " in this network namespace");
    }

    /** Every IPv4 address of every interface, each once, in sorted as signed ints, ready for Arrays.binarySearch. */
    public static int[] ipv4Addresses() throws IOException {
        return ipv4Addresses(all());
    }

    /** Every IPv4 address of {@code links}, each once, sorted as signed ints. */
    public static int[] ipv4Addresses(List<Link> links) {
        return links.stream().flatMapToInt(l -> Arrays.stream(l.ipv4Addresses())).distinct().sorted().toArray();
    }

    /** All interfaces, ordered by index. */
    public static List<Link> all() throws IOException {
        try (Netlink netlink = Netlink.open()) {
            return all(netlink);
        }
    }

    static List<Link> all(Netlink netlink) throws IOException {
        record Partial(String name, long mac, int mtu, boolean up) {}
        Map<Integer, Partial> links = new TreeMap<>();
        netlink.request(RtNetlink.RTM_GETLINK, RtNetlink.NLM_F_DUMP)
                .u8(RtNetlink.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0);
        netlink.transact((type, buf, payload, end) -> {
            if (type != RtNetlink.RTM_NEWLINK) return;
            int index = buf.get(JAVA_INT, payload + 4);
            int flags = buf.get(JAVA_INT, payload + 8);
            RtAttributes a = netlink.attributes().parse(buf, payload + RtNetlink.IFINFOMSG_LEN, end);
            links.put(index, new Partial(a.string(RtNetlink.IFLA_IFNAME), a.mac(RtNetlink.IFLA_ADDRESS),
                    a.u32(RtNetlink.IFLA_MTU, 0), (flags & RtNetlink.IFF_UP) != 0));
        });
        Map<Integer, List<int[]>> addresses = new TreeMap<>();
        netlink.request(RtNetlink.RTM_GETADDR, RtNetlink.NLM_F_DUMP).u8(RtNetlink.AF_INET).u8(0).u8(0).u8(0).u32(0);
        netlink.transact((type, buf, payload, end) -> {
            if (type != RtNetlink.RTM_NEWADDR || buf.get(JAVA_BYTE, payload) != RtNetlink.AF_INET) return;
            int prefix = Byte.toUnsignedInt(buf.get(JAVA_BYTE, payload + 1));
            int index = buf.get(JAVA_INT, payload + 4);
            RtAttributes a = netlink.attributes().parse(buf, payload + RtNetlink.IFADDRMSG_LEN, end);
            // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer's on point-to-point links
            int address = a.has(RtNetlink.IFA_LOCAL) ? a.ipv4(RtNetlink.IFA_LOCAL, 0) : a.ipv4(RtNetlink.IFA_ADDRESS, 0);
            addresses.computeIfAbsent(index, k -> new ArrayList<>()).add(new int[] {address, prefix});
        });
        List<Link> result = new ArrayList<>(links.size());
        links.forEach((index, p) -> {
            List<int[]> own = addresses.getOrDefault(index, List.of());
            int[] v4 = new int[own.size()];
            int[] prefixes = new int[own.size()];
            for (int i = 0; i < v4.length; i++) {
                v4[i] = own.get(i)[0];
                prefixes[i] = own.get(i)[1];
            }
            result.add(new Link(index, p.name(), p.mac(), p.mtu(), p.up(), v4, prefixes));
        });
        return result;
    }

    static int[] indexesOf(List<String> names) throws IOException {
        List<Link> all = all();
        int[] indexes = new int[names.size()];
        for (int i = 0; i < indexes.length; i++) {
            String name = names.get(i);
            indexes[i] = all.stream().filter(l -> l.name().equals(name)).mapToInt(Link::ifIndex).findFirst()
                    .orElseThrow(() -> new IOException("no network interface named " + name + " in this network namespace"));
        }
        return indexes;
    }
}
