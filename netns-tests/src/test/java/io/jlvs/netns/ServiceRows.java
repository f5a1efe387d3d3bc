package io.jlvs.netns;

import java.util.LinkedHashMap;
import java.util.Map;

/** The real-server rows of a `jlvsadm -L -n` listing of one service: "-> addr:port Forward Weight Active InAct". */
final class ServiceRows {
    private ServiceRows() {}

    /** Server (addr:port) to its weight, in listing order. */
    static Map<String, String> servers(String listing) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] f : rows(listing)) out.put(f[1], f[3]);
        return out;
    }

    static String weight(String listing, String server) {
        String w = servers(listing).get(server);
        if (w == null) throw new AssertionError("no row for " + server + " in\n" + listing);
        return w;
    }

    /** ActiveConn + InActConn over every server of the listing. */
    static int connections(String listing) {
        int n = 0;
        for (String[] f : rows(listing)) n += Integer.parseInt(f[4]) + Integer.parseInt(f[5]);
        return n;
    }

    /** A server with an active connection, or null when none has one. */
    static String serverWithActiveConnection(String listing) {
        for (String[] f : rows(listing)) if (Integer.parseInt(f[4]) > 0) return f[1];
        return null;
    }

    private static java.util.List<String[]> rows(String listing) {
        java.util.List<String[]> rows = new java.util.ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("->") && !f[1].equals("RemoteAddress:Port")) rows.add(f);
        }
        return rows;
    }
}
