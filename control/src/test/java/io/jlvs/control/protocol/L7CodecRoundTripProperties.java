package io.jlvs.control.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.control.l7.L7Arbitraries;
import io.jlvs.control.l7.L7Command;
import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7ProxyFigures;
import io.jlvs.control.l7.L7SplicerFigures;
import io.jlvs.control.l7.L7Health;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The layer-7 family: decode(encode(x)) equals x and consumes exactly the frame; a broken frame is a ProtocolException. */
class L7CodecRoundTripProperties {

    @Property(tries = 400)
    void l7RequestsRoundTrip(@ForAll("commands") L7Command command) throws IOException {
        ControlRequest request = new ControlRequest.L7(command);
        byte[] frame = encode(request);
        ByteArrayInputStream in = new ByteArrayInputStream(frame);
        assertEquals(request, ControlProtocol.readRequest(new DataInputStream(in)));
        assertEquals(0, in.available(), "the frame is consumed exactly");
    }

    @Property(tries = 200)
    void l7TablesRoundTrip(@ForAll("tables") ControlReply.L7Table table) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ControlProtocol.writeReply(new DataOutputStream(bytes), table);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
        assertEquals(table, ControlProtocol.readReply(new DataInputStream(in)));
        assertEquals(0, in.available(), "the frame is consumed exactly");
    }

    @Property(tries = 50)
    void aTruncatedL7RequestIsAProtocolError(@ForAll("commands") L7Command command) throws IOException {
        byte[] whole = encode(new ControlRequest.L7(command));
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThrows(ProtocolException.class,
                    () -> ControlProtocol.readRequest(new DataInputStream(new ByteArrayInputStream(part))));
        }
    }

    @Test
    void anUnknownCommandTagOrOutOfRangeFieldIsAProtocolError() throws IOException {
        byte[] frame = encode(new ControlRequest.L7(new L7Command.Flush()));
        frame[frame.length - 1] = 99;
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> ControlProtocol.readRequest(new DataInputStream(new ByteArrayInputStream(frame))));
        assertTrue(e.getMessage().contains("unknown layer-7 command 99"), e.getMessage());
        byte[] server = encode(new ControlRequest.L7(new L7Command.AddServer("web",
                new io.jlvs.control.l7.L7Server(new io.jlvs.control.l7.L7Endpoint(1, 80), 1))));
        server[server.length - 4] = 0x7F; // the weight's high byte: far beyond 65535
        assertThrows(ProtocolException.class,
                () -> ControlProtocol.readRequest(new DataInputStream(new ByteArrayInputStream(server))));
    }

    private static byte[] encode(ControlRequest request) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ControlProtocol.writeRequest(new DataOutputStream(bytes), request);
        return bytes.toByteArray();
    }

    @Provide
    Arbitrary<L7Command> commands() {
        return L7Arbitraries.commands();
    }

    @Provide
    Arbitrary<ControlReply.L7Table> tables() {
        Arbitrary<List<Long>> counts = Arbitraries.longs().list().ofMaxSize(5);
        Arbitrary<L7Health> health = Arbitraries.of(L7Health.ServerState.class).list().ofMaxSize(5).map(L7Health::new);
        Arbitrary<L7Counters> counters = Combinators.combine(counts, counts, proxyFigures(), splicerFigures())
                .as(L7Counters::new);
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                L7Arbitraries.configs(), counters, health).as((all, numeric, stats, config, figures, states) ->
                new ControlReply.L7Table(all, numeric, stats, rows(config, figures, states)));
    }

    private static Arbitrary<L7ProxyFigures> proxyFigures() {
        return Arbitraries.longs().greaterOrEqual(0).list().ofSize(9).map(v -> new L7ProxyFigures(v.get(0), v.get(1),
                v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), v.get(7), v.get(8)));
    }

    private static Arbitrary<L7SplicerFigures> splicerFigures() {
        return Combinators.combine(Arbitraries.of("", "sockmap", "pipe", "copy"), Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.longs().greaterOrEqual(0)).as(L7SplicerFigures::new);
    }

    private static List<ControlReply.L7ServiceRow> rows(L7Config config, L7Counters counters, L7Health health) {
        return config.services().stream().map(s -> new ControlReply.L7ServiceRow(s, counters, health)).toList();
    }
}
