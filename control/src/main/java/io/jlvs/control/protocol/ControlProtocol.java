package io.jlvs.control.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The control socket's wire format: a compact, versioned binary encoding over DataInput/DataOutput.
 * <pre>
 * hello:   int MAGIC | short VERSION          (each side sends its own first: client, then daemon)
 * frame:   byte type | int length | payload   (payload fields in the explicit order of the family's codec)
 * session: client hello, one request frame; daemon hello, reply frames ending with one OUTCOME frame
 * </pre>
 * A request is RUN (one AdmCommand), RESTORE (the parsed -R input), STATUS, DRAIN, RELOAD, DIRECTOR_DRAIN or L7_RUN (one tcpvsadm
 * command). Replies are rows and failures; a connection
 * listing arrives as a header and batches of {@link #CONNECTION_BATCH_ROWS} rows. A frame that is truncated, too
 * long, of unknown type, or whose payload does not decode exactly is a {@link ProtocolException}; a stream that
 * ends before a frame begins is an EOFException.
 */
public final class ControlProtocol {
    public static final int MAGIC = 0x4A4C5643;   // "JLVC"
    public static final short VERSION = 1;
    /** Largest frame accepted: a restore of many thousands of lines fits; garbage lengths are refused early. */
    public static final int MAX_FRAME = 64 * 1024 * 1024;
    /** Rows per connection batch the daemon sends (and the most a reader accepts), so a listing streams. */
    public static final int CONNECTION_BATCH_ROWS = 1024;
    static final int MAX_CONNECTION_BATCH = 64 * 1024;

    static final byte RUN = 0x01, RESTORE = 0x02, STATUS = 0x03, DRAIN = 0x04, RELOAD = 0x05, L7_RUN = 0x06,
            DIRECTOR_DRAIN = 0x07;
    static final byte FAILURE = 0x10, OUTCOME = 0x11, SERVICE_TABLE = 0x12, MARK_RULES = 0x13,
            CONNECTIONS_HEADER = 0x14, CONNECTION_BATCH = 0x15, TIMEOUTS = 0x16, SYSCTLS = 0x17,
            SYNC_DAEMONS = 0x18, USAGE = 0x19, HEALTH = 0x1A, NOTICE = 0x1B, VRRP = 0x1C, L7_TABLE = 0x1D, BGP = 0x1E;

    private ControlProtocol() {}

    public static void writeHello(DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
    }

    /** Reads the peer's hello and returns its protocol version; a wrong magic is a ProtocolException. */
    public static int readHello(DataInput in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC)
            throw new ProtocolException("not a jlvs control connection (magic 0x" + Integer.toHexString(magic) + ")");
        return in.readUnsignedShort();
    }

    public static void writeRequest(DataOutput out, ControlRequest request) throws IOException {
        switch (request) {
            case ControlRequest.Run r -> writeFrame(out, RUN, o -> RequestCodec.writeRun(o, r));
            case ControlRequest.Restore r -> writeFrame(out, RESTORE, o -> RequestCodec.writeRestore(o, r));
            case ControlRequest.Status r -> writeFrame(out, STATUS, o -> {});
            case ControlRequest.Drain r -> writeFrame(out, DRAIN, o -> RequestCodec.writeDrain(o, r));
            case ControlRequest.Reload r -> writeFrame(out, RELOAD, o -> {});
            case ControlRequest.DirectorDrain r -> writeFrame(out, DIRECTOR_DRAIN, o -> o.writeBoolean(r.drain()));
            case ControlRequest.L7 r -> writeFrame(out, L7_RUN, o -> L7Codec.writeCommand(o, r.command()));
        }
    }

    public static ControlRequest readRequest(DataInput in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case RUN -> readPayload(in, type, "run request", RequestCodec::readRun);
            case RESTORE -> readPayload(in, type, "restore request", RequestCodec::readRestore);
            case STATUS -> readPayload(in, type, "status request", i -> new ControlRequest.Status());
            case DRAIN -> readPayload(in, type, "drain request", RequestCodec::readDrain);
            case RELOAD -> readPayload(in, type, "reload request", i -> new ControlRequest.Reload());
            case DIRECTOR_DRAIN -> readPayload(in, type, "director drain request",
                    i -> new ControlRequest.DirectorDrain(Wire.readFlag(i)));
            case L7_RUN -> readPayload(in, type, "layer-7 request", i -> new ControlRequest.L7(L7Codec.readCommand(i)));
            default -> throw new ProtocolException("unknown request type 0x" + Integer.toHexString(type & 0xFF));
        };
    }

    public static void writeReply(DataOutput out, ControlReply reply) throws IOException {
        switch (reply) {
            case ControlReply.Failure r -> writeFrame(out, FAILURE, o -> OutcomeCodec.writeFailure(o, r));
            case ControlReply.Outcome r -> writeFrame(out, OUTCOME, o -> OutcomeCodec.writeOutcome(o, r));
            case ControlReply.ServiceTable r -> writeFrame(out, SERVICE_TABLE, o -> ServiceTableCodec.write(o, r));
            case ControlReply.MarkRules r -> writeFrame(out, MARK_RULES, o -> SettingsCodec.writeMarkRules(o, r));
            case ControlReply.ConnectionsHeader r -> writeFrame(out, CONNECTIONS_HEADER, o -> ConnectionCodec.writeHeader(o, r));
            case ControlReply.ConnectionBatch r -> writeFrame(out, CONNECTION_BATCH, o -> ConnectionCodec.writeBatch(o, r));
            case ControlReply.TimeoutValues r -> writeFrame(out, TIMEOUTS, o -> SettingsCodec.writeTimeouts(o, r));
            case ControlReply.SysctlValues r -> writeFrame(out, SYSCTLS, o -> SettingsCodec.writeSysctls(o, r));
            case ControlReply.SyncDaemons r -> writeFrame(out, SYNC_DAEMONS, o -> SettingsCodec.writeSyncDaemons(o, r));
            case ControlReply.Usage r -> writeFrame(out, USAGE, o -> SettingsCodec.writeUsage(o, r));
            case ControlReply.Health r -> writeFrame(out, HEALTH, o -> HealthCodec.write(o, r));
            case ControlReply.Notice r -> writeFrame(out, NOTICE, o -> Wire.writeString(o, r.message()));
            case ControlReply.Vrrp r -> writeFrame(out, VRRP, o -> VrrpCodec.write(o, r));
            case ControlReply.Bgp r -> writeFrame(out, BGP, o -> BgpCodec.write(o, r));
            case ControlReply.L7Table r -> writeFrame(out, L7_TABLE, o -> L7Codec.writeTable(o, r));
        }
    }

    public static ControlReply readReply(DataInput in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case FAILURE -> readPayload(in, type, "failure", OutcomeCodec::readFailure);
            case OUTCOME -> readPayload(in, type, "outcome", OutcomeCodec::readOutcome);
            case SERVICE_TABLE -> readPayload(in, type, "service table", ServiceTableCodec::read);
            case MARK_RULES -> readPayload(in, type, "mark rules", SettingsCodec::readMarkRules);
            case CONNECTIONS_HEADER -> readPayload(in, type, "connections header", ConnectionCodec::readHeader);
            case CONNECTION_BATCH -> readPayload(in, type, "connection batch", ConnectionCodec::readBatch);
            case TIMEOUTS -> readPayload(in, type, "timeouts", SettingsCodec::readTimeouts);
            case SYSCTLS -> readPayload(in, type, "sysctl values", SettingsCodec::readSysctls);
            case SYNC_DAEMONS -> readPayload(in, type, "sync daemons", SettingsCodec::readSyncDaemons);
            case USAGE -> readPayload(in, type, "usage", SettingsCodec::readUsage);
            case HEALTH -> readPayload(in, type, "health", HealthCodec::read);
            case NOTICE -> readPayload(in, type, "notice", i -> new ControlReply.Notice(Wire.readString(i)));
            case VRRP -> readPayload(in, type, "vrrp", VrrpCodec::read);
            case BGP -> readPayload(in, type, "bgp", BgpCodec::read);
            case L7_TABLE -> readPayload(in, type, "layer-7 table", L7Codec::readTable);
            default -> throw new ProtocolException("unknown reply type 0x" + Integer.toHexString(type & 0xFF));
        };
    }

    @FunctionalInterface
    private interface PayloadWriter {
        void write(DataOutput out) throws IOException;
    }

    private static void writeFrame(DataOutput out, byte type, PayloadWriter payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        payload.write(new DataOutputStream(bytes));
        if (bytes.size() > MAX_FRAME) throw new ProtocolException("message of " + bytes.size() + " bytes is too large");
        out.writeByte(type);
        out.writeInt(bytes.size());
        out.write(bytes.toByteArray());
    }

    /**
     * Reads the length and payload of a frame whose type byte was read, and decodes it; the payload must decode
     * to exactly its length. The payload is read in bounded chunks, so a lying length costs no more memory than
     * the bytes that really arrive.
     */
    private static <T> T readPayload(DataInput in, byte type, String what, Wire.Reader<T> decoder) throws IOException {
        int len;
        byte[] payload;
        try {
            len = in.readInt();
            if (len < 0 || len > MAX_FRAME) throw new ProtocolException("bad length " + len + " of a " + what + " message");
            payload = readBytes(in, len);
        } catch (EOFException e) {
            throw new ProtocolException("truncated " + what + " message: the connection ended inside it", e);
        }
        DataInputStream data = new DataInputStream(new ByteArrayInputStream(payload));
        T value;
        try {
            value = decoder.read(data);
        } catch (EOFException e) {
            throw new ProtocolException("malformed " + what + " message: its fields run past its " + len + " bytes", e);
        } catch (ProtocolException e) {
            throw new ProtocolException("malformed " + what + " message: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ProtocolException("malformed " + what + " message: " + e.getMessage(), e);
        }
        if (data.available() != 0)
            throw new ProtocolException("malformed " + what + " message: " + data.available() + " bytes left over");
        return value;
    }

    private static byte[] readBytes(DataInput in, int len) throws IOException {
        final int chunk = 1024 * 1024;
        if (len <= chunk) {
            byte[] b = new byte[len];
            in.readFully(b);
            return b;
        }
        ByteArrayOutputStream collected = new ByteArrayOutputStream(chunk);
        byte[] b = new byte[chunk];
        for (int left = len; left > 0; ) {
            int n = Math.min(left, chunk);
            in.readFully(b, 0, n);
            collected.write(b, 0, n);
            left -= n;
        }
        return collected.toByteArray();
    }
}
