package io.jlvs.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The jlvsadm side of the control socket: sends one command, copies the streamed output, returns the exit code. */
public final class ControlClient {
    private ControlClient() {}

    /**
     * Runs argv in the daemon. stdin is read and sent only for -R (null = no input). When the daemon cannot be
     * reached, prints a message naming the socket and returns 1.
     */
    public static int run(Path socketPath, String[] argv, InputStream stdin, PrintStream out, PrintStream err) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException | UnsupportedOperationException e) {
            err.println(IpvsadmParser.PROGRAM + ": cannot reach jlvs at " + socketPath + ": is `jlvs daemon` running? ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            return 1;
        }
        try (ch) {
            String input = null;
            if (stdin != null) input = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            DataOutputStream os = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
            ControlProtocol.writeRequest(os, argv, input);
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024));
            byte[] buf = new byte[ControlProtocol.CHUNK * 4];
            while (true) {
                byte kind = in.readByte();
                int len = in.readInt();
                if (len < 0 || len > ControlProtocol.MAX_TEXT) throw new IOException("bad frame length " + len);
                if (len > buf.length) buf = new byte[len];
                in.readFully(buf, 0, len);
                switch (kind) {
                    case ControlProtocol.STDOUT -> out.write(buf, 0, len);
                    case ControlProtocol.STDERR -> { out.flush(); err.write(buf, 0, len); err.flush(); }
                    case ControlProtocol.EXIT -> {
                        out.flush();
                        return ((buf[0] & 0xFF) << 24) | ((buf[1] & 0xFF) << 16) | ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
                    }
                    default -> throw new IOException("bad frame kind " + kind);
                }
            }
        } catch (EOFException e) {
            err.println(IpvsadmParser.PROGRAM + ": jlvs at " + socketPath + " closed the connection before answering");
            return 1;
        } catch (IOException e) {
            err.println(IpvsadmParser.PROGRAM + ": talking to jlvs at " + socketPath + ": " + e.getMessage());
            return 1;
        }
    }
}
