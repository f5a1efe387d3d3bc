package io.jlvs.failover.sync;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.jlvs.platform.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The IPVS connection sync daemon, as the kernel's master and backup threads and keepalived's lvs_sync_daemon run
 * it, on one Netty epoll event loop. As master it takes the connections the data plane offers ({@link Source}) at
 * least every {@link #FLUSH_MILLIS} ms, packs them into version 1 messages of at most maxlen bytes and multicasts
 * them; as backup it hands every entry received to the {@link Target}. Beyond the kernel: a backup that starts asks
 * the master for its whole table (a resync request) and knows when it has it ({@link #resyncComplete}), so a
 * returning director need not preempt before it holds the connections made while it was away.
 */
public final class SyncDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncDaemon.class);
    /** The master sends what the data plane offered at least this often: a new connection reaches a backup in ~2 ms. */
    static final int FLUSH_MILLIS = 2;
    private static final int DRAIN_PER_FLUSH = 4096;
    private static final long RESYNC_RETRY_NANOS = 1_000_000_000L;
    private static final int RESYNC_TRIES = 10;

    /** ipvsadm --start-daemon's settings: the interface, --syncid, --sync-maxlen, --mcast-group/-port/-ttl. */
    public record Settings(String interfaceName, int syncId, int maxLength, InetAddress group, int port, int ttl) {}

    /** What the master sends: connections offered since the last call, and the whole table for a resync. */
    public interface Source {
        /** Fills {@code into} with up to max offered connections, handing each to {@code each}; returns how many. */
        int drain(SyncEntry into, Consumer<SyncEntry> each, int max);

        /** Every live connection, each through {@code each} (on the caller's thread). */
        void walk(SyncEntry into, Consumer<SyncEntry> each);
    }

    /** Where a backup puts what it receives. */
    public interface Target {
        void accept(SyncEntry entry);
    }

    public enum Role { MASTER, BACKUP }

    private final Settings settings;
    private final Source source;
    private final Target target;
    private final EventLoopGroup loop;
    private final SyncEntry sending = new SyncEntry();
    private final SyncEntry receiving = new SyncEntry();
    private final SyncMessages.Writer writer;
    private final Map<SyncDrop, AtomicLong> drops = new EnumMap<>(SyncDrop.class);
    private final AtomicLong messagesSent = new AtomicLong(), entriesSent = new AtomicLong(),
            messagesReceived = new AtomicLong(), entriesReceived = new AtomicLong(), sendErrors = new AtomicLong();
    private final InetSocketAddress destination;
    /** A send that fails fails again, once per message: a few lines a minute say why. */
    private final RateLimitedLog sendFailures = new RateLimitedLog(LOG, 3, java.time.Duration.ofMinutes(1));
    private volatile Role role = Role.BACKUP;
    private volatile boolean resyncComplete;
    private volatile boolean walking;
    private long resyncAskedAt;
    private int resyncTries;
    private Channel channel;

    public SyncDaemon(Settings settings, Source source, Target target) {
        Epoll.ensureAvailability();
        this.settings = settings;
        this.source = source;
        this.target = target;
        this.writer = new SyncMessages.Writer(settings.maxLength(), settings.syncId());
        this.destination = new InetSocketAddress(settings.group(), settings.port());
        for (SyncDrop d : SyncDrop.values()) drops.put(d, new AtomicLong());
        this.loop = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "jlvs-sync");
            t.setDaemon(true);
            return t;
        }, EpollIoHandler.newFactory());
    }

    /** Binds the port, joins the group on the interface and starts as {@code initial}. */
    public void start(Role initial) throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(settings.interfaceName());
        if (nic == null) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("sync daemon: no interface " + settings.interfaceName());
        }
        try {
            // An IPv4 socket: on a dual-stack one the IPv4 multicast interface would not apply to the sends.
            channel = new Bootstrap().group(loop).channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET))
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.IP_MULTICAST_IF, nic)
                    .option(ChannelOption.IP_MULTICAST_TTL, settings.ttl())
                    .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, true)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            received(packet.content().nioBuffer());
                        }
                    })
                    .bind(new InetSocketAddress(settings.port())).sync().channel();
            ((EpollDatagramChannel) channel).joinGroup(destination, nic).sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("sync daemon: interrupted while starting");
        } catch (RuntimeException e) {
            close();
            throw new IOException("sync daemon on " + settings.interfaceName() + ": " + e.getMessage(), e);
        }
        role(initial);
        loop.scheduleAtFixedRate(this::tick, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("sync daemon on {} (group {}:{}, syncid {}, maxlen {}, ttl {}) as {}", settings.interfaceName(),
                settings.group().getHostAddress(), settings.port(), settings.syncId(), settings.maxLength(),
                settings.ttl(), initial);
    }

    public Settings settings() { return settings; }

    public Role role() { return role; }

    /** Switches between master and backup (VRRP's state decides); a new backup asks for the master's table. */
    public void role(Role next) {
        Role before = role;
        role = next;
        if (next == Role.BACKUP && (before != Role.BACKUP || resyncAskedAt == 0)) {
            loop.execute(() -> {
                resyncComplete = false;
                resyncTries = 0;
                askForResync(System.nanoTime());
            });
        }
        if (before != next) LOG.info("sync daemon: now {} ({})", next, counters());
    }

    /** Whether this backup has received a master's whole table since it became backup. */
    public boolean resyncComplete() { return resyncComplete; }

    private void tick() {
        long now = System.nanoTime();
        if (role == Role.MASTER) {
            int n = source.drain(sending, this::queue, DRAIN_PER_FLUSH);
            if (n > 0 || !writer.isEmpty()) flush();
        } else if (!resyncComplete && resyncTries < RESYNC_TRIES && now - resyncAskedAt >= RESYNC_RETRY_NANOS) {
            askForResync(now);
        }
    }

    private void askForResync(long now) {
        resyncAskedAt = now;
        resyncTries++;
        ByteBuffer request = ByteBuffer.allocate(SyncMessages.HEADER_BYTES);
        SyncMessages.control(request, settings.syncId(), SyncMessages.RESYNC_REQUEST);
        send(request.flip());
    }

    /** Event loop: one entry into the message being built, sending it first when full. */
    private void queue(SyncEntry e) {
        if (!writer.fits(e.ipv6)) flush();
        writer.add(e);
    }

    private void flush() {
        if (writer.isEmpty()) return;
        ByteBuffer message = writer.finish();
        entriesSent.addAndGet(message.get(4) & 0xFF);
        send(message);
    }

    private void send(ByteBuffer message) {
        Channel c = channel;
        if (c == null) return;
        messagesSent.incrementAndGet();
        c.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), destination)).addListener(f -> {
            if (!f.isSuccess()) {
                sendErrors.incrementAndGet();
                sendFailures.warn("sync daemon: a message to {} was not sent: {}", destination, f.cause().toString());
            }
        });
    }

    private void received(ByteBuffer datagram) {
        messagesReceived.incrementAndGet();
        SyncDrop drop = SyncMessages.read(datagram, settings.syncId(), receiving, new SyncMessages.Sink() {
            @Override
            public void entry(SyncEntry entry) {
                if (role != Role.BACKUP) return;
                entriesReceived.incrementAndGet();
                target.accept(entry);
            }

            @Override
            public void control(int kind) {
                if (kind == SyncMessages.RESYNC_REQUEST && role == Role.MASTER) startWalk();
                if (kind == SyncMessages.RESYNC_END && role == Role.BACKUP && !resyncComplete) {
                    resyncComplete = true;
                    LOG.info("sync daemon: the master's table is here ({} entries received so far)",
                            entriesReceived.get());
                }
            }
        });
        if (drop != null) drops.get(drop).incrementAndGet();
    }

    /** The whole table for a backup that asked, paced on its own thread so new connections still go out in time. */
    private void startWalk() {
        if (walking) return;
        walking = true;
        Thread.ofPlatform().name("jlvs-sync-resync").daemon(true).start(() -> {
            SyncMessages.Writer walkWriter = new SyncMessages.Writer(settings.maxLength(), settings.syncId());
            SyncEntry entry = new SyncEntry();
            long[] sent = {0};
            try {
                source.walk(entry, e -> {
                    if (!walkWriter.fits(e.ipv6)) {
                        ByteBuffer m = walkWriter.finish();
                        entriesSent.addAndGet(m.get(4) & 0xFF);
                        send(m);
                        if (++sent[0] % 64 == 0) pause();
                    }
                    walkWriter.add(e);
                });
                if (!walkWriter.isEmpty()) {
                    ByteBuffer m = walkWriter.finish();
                    entriesSent.addAndGet(m.get(4) & 0xFF);
                    send(m);
                }
                ByteBuffer end = ByteBuffer.allocate(SyncMessages.HEADER_BYTES);
                SyncMessages.control(end, settings.syncId(), SyncMessages.RESYNC_END);
                send(end.flip());
                LOG.info("sync daemon: sent the whole table to a backup that asked ({} messages)", sent[0] + 1);
            } finally {
                walking = false;
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long messagesSent() { return messagesSent.get(); }

    public long entriesSent() { return entriesSent.get(); }

    public long messagesReceived() { return messagesReceived.get(); }

    public long entriesReceived() { return entriesReceived.get(); }

    public long sendErrors() { return sendErrors.get(); }

    public long dropped(SyncDrop reason) { return drops.get(reason).get(); }

    /** "sent 12 messages (300 entries), received 0 (0), 0 send errors, drops: none". */
    public String counters() {
        StringBuilder d = new StringBuilder();
        for (SyncDrop r : SyncDrop.values()) {
            long n = drops.get(r).get();
            if (n > 0) d.append(' ').append(r.name().toLowerCase()).append('=').append(n);
        }
        return "sent " + messagesSent.get() + " messages (" + entriesSent.get() + " entries), received "
                + messagesReceived.get() + " (" + entriesReceived.get() + " entries), " + sendErrors.get()
                + " send errors, drops:" + (d.isEmpty() ? " none" : d);
    }

    @Override
    public void close() {
        LOG.info("sync daemon stopped: {}", counters());
        Channel c = channel;
        if (c != null) c.close().awaitUninterruptibly(1000);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
    }
}
