package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;

import io.jlvs.control.protocol.ControlProtocol;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ReplySink;
import io.jlvs.control.protocol.ControlRequest;
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

/**
 * The jlvsadm side of the control socket: sends one typed request, prints the replies as they arrive (a long
 * connection listing is printed batch by batch), returns the exit code.
 */
public final class ControlClient {
    private ControlClient() {}

    /**
     * Parses argv and runs it in the daemon; for -R, stdin is read and its lines parsed here (null = no input).
     * A command line with bad syntax is reported without contacting the daemon.
     */
    public static int run(Path socketPath, String[] argv, InputStream stdin, PrintStream out, PrintStream err) {
        AdmCommand command;
        try {
            command = IpvsadmParser.parse(argv);
        } catch (AdmException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        return run(socketPath, command, stdin, out, err);
    }

    /** Runs a parsed command in the daemon; for -R, stdin is read and its lines parsed here (null = no input). */
    public static int run(Path socketPath, AdmCommand command, InputStream stdin, PrintStream out, PrintStream err) {
        String input = "";
        if (command instanceof AdmCommand.Restore && stdin != null) {
            try {
                input = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println(IpvsadmParser.PROGRAM + ": reading the rules from standard input: " + e.getMessage());
                return 1;
            }
        }
        return run(socketPath, AdmExecutor.requestOf(command, input), out, err, NameResolver.system());
    }

    /**
     * Runs a request in the daemon and prints its replies, naming hosts and ports with resolver unless the
     * listing is numeric. When the daemon cannot be reached or breaks the protocol, prints a message naming the
     * socket and returns 1.
     */
    public static int run(Path socketPath, ControlRequest request, PrintStream out, PrintStream err,
                          NameResolver resolver) {
        ReplyPrinter printer = new ReplyPrinter(out, err, resolver);
        int code = exchange(socketPath, request, printer, err);
        out.flush();
        return code;
    }

    /**
     * Sends request to the daemon and hands every reply before the Outcome to sink; returns the Outcome's exit
     * code. When the daemon cannot be reached or breaks the protocol, prints a message naming the socket on err
     * and returns 1.
     */
    public static int exchange(Path socketPath, ControlRequest request, ReplySink sink, PrintStream err) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException | UnsupportedOperationException e) {
            err.println(IpvsadmParser.PROGRAM + ": cannot reach jlvs at " + socketPath + ": is `jlvs daemon` running? ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            return 1;
        }
        try (ch) {
            DataOutputStream os = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024));
            IOException sendFailure = null;
            try {
                ControlProtocol.writeHello(os);
                ControlProtocol.writeRequest(os, request);
                os.flush();
            } catch (IOException e) {
                // A busy daemon answers and closes without reading a large request: its answer may still be there.
                sendFailure = e;
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024));
            int version;
            try {
                version = ControlProtocol.readHello(in);
            } catch (IOException e) {
                throw sendFailure != null ? sendFailure : e;
            }
            if (version != ControlProtocol.VERSION) {
                err.println(IpvsadmParser.PROGRAM + ": jlvs at " + socketPath + " speaks control protocol version "
                        + version + ", this client version " + ControlProtocol.VERSION
                        + ": use the client of the running jlvs");
                return 1;
            }
            while (true) {
                ControlReply reply = ControlProtocol.readReply(in);
                if (reply instanceof ControlReply.Outcome o) return o.exitCode();
                sink.send(reply);
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
