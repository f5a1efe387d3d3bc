package io.jlvs.daemon;

import io.jlvs.control.AdmException;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.ControlProtocol;
import io.jlvs.control.FramedOutput;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The UNIX-domain control socket of the daemon: each connection carries one jlvsadm command (see
 * {@link ControlProtocol}) and gets its output streamed back. The socket file is mode 0600 in a directory created
 * 0700; a leftover socket file is replaced only when nothing listens on it.
 */
public final class ControlServer implements AutoCloseable {
    private final Path socketPath;
    private static final int CLIENT_NICE = 10;
    private final AdmExecutor executor;
    private ServerSocketChannel server;
    private Thread acceptor;
    private volatile boolean closed;

    public ControlServer(Path socketPath, AdmExecutor executor) {
        this.socketPath = socketPath;
        this.executor = executor;
    }

    public synchronized void start() throws IOException {
        if (server != null) throw new IllegalStateException("already started");
        Path dir = socketPath.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(socketPath)) {
            if (somebodyListens()) throw new FileAlreadyExistsException(socketPath.toString(), null, "a jlvs daemon already listens there");
            Files.delete(socketPath);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socketPath));
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        server = ch;
        acceptor = Thread.ofPlatform().name("jlvs-control").daemon().start(this::acceptLoop);
    }

    private boolean somebodyListens() {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            // A platform thread at nice 10: a listing of a million connections yields the CPU to the workers.
            Thread.ofPlatform().name("jlvs-control-client").daemon().start(() -> {
                try {
                    io.jlvs.platform.libc.Libc.setCurrentThreadNice(CLIENT_NICE);
                } catch (java.io.IOException | RuntimeException e) {
                    // Best effort: without it the listing merely competes with forwarding on equal terms.
                }
                serve(client);
            });
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(client));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client), 64 * 1024));
            ControlProtocol.Request req = ControlProtocol.readRequest(in);
            FramedOutput frames = new FramedOutput(out);
            int code;
            try {
                code = executor.execute(req.argv(), req.stdin() == null ? "" : req.stdin(), frames.stdout, frames.stderr);
            } catch (RuntimeException e) {
                if (e instanceof UncheckedIOException) throw e;   // the client went away
                frames.stderr.append("jlvs: internal error: " + e + "\n");
                code = AdmException.REFUSED;
            }
            frames.finish(code);
        } catch (IOException | UncheckedIOException e) {
            // the client disconnected or sent garbage; nothing to answer
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (server != null) {
            server.close();
            server = null;
            try {
                if (acceptor != null) acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(socketPath);
        }
    }
}
