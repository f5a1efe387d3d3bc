package io.jlvs.failover.sync;

/**
 * jlvs's option of a version 1 entry: what the SYN proxy of the master keeps of a connection it opened (the
 * sequence and timestamp shifts of the splice, the window scales, the handshake's numbers), so that a jlvs backup
 * joins the two sequence spaces as the master did. Type {@link SyncLayout#OPT_JLVS_SPLICE}: its "not mandatory"
 * bit makes a kernel backup skip it (ip_vs_proc_sync_conn) and keep the rest of the entry.
 * <pre>
 * | state (8) | flags (8: bit 0 SACK, bit 1 timestamps) | client window scale (8, 255 none) | window shift (8, signed) |
 * | MSS index (8) | reserved (24) = 0                                                                               |
 * | client ISN (32) | director ISN (32) | client TSval (32) | director TSval (32) | seq delta (32) | ts delta (32)  |
 * </pre>
 */
public final class SyncSplice {
    /** No option (0), the server's SYN sent (1), joined (2): the SYN proxy's own numbers. */
    public static final int NONE = 0, OPENING = 1, SPLICED = 2;
    public static final int F_SACK = 1, F_TIMESTAMPS = 2;

    public int state;
    public int flags;
    /** -1: the client offered no window scale. */
    public int clientScale = -1;
    public int windowShift;
    public int mssIndex;
    public int clientIsn, directorIsn, clientTs, directorTs, seqDelta, tsDelta;

    public boolean present() { return state != NONE; }

    public void clear() {
        state = flags = windowShift = mssIndex = 0;
        clientScale = -1;
        clientIsn = directorIsn = clientTs = directorTs = seqDelta = tsDelta = 0;
    }

    public SyncSplice copyFrom(SyncSplice s) {
        state = s.state;
        flags = s.flags;
        clientScale = s.clientScale;
        windowShift = s.windowShift;
        mssIndex = s.mssIndex;
        clientIsn = s.clientIsn;
        directorIsn = s.directorIsn;
        clientTs = s.clientTs;
        directorTs = s.directorTs;
        seqDelta = s.seqDelta;
        tsDelta = s.tsDelta;
        return this;
    }

    @Override
    public String toString() {
        return "splice " + state + " flags " + flags + " scale " + clientScale + " shift " + windowShift + " mss "
                + mssIndex + " isn " + Integer.toUnsignedString(clientIsn) + "/" + Integer.toUnsignedString(directorIsn)
                + " ts " + Integer.toUnsignedString(clientTs) + "/" + Integer.toUnsignedString(directorTs) + " delta "
                + seqDelta + "/" + tsDelta;
    }
}
