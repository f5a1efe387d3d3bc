package io.jlvs.forwarder;

/**
 * What re-attaching a previous daemon's connection table did: entries re-created, and entries left out because
 * their service or their real server no longer runs, the table was full, they had expired, or their fields were
 * impossible.
 */
public record ReattachReport(int reattached, int noService, int noServer, int tableFull, int expired, int malformed) {
    public int dropped() { return noService + noServer + tableFull + expired + malformed; }

    @Override
    public String toString() {
        return reattached + " connection(s) re-attached, " + dropped() + " dropped (" + noService + " without their "
                + "service, " + noServer + " without their real server, " + tableFull + " for a full table, " + expired
                + " expired, " + malformed + " malformed)";
    }
}
