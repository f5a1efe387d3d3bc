package io.jlvs.netns;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Conns column of {@code jlvsadm -L -n --stats} for one service: the service row, then its "  -> " rows.
 * Layout as ipvsadm prints it: "TCP  10.0.0.100:80    300 ..." and "  -> 172.16.0.2:80   100 ...".
 */
record StatsListing(long serviceConnections, Map<String, Long> connectionsPerRealServer) {

    /** Finds the row of service {@code protocol} ("TCP", "UDP") {@code vipAndPort} and the real-server rows under it. */
    static StatsListing parse(String listing, String protocol, String vipAndPort) {
        String[] lines = listing.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length >= 3 && fields[0].equals(protocol) && fields[1].equals(vipAndPort)) {
                Map<String, Long> perServer = new LinkedHashMap<>();
                for (int j = i + 1; j < lines.length && lines[j].trim().startsWith("->"); j++) {
                    String[] row = lines[j].trim().split("\\s+");
                    perServer.put(row[1], Long.parseLong(row[2]));
                }
                return new StatsListing(Long.parseLong(fields[2]), perServer);
            }
        }
        throw new IllegalArgumentException("no " + protocol + " " + vipAndPort + " in:\n" + listing);
    }
}
