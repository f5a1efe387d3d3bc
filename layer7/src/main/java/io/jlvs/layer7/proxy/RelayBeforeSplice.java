package io.jlvs.layer7.proxy;

import io.jlvs.layer7.route.Backend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;

/**
 * The start of a connection after its decision, relayed on the event loop both ways until
 * {@link ProxyOptions#spliceAfter()} bytes have passed, and then handed to the splicer. An exchange that ends first
 * (a short request and its answer, the common case) never pays for the splice's set-up, which costs more system
 * calls than the whole exchange; a long one is spliced as before. HAProxy's {@code option splice-auto} makes the
 * same trade. Half-closes and resets pass from one side to the other as the splicer passes them.
 */
final class RelayBeforeSplice {
    private final ServiceListener service;
    private final Channel client;
    private final Channel server;
    private final Backend backend;
    private final long spliceAfter;
    private long relayed;
    /** Reads forwarded since the last barrier write: the handoff waits until a barrier follows the last of them. */
    private long readsSinceBarrier;
    private boolean handingOff;
    /** A handoff was given up (a side ended while it waited): the connection stays on the event loop to its end. */
    private boolean neverSplice;
    private boolean clientInputEnded, serverInputEnded;
    private boolean ended;

    private RelayBeforeSplice(ServiceListener service, Channel client, Channel server, Backend backend) {
        this.service = service;
        this.client = client;
        this.server = server;
        this.backend = backend;
        this.spliceAfter = service.options().spliceAfter();
    }

    /**
     * Starts relaying between a client whose head went to the server and that server; both channels are on the
     * same event loop, reading nothing. Called on that loop.
     */
    static void start(ServiceListener service, Channel client, Channel server, Backend backend) {
        RelayBeforeSplice relay = new RelayBeforeSplice(service, client, server, backend);
        server.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.pipeline().remove(ClientConnection.class);
        client.pipeline().addLast(relay.new Side(client, server));
        server.pipeline().addLast(relay.new Side(server, client));
        client.closeFuture().addListener(f -> relay.onClosed());
        server.closeFuture().addListener(f -> relay.onClosed());
        // a client that half-closed right after its request has had its end read already
        if (((DuplexChannel) client).isInputShutdown()) relay.inputEnded(client, server);
        else client.config().setAutoRead(true);
        server.config().setAutoRead(true);
    }

    /** {@code self}'s input ended: its end passes to {@code peer} after everything before it, as a FIN does. */
    private void inputEnded(Channel self, Channel peer) {
        if (self == client) clientInputEnded = true; else serverInputEnded = true;
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) resetBoth();
            else if (clientInputEnded && serverInputEnded) onClosed();
            else ((DuplexChannel) peer).shutdownOutput();
        });
    }

    private void onClosed() {
        if (ended) return;
        ended = true;
        backend.closed();
        client.close();
        server.close();
    }

    /** Enough has passed: stop reading, wait until what was read has been written, then splice. */
    private void beginHandoff() {
        handingOff = true;
        client.config().setAutoRead(false);
        server.config().setAutoRead(false);
        awaitWritten();
    }

    private void awaitWritten() {
        readsSinceBarrier = 0;
        ChannelFuture toClient = client.writeAndFlush(Unpooled.EMPTY_BUFFER);
        ChannelFuture toServer = server.writeAndFlush(Unpooled.EMPTY_BUFFER);
        toClient.addListener(f -> toServer.addListener(g -> {
            if (ended) return;
            if (!f.isSuccess() || !g.isSuccess()) {
                resetBoth();
            } else if (readsSinceBarrier > 0) {
                awaitWritten();   // a read already under way when reading stopped: its bytes go first
            } else if (clientInputEnded || serverInputEnded) {
                resume();   // a side ended meanwhile and its end was passed on: relay the rest here
            } else {
                ended = true;
                Handoff.splice(service, client, server, backend, false);
            }
        }));
    }

    private void resume() {
        handingOff = false;
        neverSplice = true;
        client.config().setAutoRead(!clientInputEnded);
        server.config().setAutoRead(!serverInputEnded);
    }

    /** A reset on one side resets the other (SO_LINGER 0 makes the close send RST). */
    private void resetBoth() {
        if (ended) return;
        for (Channel c : new Channel[] {client, server}) {
            if (c.isActive()) c.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        onClosed();
    }

    /** One socket's reads, written to the other. */
    private final class Side extends ChannelInboundHandlerAdapter {
        private final Channel self;
        private final Channel peer;

        Side(Channel self, Channel peer) {
            this.self = self;
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ended) {
                ReferenceCountUtil.release(msg);
                return;
            }
            relayed += ((ByteBuf) msg).readableBytes();
            readsSinceBarrier++;
            peer.write(msg, peer.voidPromise());
            if (!peer.isWritable()) self.config().setAutoRead(false);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (ended) return;
            peer.flush();
            if (!handingOff && !neverSplice && relayed >= spliceAfter) beginHandoff();
        }

        /** The peer drained what waited for it: this side may read again (unless a handoff stopped reading). */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (self.isWritable() && !handingOff && !inputEnded(peer)) peer.config().setAutoRead(true);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent && !ended) inputEnded(self, peer);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) resetBoth();
            else onClosed();
        }
    }

    private boolean inputEnded(Channel channel) {
        return channel == client ? clientInputEnded : serverInputEnded;
    }
}
