package io.jlvs.failover.sync;

import io.jlvs.platform.log.RateLimitedLog;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The IPVS connection sync daemon of {@code ipvsadm --start-daemon master|backup}, on one Netty epoll event loop
 * thread. As master it drains the connections the data plane offers ({@link Source}) every {@link #TICK_MILLIS}
 * ms, packs them into version 1 messages of at most maxlen bytes ({@link SyncMessageWriter}) and multicasts them
 * ({@link SyncSender}); as backup it hands every entry received ({@link SyncReceiver}, {@link SyncMessageReader})
 * to the {@link Target}.
 * <p>
 * Beyond the kernel, a bulk resync: a backup, when it starts or becomes backup, multicasts a resync request
 * ({@link SyncControl#RESYNC_REQUEST}, a header a kernel reads as an empty version 0 message) every second until
 * answered, at most {@link #RESYNC_TRIES} times. A jlvs master answers by walking its whole table into ordinary
 * version 1 messages on a thread of its own, paced by the event loop ({@link #RESYNC_MESSAGES_PER_TICK} messages
 * a tick, after the tick's new connections) so that new connections still reach the backups in time, then sends
 * {@link SyncControl#RESYNC_END}. A backup that has received the end reports {@link #resyncComplete()} (VRRP holds
 * preemption until then); one whose requests went unanswered (a kernel master does not resync) reports it after
 * the last try, counted in {@link #resyncsUnanswered()}.
 */
public final class SyncDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncDaemon.class);
    /** The master sends what the data plane offered this often: a new connection reaches a backup in a few ms. */
    static final int TICK_MILLIS = 2;
    /** Connections drained per tick at most: some 2 million a second. */
    static final int DRAIN_PER_TICK = 4096;
    /** Resync messages a tick at most: 8,000 messages (some 300,000 entries) a second, within a backup's buffer. */
    static final int RESYNC_MESSAGES_PER_TICK = 16;
    static final long RESYNC_RETRY_NANOS = 1_000_000_000L;
    static final int RESYNC_TRIES = 10;

    /** ipvsadm --start-daemon's settings: the interface, --syncid, --sync-maxlen, --mcast-group/-port/-ttl. */
    public record Settings(String interfaceName, int syncId, int maxLength, InetAddress group, int port, int ttl) {
        public Settings {
            if (syncId < 0 || syncId > 255) throw new IllegalArgumentException("syncid " + syncId + " outside 0..255");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("mcast port " + port);
            if (ttl < 1 || ttl > 255) throw new IllegalArgumentException("mcast ttl " + ttl + " outside 1..255");
            if (!group.isMulticastAddress() || group.getAddress().length != 4) {
                throw new IllegalArgumentException("mcast group " + group.getHostAddress() + " is not IPv4 multicast");
            }
        }

        /**
         * The longest message payload when none is set: the interface's MTU as it is now, less the IPv4 and UDP
         * headers, at least 256 (IPVS sizes its sync messages from the interface's MTU when a daemon starts, too).
         */
        public static int defaultMaxLength(String interfaceName) throws IOException {
            NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            if (nic == null) throw new IOException("no network interface named " + interfaceName);
            return Math.max(256, nic.getMTU() - 28);
        }
    }

    /**
     * What the master sends: the connections offered since the last call, and the whole table for a resync. The
     * entry is reused: an implementation fills {@code into} and hands it to {@code each}, which has used it when
     * it returns.
     */
    public interface Source {
        /** Fills {@code into} with up to max offered connections, handing each to {@code each}; returns how many. */
        int drain(SyncEntry into, Consumer<SyncEntry> each, int max);

        /** Every live connection, each through {@code each}, on the caller's thread (the resync's own). */
        void walk(SyncEntry into, Consumer<SyncEntry> each);
    }

    /** Where a backup puts what it receives, on the event loop's thread; the entry is valid during the call. */
    public interface Target {
        void accept(SyncEntry entry);
    }

    public enum Role { MASTER, BACKUP }

    private final Settings settings;
    private final Source source;
    private final Target target;
    private final EventLoopGroup loop;
    private final SyncEntry draining = new SyncEntry();
    private final SyncMessageWriter writer;
    private final SyncMessageReader reader;
    private final ByteBuffer controlMessage = ByteBuffer.allocate(SyncLayout.HEADER_BYTES);
    private final Semaphore resyncCredits = new Semaphore(0);
    private final AtomicLong entriesSent = new AtomicLong(), entriesReceived = new AtomicLong(),
            entriesUnsendable = new AtomicLong(), resyncsSent = new AtomicLong(), resyncsUnanswered = new AtomicLong();
    private final Consumer<SyncEntry> queue = this::queue;
    /** A failure that repeats repeats every tick or entry: a few lines a minute say why. */
    private final RateLimitedLog failures = new RateLimitedLog(LOG, 3, Duration.ofMinutes(1));
    private final SyncMessageReader.Handler handler = new SyncMessageReader.Handler() {
        @Override
        public void entry(SyncEntry entry) { received(entry); }

        @Override
        public void control(int kind) { controlReceived(kind); }
    };
    private volatile Role role = Role.BACKUP;
    private volatile boolean resyncComplete;
    private volatile boolean walking;
    private volatile boolean closed;
    private long resyncAskedAt;
    private int resyncTries;
    private SyncSender sender;
    private SyncReceiver receiver;

    public SyncDaemon(Settings settings, Source source, Target target) {
        this(settings, source, target, r -> {
            Thread t = new Thread(r, "jlvs-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** With the event loop's thread made by {@code threads} (a test's enters a network namespace first). */
    public SyncDaemon(Settings settings, Source source, Target target, ThreadFactory threads) {
        Epoll.ensureAvailability();
        this.settings = settings;
        this.source = source;
        this.target = target;
        this.writer = SyncMessageWriter.version1(settings.maxLength(), settings.syncId());
        this.reader = new SyncMessageReader(settings.syncId());
        this.loop = new MultiThreadIoEventLoopGroup(1, threads, EpollIoHandler.newFactory());
    }

    /** Opens the sockets (sending from the interface's address, receiving on the joined group) as {@code initial}. */
    public void start(Role initial) throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(settings.interfaceName());
        if (nic == null) {
            close();
            throw new IOException("sync daemon: no interface " + settings.interfaceName());
        }
        InetSocketAddress group = new InetSocketAddress(settings.group(), settings.port());
        try {
            sender = SyncSender.open(loop, nic, group, settings.ttl());
            receiver = SyncReceiver.open(loop, nic, group, reader, handler);
        } catch (IOException e) {
            close();
            throw e;
        }
        switchRole(initial, false);
        loop.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("sync daemon on {} from {} (group {}:{}, syncid {}, maxlen {}, ttl {}) as {}",
                settings.interfaceName(), sender.localAddress().getAddress().getHostAddress(),
                settings.group().getHostAddress(), settings.port(), settings.syncId(), settings.maxLength(),
                settings.ttl(), initial);
    }

    public Settings settings() { return settings; }

    public Role role() { return role; }

    /** Switches between master and backup (VRRP's state decides); a new backup asks for the master's table. */
    public void role(Role next) {
        switchRole(next, true);
    }

    private void switchRole(Role next, boolean announce) {
        if (closed) return;
        Role before = role;
        role = next;
        if (next == Role.BACKUP && (before != Role.BACKUP || resyncAskedAt == 0)) {
            loop.execute(() -> {
                resyncComplete = false;
                resyncTries = 0;
                askForResync(System.nanoTime());
            });
        }
        if (announce && before != next) LOG.info("sync daemon: now {} ({})", next, counters());
    }

    /** Whether this backup holds a master's whole table since it became backup (or no master answered). */
    public boolean resyncComplete() { return resyncComplete; }

    /** Event loop: the tick's new connections first, then the resync's share, then a backup's unanswered request. */
    private void tick() {
        try {
            tickOnce();
        } catch (RuntimeException e) {
            // A failing source must not end the schedule: the next tick tries again.
            failures.warn("sync daemon: a tick failed: {}", e.toString());
        }
    }

    private void tickOnce() {
        if (role == Role.MASTER) {
            int n = source.drain(draining, queue, DRAIN_PER_TICK);
            if (n > 0 || !writer.isEmpty()) flush();
            if (walking) {
                int missing = RESYNC_MESSAGES_PER_TICK - resyncCredits.availablePermits();
                if (missing > 0 && sender.writable()) resyncCredits.release(missing);
            }
        } else if (!resyncComplete && resyncAskedAt != 0 && System.nanoTime() - resyncAskedAt >= RESYNC_RETRY_NANOS) {
            if (resyncTries < RESYNC_TRIES) {
                askForResync(System.nanoTime());
            } else {
                resyncsUnanswered.incrementAndGet();
                resyncComplete = true;
                LOG.warn("sync daemon: no master answered {} resync requests (a kernel master does not resync): "
                        + "going on with what it sends", RESYNC_TRIES);
            }
        }
    }

    private void askForResync(long now) {
        resyncAskedAt = now;
        resyncTries++;
        SyncControl.write(controlMessage.clear(), settings.syncId(), SyncControl.RESYNC_REQUEST);
        sender.send(controlMessage.flip());
    }

    /** Event loop: one drained entry into the message being built, sending that first when full. */
    private void queue(SyncEntry e) {
        append(writer, e, false);
    }

    /** Appends e, first finishing and sending the message (paced: a resync's) when it is full. */
    private void append(SyncMessageWriter w, SyncEntry e, boolean paced) {
        SyncMessageWriter.Append a = w.append(e);
        if (a == SyncMessageWriter.Append.MESSAGE_FULL) {
            if (paced) sendPaced(w);
            else send(w);
            a = w.append(e);
        }
        if (a == SyncMessageWriter.Append.NOT_REPRESENTABLE) entriesUnsendable.incrementAndGet();
    }

    private void flush() {
        if (!writer.isEmpty()) send(writer);
    }

    private void send(SyncMessageWriter w) {
        entriesSent.addAndGet(w.entries());
        sender.send(w.finish());
    }

    private void received(SyncEntry e) {
        if (role != Role.BACKUP) return;
        entriesReceived.incrementAndGet();
        try {
            target.accept(e);
        } catch (RuntimeException failure) {
            // One entry the table refuses must not cost the rest of the message.
            failures.warn("sync daemon: a received entry was not taken ({}): {}", e, failure.toString());
        }
    }

    private void controlReceived(int kind) {
        if (kind == SyncControl.RESYNC_REQUEST && role == Role.MASTER) startWalk();
        if (kind == SyncControl.RESYNC_END && role == Role.BACKUP && !resyncComplete) {
            resyncComplete = true;
            LOG.info("sync daemon: the master's table is here ({} entries received so far)", entriesReceived.get());
        }
    }

    /** The whole table for a backup that asked, on a thread of its own, a tick's share of messages at a time. */
    private void startWalk() {
        if (walking) return;
        walking = true;
        resyncCredits.drainPermits();
        Thread.ofPlatform().name("jlvs-sync-resync").daemon(true).start(this::walk);
    }

    private void walk() {
        SyncMessageWriter walkWriter = SyncMessageWriter.version1(settings.maxLength(), settings.syncId());
        SyncEntry entry = new SyncEntry();
        long before = entriesSent.get();
        try {
            source.walk(entry, e -> append(walkWriter, e, true));
            if (!walkWriter.isEmpty()) sendPaced(walkWriter);
            ByteBuffer end = ByteBuffer.allocate(SyncLayout.HEADER_BYTES);
            SyncControl.write(end, settings.syncId(), SyncControl.RESYNC_END);
            if (awaitCredit()) sender.send(end.flip());
            resyncsSent.incrementAndGet();
            LOG.info("sync daemon: sent the whole table ({} entries) to a backup that asked",
                    entriesSent.get() - before);
        } catch (ResyncStopped stopped) {
            LOG.info("sync daemon: resync stopped ({})", stopped.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("sync daemon: the resync failed", e);
        } finally {
            walking = false;
        }
    }

    private void sendPaced(SyncMessageWriter w) {
        if (!awaitCredit()) throw new ResyncStopped(closed ? "closed" : "no longer master");
        send(w);
    }

    /** Waits for the event loop's leave to send one message; false when the daemon stops being a master. */
    private boolean awaitCredit() {
        try {
            while (!closed && role == Role.MASTER) {
                if (resyncCredits.tryAcquire(100, TimeUnit.MILLISECONDS)) return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Ends a resync walk when the daemon closes or stops being master. */
    private static final class ResyncStopped extends RuntimeException {
        ResyncStopped(String why) { super(why, null, false, false); }
    }

    public long messagesSent() { return sender == null ? 0 : sender.messagesSent(); }

    public long entriesSent() { return entriesSent.get(); }

    public long messagesReceived() { return receiver == null ? 0 : receiver.messagesReceived(); }

    public long entriesReceived() { return entriesReceived.get(); }

    public long sendErrors() { return sender == null ? 0 : sender.sendErrors(); }

    /** Entries the message version cannot carry (version 0 only: IPv6, persistence engines). */
    public long entriesUnsendable() { return entriesUnsendable.get(); }

    public long dropped(SyncDrop reason) { return reader.dropped(reason); }

    /** Whole tables this master has sent to backups that asked. */
    public long resyncsSent() { return resyncsSent.get(); }

    /** Times this backup gave up asking for a resync: no jlvs master answered. */
    public long resyncsUnanswered() { return resyncsUnanswered.get(); }

    /** "sent 12 messages (300 entries), received 0 (0 entries), 0 send errors, drops: none". */
    public String counters() {
        StringBuilder d = new StringBuilder();
        for (SyncDrop r : SyncDrop.values()) {
            long n = reader.dropped(r);
            if (n > 0) d.append(' ').append(r.name().toLowerCase()).append('=').append(n);
        }
        return "sent " + messagesSent() + " messages (" + entriesSent.get() + " entries), received "
                + messagesReceived() + " (" + entriesReceived.get() + " entries), " + sendErrors()
                + " send errors, drops:" + (d.isEmpty() ? " none" : d);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (sender != null) LOG.info("sync daemon stopped: {}", counters());
        if (sender != null) sender.close();
        if (receiver != null) receiver.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
    }
}
