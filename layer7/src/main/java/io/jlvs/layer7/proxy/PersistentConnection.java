package io.jlvs.layer7.proxy;

import io.jlvs.layer7.http.HeadBoundary;
import io.jlvs.layer7.http.MessageFraming;
import io.jlvs.layer7.http.RequestHead;
import io.jlvs.layer7.http.RequestHeadParser;
import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.Decision;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * phttp: one client connection whose every request is placed by its own rules. Each request head is read (bounded,
 * 431/400 as for the other schedulers), parsed once and routed; it goes to the server connection kept from the
 * previous request when the route names the same server, else to a new one (the kept one closed). Its body follows
 * as its framing delimits it ({@link BodyRelay}), then the response comes back ({@link ServerLeg}).
 * <p>
 * Pipelined requests are answered in order: the next request is not read (its bytes stay queued here or in the
 * socket) until the previous response has gone to the client. The client's connection closes after a response when
 * the request or the response said close (or was HTTP/1.0 without keep-alive), when the response ended with the
 * server's close, or when the client half-closed.
 */
final class PersistentConnection extends ChannelInboundHandlerAdapter {
    private enum Stage {
        /** Waiting for a request head. */
        HEAD,
        /** A head is routed; the server connection is being opened. */
        CONNECTING,
        /** The head went to the server; its body follows. */
        BODY,
        /** The request went whole; its response is awaited. */
        SENT,
        CLOSED
    }

    private final ServiceListener service;
    private Channel client;
    private Stage stage = Stage.HEAD;
    /** Client bytes read and not yet handled: a head in the making, or the requests pipelined after this one. */
    private ByteBuf pending;
    private ScheduledFuture<?> headTimer;
    private RequestHead request;
    private MessageFraming requestFraming;
    /** The head of the request in progress, kept to send again (see {@link #serverClosedUnanswered}), or null. */
    private ByteBuf resend;
    private BodyRelay requestBody;
    /** The exchange's server connection, or between requests the one kept for the next. */
    private ServerLeg server;
    private boolean responseEnded;
    private boolean keepClient;
    private boolean clientEnded;

    PersistentConnection(ServiceListener service) {
        this.service = service;
    }

    ServiceListener service() { return service; }

