package io.jlvs.layer7.proxy;

import io.jlvs.layer7.http.RequestHead;
import io.jlvs.layer7.http.RequestHeadParser;
import io.jlvs.layer7.route.Decision;
import io.jlvs.layer7.route.ServiceRoutes;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One client connection until its handoff: reads the request head into a bounded buffer (not for wlc, which reads
 * nothing), routes it, connects to the server, sends the head and whatever followed it, and hands both sockets to
 * the splicer (for chttp after the server's response head, which gets the pinning cookie). Every refusal is an
 * HTTP answer and a close, counted by its status.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    private final ServiceListener service;
    private byte[] received = new byte[1024];
    private int length;
    private ScheduledFuture<?> headTimer;
    private boolean decided;
    /** The server's connection once the head went to it: later client bytes follow the head there directly. */
    private Channel server;

    ClientConnection(ServiceListener service) {
        this.service = service;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        service.counters().accepted.incrementAndGet();
        if (!service.routes().scheduler().readsContent()) {
            ctx.channel().config().setAutoRead(false);
            decided = true;
            decide(ctx, null, 0);
            return;
        }
        headTimer = ctx.executor().schedule(() -> {
            if (!decided) {
                service.counters().slowHeads.incrementAndGet();
                ctx.close();
            }
        }, service.options().headTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (received == null && server != null) {
            // Bytes read after the head was sent (the event loop's last read before the handoff): in order, after it.
            server.writeAndFlush(msg);
            return;
        }
        try {
            ByteBuf in = (ByteBuf) msg;
            int limit = service.parser().limit();
            int n = in.readableBytes();
            // Before the decision, never more than the head limit; after it (bytes of the same read), all of them.
            int room = decided ? n : Math.min(n, limit - length);
            ensure(length + room);
            in.readBytes(received, length, room);
            length += room;
            if (decided) return;
            RequestHeadParser.Result r = service.parser().parse(received, length);
            switch (r) {
                case RequestHeadParser.Incomplete i -> {
                    if (room < n) refuse(ctx, 431, "request head larger than " + limit + " bytes");
                }
                case RequestHeadParser.Refused f -> refuse(ctx, f.status(), f.reason());
                case RequestHeadParser.Complete c -> {
                    decided = true;
                    ctx.channel().config().setAutoRead(false);
                    // The rest of this read (a body, a pipelined request) goes to the server after the head.
                    if (room < n) {
                        ensure(length + n - room);
                        in.readBytes(received, length, n - room);
                        length += n - room;
                    }
                    decide(ctx, c.head(), c.head().length());
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void ensure(int capacity) {
        if (capacity > received.length) received = Arrays.copyOf(received, Math.max(capacity, received.length * 2));
    }

    private void decide(ChannelHandlerContext ctx, RequestHead head, int headLength) {
        cancelTimer();
        ServiceRoutes routes = service.routes();
        Decision d = routes.route(head);
        if (d.server() == null) {
            refuse(ctx, d.status(), d.reason());
            return;
        }
        Channel client = ctx.channel();
        ProxyOptions options = service.options();
        Bootstrap b = new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInboundHandlerAdapter());
        var connect = options.source() == null ? b.connect(d.server().address())
                : b.connect(d.server().address(), new InetSocketAddress(options.source(), 0));
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                boolean timedOut = f.cause() instanceof ConnectTimeoutException;
                refuse(ctx, timedOut ? 504 : 502, "server " + d.server().endpoint()
                        + (timedOut ? " did not answer within " + options.connectTimeout().toMillis() + " ms" : " refused the connection"));
                return;
            }
            if (!client.isActive()) {
                f.channel().close();
                return;
            }
            d.server().opened();
            byte[] bytes = HeadRewriter.forServer(received, length, headLength, options,
                    (InetSocketAddress) client.remoteAddress(), (InetSocketAddress) client.localAddress());
            received = null;
            Channel server = f.channel();
            this.server = server;
            server.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener((ChannelFutureListener) w -> {
                if (!w.isSuccess()) {
                    d.server().closed();
                    client.close();
                    server.close();
                } else if (d.pin()) {
                    server.pipeline().addLast(new PinningResponse(service, client, d.server(), routes.cookieName()));
                    server.config().setAutoRead(true);
                } else if (options.spliceAfter() > 0) {
                    RelayBeforeSplice.start(service, client, server, d.server());
                } else {
                    Handoff.splice(service, client, server, d.server(), true);
                }
            });
        });
    }

    private void refuse(ChannelHandlerContext ctx, int status, String reason) {
        cancelTimer();
        decided = true;
        service.counters().forStatus(status).incrementAndGet();
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(ErrorResponses.of(status, reason))).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancelTimer() {
        if (headTimer != null) {
            headTimer.cancel(false);
            headTimer = null;
        }
    }

    /** The client ended its side: before a complete head there is nothing to route, after it the splicer passes it on. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof io.netty.channel.socket.ChannelInputShutdownEvent && !decided) {
            cancelTimer();
            decided = true;
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
