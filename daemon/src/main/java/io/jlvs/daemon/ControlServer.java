package io.jlvs.daemon;

import io.jlvs.control.AdmException;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.protocol.ControlProtocol;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import io.jlvs.control.protocol.ProtocolException;
import io.jlvs.control.protocol.ReplySink;
import io.jlvs.platform.libc.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The UNIX-domain control socket of the daemon: each connection carries one typed jlvsadm request (see
 * {@link ControlProtocol}) and gets its replies streamed back. The socket file is mode 0600 in a directory created
 * 0700; a leftover socket file is replaced only when nothing listens on it.
 * <p>
 * At most a fixed number of clients are served at once, each on its own platform thread at nice 10; a client
 * beyond that gets a "daemon busy" answer at once. A client that sends no request within the request timeout
 * (30 s) is disconnected, so it cannot hold a slot; one that stops reading its replies gets the longer reader
 * timeout (10 min), because a listing piped into a pager is read as slowly as the operator pages. When accepting
 * fails (for example when the process is out of file descriptors) the acceptor waits before it tries again, with
 * an exponential backoff up to a cap.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    public static final int DEFAULT_MAX_CLIENTS = 16;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READER_TIMEOUT = Duration.ofMinutes(10);
    /** The first wait after a failed accept; it doubles with each failure in a row, up to the cap. */
    static final long FIRST_BACKOFF_MILLIS = 10;
    static final long MAX_BACKOFF_MILLIS = 1000;
    private static final int CLIENT_NICE = 10;

    /** Takes the next client from the listening channel (tests inject failures here). */
    @FunctionalInterface
    interface Acceptor {
        SocketChannel accept(ServerSocketChannel server) throws IOException;
    }

    /** Waits between failed accepts (tests record the waits instead of sleeping). */
    @FunctionalInterface
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    private final Path socketPath;
    private final AdmExecutor executor;
    private final int maxClients;
    private final long requestTimeoutNanos;
    private final long readerTimeoutNanos;
    private final Acceptor acceptor;
    private final Pause pause;
    private final Semaphore slots;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;
    private Thread acceptThread;
    private ScheduledExecutorService watchdog;
    private volatile boolean closed;

    public ControlServer(Path socketPath, AdmExecutor executor) {
        this(socketPath, executor, DEFAULT_MAX_CLIENTS, DEFAULT_REQUEST_TIMEOUT, DEFAULT_READER_TIMEOUT,
                ServerSocketChannel::accept, Thread::sleep);
    }

    ControlServer(Path socketPath, AdmExecutor executor, int maxClients, Duration requestTimeout,
                  Duration readerTimeout, Acceptor acceptor, Pause pause) {
        if (maxClients < 1) throw new IllegalArgumentException("maxClients must be at least 1: " + maxClients);
        if (requestTimeout.isNegative() || requestTimeout.isZero() || readerTimeout.isNegative() || readerTimeout.isZero())
            throw new IllegalArgumentException("client timeouts must be positive: " + requestTimeout + ", " + readerTimeout);
        this.socketPath = socketPath;
        this.executor = executor;
        this.maxClients = maxClients;
        this.requestTimeoutNanos = requestTimeout.toNanos();
        this.readerTimeoutNanos = readerTimeout.toNanos();
        this.acceptor = acceptor;
        this.pause = pause;
        this.slots = new Semaphore(maxClients);
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
        long checkMillis = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(Math.min(requestTimeoutNanos, readerTimeoutNanos)) / 4));
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("jlvs-control-watchdog").daemon().unstarted(r));
        watchdog.scheduleWithFixedDelay(this::disconnectStalledClients, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        acceptThread = Thread.ofPlatform().name("jlvs-control").daemon().start(this::acceptLoop);
    }

    private boolean somebodyListens() {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        long backoffMillis = 0;
        while (!closed) {
            SocketChannel client;
            try {
                client = acceptor.accept(server);
            } catch (IOException e) {
                if (closed) return;
                backoffMillis = backoffMillis == 0 ? FIRST_BACKOFF_MILLIS : Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
                LOG.warn("control socket {}: accepting a client failed ({}); trying again in {} ms",
                        socketPath, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), backoffMillis);
                try {
                    pause.pause(backoffMillis);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (backoffMillis != 0) {
                LOG.info("control socket {}: accepting clients again", socketPath);
                backoffMillis = 0;
            }
            if (!slots.tryAcquire()) {
                refuseBusy(client);
                continue;
            }
            Session session = new Session(client);
            sessions.add(session);
            try {
                // A platform thread at nice 10: a listing of a million connections yields the CPU to the workers.
                Thread.ofPlatform().name("jlvs-control-client").daemon().start(() -> {
                    try {
                        Libc.setCurrentThreadNice(CLIENT_NICE);
                    } catch (IOException | RuntimeException e) {
                        // Best effort: without it the listing merely competes with forwarding on equal terms.
                    }
                    serve(session);
                });
            } catch (OutOfMemoryError | RuntimeException e) {
                LOG.warn("control socket {}: cannot start a thread for a client: {}", socketPath, e.toString());
                endSession(session);
            }
        }
    }

    /**
     * Answers a client beyond the limit with a "daemon busy" failure, without reading its request. The answer is
     * written without blocking: the acceptor never waits on a client.
     */
    private void refuseBusy(SocketChannel client) {
        try (client) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            ControlProtocol.writeHello(out);
            answerFailure(reply -> ControlProtocol.writeReply(out, reply), "jlvs: daemon busy: " + maxClients
                    + " control clients are being served; try again", 1);
            client.configureBlocking(false);
            client.write(ByteBuffer.wrap(bytes.toByteArray()));
        } catch (IOException e) {
            // the client is gone already
        }
        LOG.warn("control socket {}: {} clients are being served; answered another one that the daemon is busy",
                socketPath, maxClients);
    }

    /** One client being served; waitingSince and waitLimit describe the current wait on it, if any. */
    private static final class Session {
        static final long NOT_WAITING = Long.MIN_VALUE;
        final SocketChannel channel;
        volatile long waitingSince = NOT_WAITING;
        volatile long waitLimitNanos;

        Session(SocketChannel channel) { this.channel = channel; }

        void waitOnClient(long limitNanos) {
            waitLimitNanos = limitNanos;
            waitingSince = System.nanoTime();
        }

        void working() { waitingSince = NOT_WAITING; }
    }

    private void disconnectStalledClients() {
        long now = System.nanoTime();
        for (Session s : sessions) {
            long since = s.waitingSince;
            long limit = s.waitLimitNanos;
            if (since != Session.NOT_WAITING && now - since > limit) {
                LOG.warn("control socket {}: a client kept the daemon waiting for more than {} ms; disconnecting it",
                        socketPath, TimeUnit.NANOSECONDS.toMillis(limit));
                s.working();
                try {
                    s.channel.close();   // the serving thread's blocked read or write fails and it ends
                } catch (IOException e) {
                    // closed anyway
                }
            }
        }
    }

    private void serve(Session session) {
        SocketChannel client = session.channel;
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client), 64 * 1024));
        ReplySink sink = reply -> {
            session.waitOnClient(readerTimeoutNanos);
            try {
                ControlProtocol.writeReply(out, reply);
                if (reply instanceof ControlReply.Outcome) out.flush();
            } finally {
                session.working();
            }
        };
        try (client) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client), 64 * 1024));
            ControlRequest request;
            int version;
            session.waitOnClient(requestTimeoutNanos);
            try {
                version = ControlProtocol.readHello(in);
                request = version == ControlProtocol.VERSION ? ControlProtocol.readRequest(in) : null;
            } catch (ProtocolException e) {
                session.working();
                LOG.warn("control socket {}: a client sent a malformed request: {}", socketPath, e.getMessage());
                ControlProtocol.writeHello(out);
                answerFailure(sink, "jlvs: malformed control request: " + e.getMessage(), 1);
                return;
            }
            session.working();
            ControlProtocol.writeHello(out);
            if (request == null) {
                answerFailure(sink, "jlvs: this daemon speaks control protocol version " + ControlProtocol.VERSION
                        + ", the client version " + version + ": use the jlvsadm of the running jlvs", 1);
                return;
            }
            try {
                executor.handle(request, sink);
            } catch (UncheckedIOException e) {
                throw e.getCause();   // the client went away
            } catch (RuntimeException e) {
                LOG.error("control socket {}: running {} failed", socketPath, request, e);
                answerFailure(sink, "jlvs: internal error: " + e, AdmException.REFUSED);
            }
        } catch (EOFException e) {
            // the client disconnected before sending a whole request
        } catch (IOException e) {
            LOG.debug("control socket {}: client connection ended: {}", socketPath, e.toString());
        } finally {
            endSession(session);
        }
    }

    /** A request's whole answer when the daemon runs none of it: the failure, then the outcome with its code. */
    private static void answerFailure(ReplySink sink, String message, int exitCode) throws IOException {
        sink.send(new ControlReply.Failure(message, exitCode));
        sink.send(new ControlReply.Outcome(exitCode));
    }

    private void endSession(Session session) {
        if (sessions.remove(session)) slots.release();
        try {
            session.channel.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (server != null) {
            server.close();
            server = null;
            try {
                if (acceptThread != null) {
                    acceptThread.interrupt();   // ends a backoff pause at once
                    acceptThread.join(2000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watchdog.shutdownNow();
            Files.deleteIfExists(socketPath);
        }
    }
}
