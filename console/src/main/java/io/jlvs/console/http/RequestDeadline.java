package io.jlvs.console.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose next request is not complete within the deadline, counted from the connection's
 * opening and from the end of each answer: a slow or silent client cannot hold a connection. An event stream
 * stops the clock for good.
 */
final class RequestDeadline extends ChannelDuplexHandler {
    private final long millis;
    private ScheduledFuture<?> timer;
    private boolean streaming;

    RequestDeadline(long millis) {
        this.millis = millis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof FullHttpRequest) disarm();
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent && !streaming) {
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (ctx.channel().isActive()) arm(ctx);
            });
        }
        super.write(ctx, msg, promise);
    }

    /** The connection now carries an event stream: no deadline any more. */
    void streaming() {
        streaming = true;
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        if (!streaming) timer = ctx.executor().schedule(() -> { ctx.close(); }, millis, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