    Channel client() { return client; }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        service.counters().accepted.incrementAndGet();
        awaitHead();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (stage == Stage.CLOSED) {
            in.release();
            return;
        }
        if (stage == Stage.BODY && !requestBody.done()) {
            ByteBuf rest;
            try {
                rest = requestBody.offer(in);
            } catch (IllegalArgumentException e) {
                service.counters().malformed.incrementAndGet();
                close();
                return;
            }
            if (rest != null) hold(rest);
            if (requestBody.done()) requestSent();
            return;
        }
        if (stage == Stage.HEAD) {
            pending = Cumulation.append(client.alloc(), pending, in);
            readHead();
        } else {
            hold(in);
        }
    }

    /** Bytes after the request in progress: kept for later, and no more read until then. */
    private void hold(ByteBuf rest) {
        pending = Cumulation.append(client.alloc(), pending, rest);
        client.config().setAutoRead(false);
    }

    private void awaitHead() {
        stage = Stage.HEAD;
        cancelTimer();
        headTimer = client.eventLoop().schedule(() -> {
            if (stage != Stage.HEAD) return;
            // An idle keep-alive connection just closes; a head begun and not finished is a slow client.
            if (pending != null && pending.isReadable()) service.counters().slowHeads.incrementAndGet();
            close();
        }, service.options().headTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (pending != null && pending.isReadable()) readHead();
        if (stage == Stage.HEAD) client.config().setAutoRead(true);
    }

    private void readHead() {
        RequestHeadParser parser = service.parser();
        int end = HeadBoundary.end(pending, parser.limit());
        if (end < 0) {
            if (pending.readableBytes() >= parser.limit()) refuse(431, "request head larger than " + parser.limit() + " bytes");
            return;
        }
        byte[] head = ByteBufUtil.getBytes(pending, pending.readerIndex(), end);
        switch (parser.parse(head, end)) {
            case RequestHeadParser.Complete c -> route(c.head());
            case RequestHeadParser.Refused f -> refuse(f.status(), f.reason());
            case RequestHeadParser.Incomplete i -> refuse(400, "request head not understood");
        }
    }

    private void route(RequestHead head) {
        cancelTimer();
        try {
            requestFraming = MessageFraming.ofRequest(head);
        } catch (IllegalArgumentException e) {
            refuse(400, e.getMessage());
            return;
        }
        Decision d = service.routes().route(head, server == null ? null : server.backend());
        if (d.server() == null) {
            refuse(d.status(), d.reason());
            return;
        }
        request = head;
        keepClient = head.keepAlive();
        responseEnded = false;
        stage = Stage.CONNECTING;
        client.config().setAutoRead(false);
        if (server != null && server.idleWith(d.server())) {
            send(server, null);
            return;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        connect(d.server(), null);
    }

    /** A new server connection, then the request (or {@code head}, when one is sent again) on it. */
    private void connect(Backend backend, ByteBuf head) {
        ProxyOptions options = service.options();
        ServerLeg leg = new ServerLeg(this, backend);
        Bootstrap b = new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(leg);
        var connect = options.source() == null ? b.connect(backend.address())
                : b.connect(backend.address(), new InetSocketAddress(options.source(), 0));
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                if (head != null) head.release();
                boolean timedOut = f.cause() instanceof ConnectTimeoutException;
                refuse(timedOut ? 504 : 502, "server " + backend.endpoint() + (timedOut
                        ? " did not answer within " + options.connectTimeout().toMillis() + " ms" : " refused the connection"));
                return;
            }
            Channel channel = f.channel();
            backend.opened();
            channel.closeFuture().addListener(c -> leg.released());
            if (stage != Stage.CONNECTING) {
                if (head != null) head.release();
                channel.close();
                return;
            }
            server = leg;
            if (options.proxyProtocol()) {
                channel.write(Unpooled.wrappedBuffer(HeadRewriter.proxyV2((InetSocketAddress) client.remoteAddress(),
                        (InetSocketAddress) client.localAddress())));
            }
            send(leg, head);
        });
    }

    /**
     * The head to the server (taken from what the client sent, unless {@code head} is one sent again), then what of
     * the body has come; the response is awaited from now on.
     */
    private void send(ServerLeg leg, ByteBuf head) {
        Channel channel = leg.channel();
        boolean kept = leg.expect(request.method());
        if (head == null) {
            head = HeadRewriter.forServer(pending, request.length(), service.options().forwardedFor(),
                    (InetSocketAddress) client.remoteAddress());
            service.counters().requests.incrementAndGet();
        }
        releaseResend();
        // A kept connection may have been closed by the server as the request went: one without a body can go again.
        if (kept && requestFraming.kind() == MessageFraming.Kind.NONE) resend = head.retainedDuplicate();
        channel.write(head);
        stage = Stage.BODY;
        requestBody = new BodyRelay(client, channel, requestFraming, service.counters(), this::requestSent,
                failure -> close());
        ByteBuf body = Cumulation.readable(pending);
        pending = null;
        if (body != null) {
            try {
                pending = requestBody.offer(body);
            } catch (IllegalArgumentException e) {
                service.counters().malformed.incrementAndGet();
                close();
                return;
            }
        }
        channel.flush();
        if (requestBody.done()) requestSent();
        else requestBody.begin();
    }

    /** The request is all with the server: the next one waits for its response. */
    private void requestSent() {
        if (stage != Stage.BODY) return;
        stage = Stage.SENT;
        client.config().setAutoRead(false);
        if (responseEnded) exchangeEnded();
    }

    /** The server's whole response was sent to the client. */
    void responseEnded(boolean persistent) {
        releaseResend();
        responseEnded = true;
        keepClient &= persistent;
        if (stage == Stage.SENT) exchangeEnded();
    }

    private void exchangeEnded() {
        requestBody = null;
        if (!keepClient || clientEnded) {
            closeAfterWrites();
            return;
        }
        if (server != null && !server.reusable()) {
            server.close();
            server = null;
        }
        awaitHead();
    }

    /** The server failed before any of its response reached the client: the proxy answers itself and closes. */
    void serverFailed(int status, String reason) {
        if (stage == Stage.CLOSED) return;
        refuse(status, reason);
    }

    /**
     * The server closed its connection before answering: a request sent on a kept connection (the server may have
     * closed it as the request went) goes once more on a new one; any other is answered 502.
     */
    void serverClosedUnanswered(ServerLeg leg) {
        if (stage == Stage.SENT && resend != null && server == leg) {
            ByteBuf head = resend;
            resend = null;
            server = null;
            stage = Stage.CONNECTING;
            connect(leg.backend(), head);
            return;
        }
        serverFailed(502, "server " + leg.backend().endpoint() + " closed the connection without answering");
    }

    private void releaseResend() {
        if (resend != null) {
            resend.release();
            resend = null;
        }
    }

    /** The server closed or broke in the middle of a response: the client's connection ends after what it got. */
    void serverCut() {
        closeAfterWrites();
    }

    /** The kept server connection closed between requests. */
    void serverGone(ServerLeg leg) {
        if (server == leg) server = null;
    }

    ServerLeg server() { return server; }

    /** A 101 answer: both connections go, as they are, to the splicer. */
    void upgrade(ServerLeg leg) {
        if (stage != Stage.SENT) {
            serverFailed(502, "server switched protocols before the request ended");
            return;
        }
        stage = Stage.CLOSED;
        server = null;
        cancelTimer();
        ByteBuf rest = Cumulation.readable(pending);
        pending = null;
        // Both sides' bytes read so far must be written before the splicer takes the sockets over.
        ChannelFuture toServer = rest == null ? leg.channel().newSucceededFuture() : leg.channel().writeAndFlush(rest);
        ChannelFuture toClient = client.writeAndFlush(Unpooled.EMPTY_BUFFER);
        toServer.addListener(s -> toClient.addListener(c -> {
            leg.handedOff();
            if (s.isSuccess() && c.isSuccess()) {
                Handoff.splice(service, client, leg.channel(), leg.backend(), false);   // the server's 101 was read
            } else {
                leg.backend().closed();
                client.close();
                leg.channel().close();
            }
        }));
    }

    private void refuse(int status, String reason) {
        if (stage == Stage.CLOSED) return;
        service.counters().forStatus(status).incrementAndGet();
        stage = Stage.CLOSED;
        cancelTimer();
        client.config().setAutoRead(false);
        client.writeAndFlush(Unpooled.wrappedBuffer(ErrorResponses.of(status, reason))).addListener(ChannelFutureListener.CLOSE);
        closeServer();
    }

    private void closeAfterWrites() {
        if (stage == Stage.CLOSED) return;
        stage = Stage.CLOSED;
        cancelTimer();
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        closeServer();
    }

    private void close() {
        stage = Stage.CLOSED;
        cancelTimer();
        client.close();
        closeServer();
    }

    private void closeServer() {
        releaseResend();
        if (server != null) {
            server.close();
            server = null;
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void cancelTimer() {
        if (headTimer != null) {
            headTimer.cancel(false);
            headTimer = null;
        }
    }

    /** The client half-closed: nothing more will come, but the request already sent is still answered. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof ChannelInputShutdownEvent)) return;
        clientEnded = true;
        if (stage == Stage.HEAD || (stage == Stage.BODY && !requestBody.done())) close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (server != null) server.clientWritable();
    }

    /** The server connection can take more of the request body. */
    void serverWritable() {
        if (stage == Stage.BODY && requestBody != null) requestBody.targetWritable();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close();
    }
}
