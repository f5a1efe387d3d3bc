package io.jlvs.netns;

import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;

/** What shows that the XDP fast path forwarded: the veths' redirect counts, and the service's --stats bytes. */
final class XdpCounts {
    private XdpCounts() {}

    /** The count of frames the XDP program on the director's {@code iface} redirected (ethtool -S, every queue). */
    static long redirects(LvsTopology topology, String iface) {
        String stats = topology.network().check(topology.directorNamespace(), "ethtool", "-S", iface);
        long total = 0;
        for (String line : stats.split("\n")) {
            String[] field = line.strip().split(":\\s*");
            if (field.length == 2 && field[0].endsWith("_xdp_redirect")) total += Long.parseLong(field[1].strip());
        }
        return total;
    }

    /** InBytes and OutBytes of TCP service {@code service} (VIP:PORT) in jlvsadm -L -n --stats --exact. */
    static long[] inAndOutBytes(JlvsDirector director, String service) {
        String listing = director.admOrThrow("-L", "-n", "--stats", "--exact");
        for (String line : listing.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 7 && fields[0].equals("TCP") && fields[1].equals(service)) {
                return new long[] {Long.parseLong(fields[5]), Long.parseLong(fields[6])};
            }
        }
        throw new IllegalStateException("no TCP " + service + " in:\n" + listing);
    }
}
