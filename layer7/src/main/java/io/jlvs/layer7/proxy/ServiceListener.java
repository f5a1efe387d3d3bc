package io.jlvs.layer7.proxy;

import io.jlvs.layer7.http.RequestHeadParser;
import io.jlvs.layer7.route.SchedulerKind;
import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.SpliceMode;
import io.jlvs.platform.splice.Splicer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One layer-7 service's listening socket: each accepted connection gets a {@link ClientConnection}, or under phttp
 * a {@link PersistentConnection}. The routes and options can be replaced while it listens; a connection uses those
 * in force when it is decided (under phttp, each request those in force when its head is complete).
 */
final class ServiceListener implements AutoCloseable {
    private final String ident;
    private final EventLoopGroup group;
    private final java.util.function.Function<SpliceMode, Splicer> splicers;
    private final ProxyCounters counters = new ProxyCounters();
    private volatile ServiceRoutes routes;
    private volatile ProxyOptions options;
    private volatile RequestHeadParser parser;
    private Channel server;

    ServiceListener(String ident, EventLoopGroup group, java.util.function.Function<SpliceMode, Splicer> splicers,
                    ServiceRoutes routes, ProxyOptions options) {
        this.ident = ident;
        this.group = group;
        this.splicers = splicers;
        update(routes, options);
    }

    void update(ServiceRoutes routes, ProxyOptions options) {
        this.routes = routes;
        this.options = options;
        this.parser = new RequestHeadParser(options.headLimit());
    }

    void bind(InetSocketAddress listen) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                // A client that half-closes after its request still wants the answer: the splicer passes the
                // half-close on, so Netty must not close the connection when it reads the end of the input.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(routes.scheduler() == SchedulerKind.PHTTP
                                ? new PersistentConnection(ServiceListener.this) : new ClientConnection(ServiceListener.this));
                    }
                });
        try {
            server = b.bind(listen).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IOException("layer-7 service " + ident + ": cannot listen on " + listen + ": " + e.getMessage(), e);
        }
    }

    InetSocketAddress boundAddress() { return (InetSocketAddress) server.localAddress(); }

    String ident() { return ident; }

    ServiceRoutes routes() { return routes; }

    ProxyOptions options() { return options; }

    RequestHeadParser parser() { return parser; }

    ProxyCounters counters() { return counters; }

    /** The splicer of the service's splice mode (the proxy's default when it names none). */
    Splicer splicer() { return splicers.apply(options.splice()); }

    @Override
    public void close() {
        if (server != null) server.close().awaitUninterruptibly(2000);
    }
}
