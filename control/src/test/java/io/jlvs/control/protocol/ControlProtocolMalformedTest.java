package io.jlvs.control.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** A malformed or truncated frame is a clear ProtocolException (or EOF before any frame), never anything else. */
class ControlProtocolMalformedTest {
    private static final ServiceKey KEY = ServiceKey.of(Protocol.TCP, 0, 0x0000_FFFF_0A00_0001L, 80);
    private static final ControlReply TABLE = new ControlReply.ServiceTable(ControlReply.TableKind.ALL, ListFormat.NUMERIC,
            4096, List.of(new ControlReply.ServiceRow(ServiceConfig.of(KEY, "rr"), ServiceStats.ZERO,
                    List.of(new ControlReply.RealServerRow(RealServerConfig.of(0, 0x0000_FFFF_AC10_0002L, 80,
                            ForwardMethod.MASQ, 1), RealServerStats.ZERO)))));
    private static final ControlRequest RESTORE = new ControlRequest.Restore(
            List.of(new AdmCommand.AddService(ServiceConfig.of(KEY, "wrr")), new AdmCommand.Clear()),
            new ControlReply.Failure("Illegal address", 2));

    private static byte[] encode(ControlReply reply) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ControlProtocol.writeReply(new DataOutputStream(bytes), reply);
        return bytes.toByteArray();
    }

    private static byte[] encode(ControlRequest request) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ControlProtocol.writeRequest(new DataOutputStream(bytes), request);
        return bytes.toByteArray();
    }

    private static DataInputStream in(byte[] b) {
        return new DataInputStream(new ByteArrayInputStream(b));
    }

    @Test
    void aTruncatedReplyIsAProtocolErrorAtEveryCut() throws IOException {
        byte[] whole = encode(TABLE);
        assertThrows(EOFException.class, () -> ControlProtocol.readReply(in(new byte[0])), "no frame at all: end of stream");
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            ProtocolException e = assertThrows(ProtocolException.class, () -> ControlProtocol.readReply(in(part)),
                    "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated service table message"), e.getMessage());
        }
    }

    @Test
    void aTruncatedRequestIsAProtocolErrorAtEveryCut() throws IOException {
        byte[] whole = encode(RESTORE);
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            ProtocolException e = assertThrows(ProtocolException.class, () -> ControlProtocol.readRequest(in(part)));
            assertTrue(e.getMessage().startsWith("truncated restore request message"), e.getMessage());
        }
    }

    @Test
    void anUnknownMessageTypeIsNamed() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> ControlProtocol.readReply(in(new byte[] {0x7F, 0, 0, 0, 0})));
        assertEquals("unknown reply type 0x7f", e.getMessage());
        e = assertThrows(ProtocolException.class, () -> ControlProtocol.readRequest(in(new byte[] {(byte) 0x99})));
        assertEquals("unknown request type 0x99", e.getMessage());
    }

    @Test
    void aLyingLengthIsRefusedBeforeAnythingIsAllocated() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> ControlProtocol.readReply(in(new byte[] {ControlProtocol.FAILURE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0})));
        assertEquals("bad length -16 of a failure message", e.getMessage());
        e = assertThrows(ProtocolException.class,
                () -> ControlProtocol.readReply(in(new byte[] {ControlProtocol.FAILURE, 0x7F, 0, 0, 0})));
        assertEquals("bad length 2130706432 of a failure message", e.getMessage());
    }

    @Test
    void aPayloadLongerOrShorterThanItsFieldsIsRefused() throws IOException {
        byte[] outcome = encode(new ControlReply.Outcome(0));   // type, length 4, int
        byte[] longer = Arrays.copyOf(outcome, outcome.length + 2);
        longer[4] = 6;
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlProtocol.readReply(in(longer)));
        assertEquals("malformed outcome message: 2 bytes left over", e.getMessage());

        byte[] shorter = Arrays.copyOf(outcome, outcome.length - 1);
        shorter[4] = 3;
        e = assertThrows(ProtocolException.class, () -> ControlProtocol.readReply(in(shorter)));
        assertEquals("malformed outcome message: its fields run past its 3 bytes", e.getMessage());
    }

    @Test
    void badFieldValuesAreRefusedWithTheirReason() throws IOException {
        byte[] header = encode(new ControlReply.ConnectionsHeader(true, false));
        header[5] = 7;   // a boolean that is neither 0 nor 1
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlProtocol.readReply(in(header)));
        assertEquals("malformed connections header message: bad boolean 7", e.getMessage());

        byte[] table = encode(TABLE);
        table[5] = 9;    // the table kind: no such constant
        e = assertThrows(ProtocolException.class, () -> ControlProtocol.readReply(in(table)));
        assertEquals("malformed service table message: bad TableKind 8", e.getMessage());

        byte[] run = encode(new ControlRequest.Run(new AdmCommand.DeleteService(KEY)));
        run[5 + 1 + 1 + 16 + 2 + 4] = 5;   // tag, protocol, address, port, fwmark: then the family, 5
        e = assertThrows(ProtocolException.class, () -> ControlProtocol.readRequest(in(run)));
        assertEquals("malformed run request message: af must be 4 or 6: 5", e.getMessage());
    }

    @Test
    void aWrongMagicIsNotTakenForAClient() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> ControlProtocol.readHello(in(new byte[] {'J', 'L', 'V', '1', 0, 0})));
        assertEquals("not a jlvs control connection (magic 0x4a4c5631)", e.getMessage());
    }

    @Property(tries = 500)
    void arbitraryBytesDecodeOrFailCleanly(@ForAll byte[] garbage) {
        for (boolean request : new boolean[] {true, false}) {
            try {
                if (request) ControlProtocol.readRequest(in(garbage));
                else ControlProtocol.readReply(in(garbage));
            } catch (IOException e) {
                assertTrue(e instanceof ProtocolException || (e instanceof EOFException && garbage.length == 0), e.toString());
            }
        }
    }
}
