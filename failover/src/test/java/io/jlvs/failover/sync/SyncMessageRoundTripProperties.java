package io.jlvs.failover.sync;

import io.jlvs.control.model.Addresses;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whatever the writer packs, in as many messages as maxlen needs, the reader gives back field for field. */
class SyncMessageRoundTripProperties {
    @Property(tries = 300)
    void version1RoundTrips(@ForAll @Size(max = 400) List<@From("entries") SyncEntry> entries,
                            @ForAll @IntRange(min = 1, max = 9000) int maxLength,
                            @ForAll @IntRange(min = 0, max = 255) int syncId) {
        SyncMessageWriter writer = SyncMessageWriter.version1(maxLength, syncId);
        SyncMessageReader reader = new SyncMessageReader(syncId);
        List<String> read = new ArrayList<>();
        for (SyncEntry e : entries) {
            SyncMessageWriter.Append a = writer.append(e);
            if (a == SyncMessageWriter.Append.MESSAGE_FULL) {
                readBack(writer.finish(), maxLength, reader, read);
                a = writer.append(e);
            }
            assertEquals(SyncMessageWriter.Append.ADDED, a);
        }
        if (!writer.isEmpty()) readBack(writer.finish(), maxLength, reader, read);
        assertEquals(entries.stream().map(SyncEntry::toString).toList(), read);
    }

    static void readBack(ByteBuffer message, int maxLength, SyncMessageReader reader, List<String> read) {
        assertTrue(message.remaining() <= maxLength || message.get(SyncLayout.OFF_NR_CONNS) == 1,
                "a message passes maxlen only with an entry alone");
        assertNull(reader.read(message, e -> read.add(e.toString())));
    }

    @Provide
    Arbitrary<SyncEntry> entries() {
        Arbitrary<Integer> protocols = Arbitraries.of(6, 17, 132);
        Arbitrary<Integer> flags = Arbitraries.of(0, 1, 2, 3, SyncEntry.F_OUT_SEQ, SyncEntry.F_TEMPLATE | 3,
                SyncEntry.F_INACTIVE | 3, SyncEntry.F_NO_CPORT | SyncEntry.F_TEMPLATE);
        Arbitrary<long[]> addresses = Arbitraries.longs().array(long[].class).ofSize(6);
        Arbitrary<int[]> numbers = Arbitraries.integers().array(int[].class).ofSize(12);
        Arbitrary<String> peName = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(SyncEntry.PE_NAME_MAX);
        Arbitrary<byte[]> peData = Arbitraries.bytes().array(byte[].class).ofMaxSize(SyncEntry.PE_DATA_MAX);
        return Combinators.combine(protocols, flags, Arbitraries.of(true, false), addresses, numbers, peName, peData)
                .as((protocol, f, ipv6, a, n, name, data) -> {
                    SyncEntry e = new SyncEntry();
                    e.protocol = protocol;
                    e.ipv6 = ipv6;
                    e.flags = f;
                    e.state = Math.floorMod(n[0], SyncLayout.states(protocol, false));
                    e.clientHi = ipv6 ? a[0] : 0;
                    e.clientLo = ipv6 ? a[1] : Addresses.mappedLo((int) a[1]);
                    e.virtualHi = ipv6 ? a[2] : 0;
                    e.virtualLo = ipv6 ? a[3] : Addresses.mappedLo((int) a[3]);
                    e.destHi = ipv6 ? a[4] : 0;
                    e.destLo = ipv6 ? a[5] : Addresses.mappedLo((int) a[5]);
                    e.clientPort = n[1] & 0xFFFF;
                    e.virtualPort = n[2] & 0xFFFF;
                    e.destPort = n[3] & 0xFFFF;
                    e.fwmark = n[4];
                    e.timeoutSeconds = n[5];
                    if (e.hasSeq()) System.arraycopy(n, 6, e.seq, 0, SyncEntry.SEQ_WORDS);
                    if (e.template()) e.peName(name).peData(data);
                    return e;
                });
    }
}
