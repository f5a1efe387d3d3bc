package io.jlvs.schedulers;

/** The highest-weight scan shared by fo and ovf. */
final class HighestWeight {
    private HighestWeight() {}

    /**
     * The not-OVERLOADed server with the highest weight above 0; the first one wins ties.
     *
     * @param capActiveAtWeight true (ovf): a server that already holds more active connections than its weight
     *                          is passed over, so traffic overflows to the next one; false (fo): active
     *                          connections do not matter
     */
    static Destination first(ServerSet servers, boolean capActiveAtWeight) {
        Destination highest = null;
        int highestWeight = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            Destination s = servers.get(i);
            int w = s.weight();
            if (w <= highestWeight || s.overloaded()) continue;
            if (capActiveAtWeight && s.activeConns() > w) continue;
            highest = s;
            highestWeight = w;
        }
        return highest;
    }
}
