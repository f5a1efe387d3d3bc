package io.jlvs.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Framing on the control socket.
 * <pre>
 * request:  int MAGIC | int argc | argc x (int len | UTF-8 bytes) | int stdinLen (-1: none) | UTF-8 bytes
 * response: frames until EXIT: byte kind | int len | payload
 *           kind 'O' stdout text, 'E' stderr text (UTF-8), 'X' exit code (len 4, int)
 * </pre>
 * Output is sent in frames of at most {@link #CHUNK} characters as it is produced, so a long listing streams.
 */
public final class ControlProtocol {
    static final int MAGIC = 0x4A4C5631;     // "JLV1"
    static final byte STDOUT = 'O', STDERR = 'E', EXIT = 'X';
    static final int CHUNK = 32 * 1024;
    static final int MAX_ARGS = 4096;
    static final int MAX_TEXT = 256 * 1024 * 1024;

    private ControlProtocol() {}

    public record Request(String[] argv, String stdin) {}

    static void writeRequest(DataOutputStream out, String[] argv, String stdin) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(argv.length);
        for (String a : argv) writeText(out, a);
        if (stdin == null) out.writeInt(-1);
        else writeText(out, stdin);
        out.flush();
    }

    public static Request readRequest(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("not a jlvsadm request");
        int argc = in.readInt();
        if (argc < 0 || argc > MAX_ARGS) throw new IOException("bad argument count " + argc);
        String[] argv = new String[argc];
        for (int i = 0; i < argc; i++) argv[i] = readText(in);
        String stdin = readText(in);
        return new Request(argv, stdin);
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len == -1) return null;
        if (len < 0 || len > MAX_TEXT) throw new IOException("bad length " + len);
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    static void writeFrame(DataOutputStream out, byte kind, byte[] payload, int len) throws IOException {
        out.writeByte(kind);
        out.writeInt(len);
        out.write(payload, 0, len);
    }
}
