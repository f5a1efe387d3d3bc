package io.jlvs.daemon;

import io.jlvs.failover.sync.SyncSplice;
import io.jlvs.forwarder.SpliceRecord;

/**
 * The SYN proxy's record of a connection as jlvs's sync option carries it, and back: the field for field
 * translation between the forwarder's {@link SpliceRecord} and the sync wire's {@link SyncSplice}.
 */
final class SpliceOption {
    private SpliceOption() {}

    static void toWire(SpliceRecord r, SyncSplice s) {
        s.state = r.state == SpliceRecord.SPLICED ? SyncSplice.SPLICED : SyncSplice.OPENING;
        s.flags = (r.sack ? SyncSplice.F_SACK : 0) | (r.timestamps ? SyncSplice.F_TIMESTAMPS : 0);
        s.clientScale = r.clientScale;
        s.windowShift = r.windowShift;
        s.mssIndex = r.mssIndex;
        s.clientIsn = r.clientIsn;
        s.directorIsn = r.cookieIsn;
        s.clientTs = r.clientTs;
        s.directorTs = r.directorTs;
        s.seqDelta = r.seqDelta;
        s.tsDelta = r.tsDelta;
    }

    static void fromWire(SyncSplice s, SpliceRecord r) {
        r.state = s.state == SyncSplice.SPLICED ? SpliceRecord.SPLICED : SpliceRecord.OPENING;
        r.sack = (s.flags & SyncSplice.F_SACK) != 0;
        r.timestamps = (s.flags & SyncSplice.F_TIMESTAMPS) != 0;
        r.clientScale = s.clientScale;
        r.windowShift = s.windowShift;
        r.mssIndex = s.mssIndex;
        r.clientIsn = s.clientIsn;
        r.cookieIsn = s.directorIsn;
        r.clientTs = s.clientTs;
        r.directorTs = s.directorTs;
        r.seqDelta = s.seqDelta;
        r.tsDelta = s.tsDelta;
    }
}
