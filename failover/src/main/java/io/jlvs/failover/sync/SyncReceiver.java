package io.jlvs.failover.sync;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives sync messages as the kernel's backup socket does (make_receive_sock): bound to the group's address and
 * port, the group joined on the interface. Each datagram goes to the reader, its entries and control messages to
 * the handler, on the event loop's thread.
 */
public final class SyncReceiver implements AutoCloseable {
    /** The largest message: its size field is 16 bits. */
    static final int MAX_DATAGRAM = 65535;
    private final Channel channel;
    private final AtomicLong messagesReceived;

    private SyncReceiver(Channel channel, AtomicLong messagesReceived) {
        this.channel = channel;
        this.messagesReceived = messagesReceived;
    }

    /** Opens the receiving socket on loop: group:port joined on nic. */
    public static SyncReceiver open(EventLoopGroup loop, NetworkInterface nic, InetSocketAddress group,
                                    SyncMessageReader reader, SyncMessageReader.Handler handler) throws IOException {
        AtomicLong received = new AtomicLong();
        EpollDatagramChannel channel = null;
        try {
            ChannelFuture bound = new Bootstrap().group(loop)
                    .channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET))
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    // A whole message whatever the master's maxlen (up to 65535 bytes), never a truncated one.
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            received.incrementAndGet();
                            reader.read(packet.content().nioBuffer(), handler);
                        }
                    })
                    .bind(group);
            channel = (EpollDatagramChannel) bound.channel();
            bound.sync();
            channel.joinGroup(group, nic).sync();
            return new SyncReceiver(channel, received);
        } catch (InterruptedException e) {
            if (channel != null) channel.close();
            Thread.currentThread().interrupt();
            throw new IOException("sync: interrupted while joining " + group);
        } catch (RuntimeException e) {
            if (channel != null) channel.close();
            throw new IOException("sync: cannot join " + group.getAddress().getHostAddress() + ":" + group.getPort()
                    + " on " + nic.getName() + ": " + e.getMessage(), e);
        }
    }

    public long messagesReceived() { return messagesReceived.get(); }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1000);
    }
}
