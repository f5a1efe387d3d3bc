package io.jlvs.netns;

import io.jlvs.tools.netns.JlvsDirector;

/** Counts read from a director's jlvsadm listings by the tests that follow streams across restarts and failovers. */
final class ListingCounts {
    private ListingCounts() {}

    /** The InBytes of the TCP service in jlvsadm -L -n --stats --exact (0 before there is one). */
    static long inboundBytes(JlvsDirector director) {
        for (String line : director.admOrThrow("-L", "-n", "--stats", "--exact").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 7 && f[0].equals("TCP")) return Long.parseLong(f[5]);
        }
        return 0;
    }

    /** ESTABLISHED entries of jlvsadm -L -n -c. */
    static long established(JlvsDirector director) {
        return director.admOrThrow("-L", "-n", "-c").lines().filter(l -> l.contains(" ESTABLISHED ")).count();
    }
}
