package io.jlvs.failover.sync;

import io.jlvs.platform.log.RateLimitedLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Multicasts sync messages as the kernel's master socket does (make_send_sock): from the interface's IPv4 address
 * (an ephemeral port), out of that interface, with the given TTL, not looped back to this host. Safe to call from
 * any thread: a message is copied before {@link #send} returns.
 */
public final class SyncSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSender.class);

    private final Channel channel;
    private final InetSocketAddress destination;
    private final AtomicLong messagesSent = new AtomicLong(), sendErrors = new AtomicLong();
    /** A send that fails fails again, once per message: a few lines a minute say why. */
    private final RateLimitedLog failures = new RateLimitedLog(LOG, 3, Duration.ofMinutes(1));
    private final ChannelFutureListener countFailure = f -> {
        if (!f.isSuccess()) {
            sendErrors.incrementAndGet();
            failures.warn("sync: a message to {} was not sent: {}", destinationText(), f.cause().toString());
        }
    };

    private SyncSender(Channel channel, InetSocketAddress destination) {
        this.channel = channel;
        this.destination = destination;
    }

    /** Opens the sending socket on loop: to group:port out of nic, from nic's first IPv4 address. */
    public static SyncSender open(EventLoopGroup loop, NetworkInterface nic, InetSocketAddress destination, int ttl)
            throws IOException {
        InetAddress source = ipv4Address(nic);
        Channel channel = null;
        try {
            // An IPv4 socket: on a dual-stack one the IPv4 multicast interface would not apply to the sends.
            ChannelFuture bound = new Bootstrap().group(loop)
                    .channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET))
                    .option(ChannelOption.IP_MULTICAST_IF, nic)
                    .option(ChannelOption.IP_MULTICAST_TTL, ttl)
                    .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, true)
                    .option(ChannelOption.SO_SNDBUF, 4 << 20)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg); // nothing is sent to this socket
                        }
                    })
                    .bind(new InetSocketAddress(source, 0));
            channel = bound.channel();
            bound.sync();
            return new SyncSender(channel, destination);
        } catch (InterruptedException e) {
            if (channel != null) channel.close();
            Thread.currentThread().interrupt();
            throw new IOException("sync: interrupted while opening the sending socket");
        } catch (RuntimeException e) {
            if (channel != null) channel.close();
            throw new IOException("sync: cannot send from " + source.getHostAddress() + " on " + nic.getName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The interface's first IPv4 address (the kernel's bind_mcastif_addr). */
    static InetAddress ipv4Address(NetworkInterface nic) throws IOException {
        for (InetAddress a : nic.inetAddresses().toList()) {
            if (a instanceof Inet4Address) return a;
        }
        throw new IOException("sync: interface " + nic.getName() + " has no IPv4 address to send from");
    }

    /** Sends the message between buffer's position and limit (consumed: its position moves to its limit). */
    public void send(ByteBuffer message) {
        ByteBuf content = channel.alloc().directBuffer(message.remaining());
        content.writeBytes(message);
        messagesSent.incrementAndGet();
        channel.writeAndFlush(new DatagramPacket(content, destination)).addListener(countFailure);
    }

    /** Whether the socket's queue has room: a paced sender waits while it has not. */
    public boolean writable() { return channel.isWritable(); }

    public InetSocketAddress localAddress() { return (InetSocketAddress) channel.localAddress(); }

    public long messagesSent() { return messagesSent.get(); }

    public long sendErrors() { return sendErrors.get(); }

    private String destinationText() {
        return destination.getAddress().getHostAddress() + ":" + destination.getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1000);
    }
}
