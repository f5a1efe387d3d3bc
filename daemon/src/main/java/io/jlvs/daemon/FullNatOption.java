package io.jlvs.daemon;

import io.jlvs.failover.sync.SyncFullNat;
import io.jlvs.forwarder.FullNatRecord;

/**
 * FullNAT's record of a connection as jlvs's sync option carries it, and back: the field for field translation
 * between the forwarder's {@link FullNatRecord} and the sync wire's {@link SyncFullNat}.
 */
final class FullNatOption {
    private FullNatOption() {}

    static void toWire(FullNatRecord r, SyncFullNat s) {
        s.localAddress = r.localAddress;
        s.localPort = r.localPort;
        s.flags = r.proxyHeader ? SyncFullNat.F_PROXY_HEADER : 0;
        s.clientIsn = r.clientIsn;
    }

    static void fromWire(SyncFullNat s, FullNatRecord r) {
        r.localAddress = s.localAddress;
        r.localPort = s.localPort;
        r.proxyHeader = (s.flags & SyncFullNat.F_PROXY_HEADER) != 0;
        r.clientIsn = s.clientIsn;
    }
}
