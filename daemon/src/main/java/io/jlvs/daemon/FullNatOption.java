package io.jlvs.daemon;

import io.jlvs.failover.sync.SyncFullNat;
import io.jlvs.forwarder.FullNatRecord;

/**
 * FullNAT's record of a connection as jlvs's sync option carries it, and back: the field for field translation
 * between the forwarder's {@link FullNatRecord} and the sync wire's {@link SyncFullNat}, either family (the wire
 * names an IPv6 local address by its 128 bits, an IPv4 one by its 32).
 */
final class FullNatOption {
    private FullNatOption() {}

    static void toWire(FullNatRecord r, SyncFullNat s) {
        s.localAddress = r.ipv6 ? 0 : r.localAddress;
        s.localHi = r.ipv6 ? r.localHi : 0;
        s.localLo = r.ipv6 ? r.localLo : 0;
        s.localPort = r.localPort;
        s.flags = r.proxyHeader ? SyncFullNat.F_PROXY_HEADER : 0;
        s.clientIsn = r.clientIsn;
    }

    static void fromWire(SyncFullNat s, FullNatRecord r) {
        r.ipv6 = (s.localHi | s.localLo) != 0;
        r.localAddress = s.localAddress;
        r.localHi = s.localHi;
        r.localLo = s.localLo;
        r.localPort = s.localPort;
        r.proxyHeader = (s.flags & SyncFullNat.F_PROXY_HEADER) != 0;
        r.clientIsn = s.clientIsn;
    }
}
