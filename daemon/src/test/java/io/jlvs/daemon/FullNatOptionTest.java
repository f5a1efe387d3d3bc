package io.jlvs.daemon;

import io.jlvs.failover.sync.SyncEntry;
import io.jlvs.failover.sync.SyncMessageReader;
import io.jlvs.failover.sync.SyncMessageWriter;
import io.jlvs.forwarder.FullNatRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** FullNAT's record of either family through jlvs's sync option and back: the backup's record is the master's. */
class FullNatOptionTest {
    private static FullNatRecord acrossTheWire(FullNatRecord sent, boolean ipv6) {
        SyncEntry e = new SyncEntry();
        e.ipv6 = ipv6;
        e.protocol = 6;
        e.flags = SyncEntry.F_BYPASS;
        e.state = 1;
        e.clientHi = ipv6 ? 0x20010db8_00000000L : 0;
        e.clientLo = ipv6 ? 2 : 0xFFFF_0A000002L;
        e.clientPort = 40000;
        e.virtualHi = e.clientHi;
        e.virtualLo = ipv6 ? 0x64 : 0xFFFF_0A000064L;
        e.virtualPort = 80;
        e.destHi = e.clientHi;
        e.destLo = ipv6 ? 0x0b : 0xFFFF_0A00000BL;
        e.destPort = 8080;
        e.timeoutSeconds = 900;
        FullNatOption.toWire(sent, e.fullNat);
        SyncMessageWriter w = SyncMessageWriter.version1(1500, 7);
        assertEquals(SyncMessageWriter.Append.ADDED, w.append(e));
        List<FullNatRecord> read = new ArrayList<>();
        assertNull(new SyncMessageReader(7).read(w.finish(), r -> {
            FullNatRecord back = new FullNatRecord();
            FullNatOption.fromWire(r.fullNat, back);
            read.add(back);
        }));
        assertEquals(1, read.size());
        return read.getFirst();
    }

    @Test
    void anIpv4RecordComesBackWithItsProxyHeader() {
        FullNatRecord sent = new FullNatRecord();
        sent.localAddress = 0xAC100032;
        sent.localPort = 40001;
        sent.proxyHeader = true;
        sent.clientIsn = 1_000_000;
        assertEquals(sent.toString(), acrossTheWire(sent, false).toString());
        assertEquals(false, acrossTheWire(sent, false).ipv6);
    }

    @Test
    void anIpv6RecordComesBackWithItsAddressAndProxyHeader() {
        FullNatRecord sent = new FullNatRecord();
        sent.ipv6 = true;
        sent.localHi = 0xfd000002_00000000L;
        sent.localLo = 0x50;
        sent.localPort = 40001;
        sent.proxyHeader = true;
        sent.clientIsn = 7;
        FullNatRecord back = acrossTheWire(sent, true);
        assertEquals("fullnat [fd00:2::50]:40001 proxy-header isn 7", back.toString());
        assertEquals(true, back.ipv6 && back.valid());
        assertEquals(0, back.localAddress);
    }
}
