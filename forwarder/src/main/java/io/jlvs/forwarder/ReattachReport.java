package io.jlvs.forwarder;

/**
 * What re-attaching a previous daemon's connection table did: entries re-created, and entries left out because
 * their service or their real server no longer runs, the table was full, they had expired, or their fields were
 * impossible; and of the re-created FullNAT connections, those without their local port (no record kept, a
 * malformed one, a local address in no pool now, or the port taken meanwhile), whose packets count as FULLNAT_LOST.
 */
public record ReattachReport(int reattached, int noService, int noServer, int tableFull, int expired, int malformed,
                             int fullNatWithoutPort) {
    public ReattachReport(int reattached, int noService, int noServer, int tableFull, int expired, int malformed) {
        this(reattached, noService, noServer, tableFull, expired, malformed, 0);
    }

    public int dropped() { return noService + noServer + tableFull + expired + malformed; }

    @Override
    public String toString() {
        return reattached + " connection(s) re-attached, " + dropped() + " dropped (" + noService + " without their "
                + "service, " + noServer + " without their real server, " + tableFull + " for a full table, " + expired
                + " expired, " + malformed + " malformed)"
                + (fullNatWithoutPort > 0 ? ", " + fullNatWithoutPort + " FullNAT connection(s) without their local port"
                : "");
    }
}
