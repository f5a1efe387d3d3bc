package io.jlvs.forwarder;

/**
 * What the SYN proxy keeps of one connection, as it leaves or enters this daemon (a sync message, a previous
 * daemon's records): the state of the splice, the client's and the director's initial sequence numbers and
 * timestamps of the handshake, the options the client negotiated and, once the server has answered, the deltas
 * that join the two sequence and timestamp spaces. A mutable object its thread owns and refills; {@link #state}
 * {@link #NONE} means no record.
 */
public final class SpliceRecord {
    /** The states of a splice: none, the server's SYN sent, joined. */
    public static final int NONE = SynProxyStates.NONE, OPENING = SynProxyStates.OPENING,
            SPLICED = SynProxyStates.SPLICED;
    /** Bytes of one connection's record in the records memory ({@link DataPlane#keepSynProxyStatesIn}). */
    public static final long BYTES = SynProxyStates.BYTES;
    /** The layout of that memory: a different number is another layout, which must not be read. */
    public static final int LAYOUT = 1;

    public int state;
    public int clientIsn, cookieIsn, clientTs, directorTs;
    public int seqDelta, tsDelta;
    /** The server's window scale minus the client's (either sign), the client's scale (-1: none), 0..15 each. */
    public int windowShift, clientScale;
    /** The index of the MSS in the cookie's table. */
    public int mssIndex;
    public boolean sack, timestamps;

    /** Forgets the record. */
    public SpliceRecord clear() {
        state = NONE;
        clientIsn = cookieIsn = clientTs = directorTs = seqDelta = tsDelta = 0;
        windowShift = mssIndex = 0;
        clientScale = -1;
        sack = timestamps = false;
        return this;
    }

    /**
     * Whether the fields are ones the proxy can work with: a known state, a window scale and shift within TCP's,
     * an MSS index of the cookie's table.
     */
    public boolean valid() {
        return (state == OPENING || state == SPLICED) && clientScale >= -1 && clientScale <= 14
                && windowShift >= -14 && windowShift <= 14 && mssIndex >= 0
                && mssIndex < SynCookies.MSS_TABLE.length;
    }

    public SpliceRecord copyFrom(SpliceRecord r) {
        state = r.state;
        clientIsn = r.clientIsn;
        cookieIsn = r.cookieIsn;
        clientTs = r.clientTs;
        directorTs = r.directorTs;
        seqDelta = r.seqDelta;
        tsDelta = r.tsDelta;
        windowShift = r.windowShift;
        clientScale = r.clientScale;
        mssIndex = r.mssIndex;
        sack = r.sack;
        timestamps = r.timestamps;
        return this;
    }

    @Override
    public String toString() {
        return "splice state " + state + " isn " + Integer.toUnsignedString(clientIsn) + "/"
                + Integer.toUnsignedString(cookieIsn) + " ts " + Integer.toUnsignedString(clientTs) + "/"
                + Integer.toUnsignedString(directorTs) + " delta " + seqDelta + " ts-delta " + tsDelta + " shift "
                + windowShift + " scale " + clientScale + " mss-index " + mssIndex + (sack ? " sack" : "")
                + (timestamps ? " timestamps" : "");
    }
}
