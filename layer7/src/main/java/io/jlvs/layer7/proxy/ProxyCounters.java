package io.jlvs.layer7.proxy;

import java.util.concurrent.atomic.AtomicLong;

/** What a layer-7 service did with its connections, by outcome. */
public final class ProxyCounters {
    public final AtomicLong accepted = new AtomicLong();
    public final AtomicLong spliced = new AtomicLong();
    /** Connections handed to the splicer that have not ended yet. */
    public final AtomicLong splicedNow = new AtomicLong();
    public final AtomicLong malformed = new AtomicLong();
    public final AtomicLong headTooLarge = new AtomicLong();
    public final AtomicLong slowHeads = new AtomicLong();
    public final AtomicLong noServer = new AtomicLong();
    public final AtomicLong serverRefused = new AtomicLong();
    public final AtomicLong serverTimedOut = new AtomicLong();
    /** phttp: requests sent on to a server. */
    public final AtomicLong requests = new AtomicLong();
    /** phttp: message bodies moved by splice(2) rather than read. */
    public final AtomicLong splicedBodies = new AtomicLong();

    /** The counter of an answer the proxy gave itself. */
    AtomicLong forStatus(int status) {
        return switch (status) {
            case 400 -> malformed;
            case 431 -> headTooLarge;
            case 502 -> serverRefused;
            case 504 -> serverTimedOut;
            default -> noServer;
        };
    }
}
