package io.jlvs.health.check;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two shared ICMP sockets (IPv4, IPv6) of the PING_CHECKs, each opened on first use and registered with one
 * event loop, which then does all of that socket's work.
 */
final class PingSockets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PingSockets.class);
    private final EventLoopGroup group;
    private Registered ipv4, ipv6;

    /** A socket and the loop that reads it. */
    record Registered(PingSocket socket, IoEventLoop loop) {}

    PingSockets(EventLoopGroup group) {
        this.group = group;
    }

    synchronized Registered forFamily(boolean inet6) {
        Registered existing = inet6 ? ipv6 : ipv4;
        if (existing != null) return existing;
        Registered opened = open(inet6);
        if (inet6) ipv6 = opened;
        else ipv4 = opened;
        return opened;
    }

    private Registered open(boolean inet6) {
        PingSocket socket = new PingSocket(inet6);
        IoEventLoop loop = (IoEventLoop) group.next();
        if (socket.openError() == null) {
            loop.register(socket).addListener(f -> {
                if (f.isSuccess()) ((IoRegistration) f.getNow()).submit(EpollIoOps.EPOLLIN);
                else LOG.warn("PING_CHECK: cannot watch the ICMP socket: {}", f.cause().toString());
            });
        }
        return new Registered(socket, loop);
    }

    @Override
    public synchronized void close() {
        if (ipv4 != null) ipv4.socket().close();
        if (ipv6 != null) ipv6.socket().close();
    }
}
