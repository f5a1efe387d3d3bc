package io.jlvs.layer7.proxy;

import io.jlvs.layer7.route.Backend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * chttp's cookie: reads the server's response head, adds {@code Set-Cookie: NAME=SERVER; Path=/} after its status
 * line, sends it and what followed to the client, then hands both sockets to the splicer. A response head that
 * does not end within 64 KiB is passed on without the cookie.
 */
final class PinningResponse extends ChannelInboundHandlerAdapter {
    private static final int LIMIT = 64 * 1024;
    private final ServiceListener service;
    private final Channel client;
    private final Backend backend;
    private final String cookieName;
    private byte[] head = new byte[2048];
    private int length;
    private boolean done;

    PinningResponse(ServiceListener service, Channel client, Backend backend, String cookieName) {
        this.service = service;
        this.client = client;
        this.backend = backend;
        this.cookieName = cookieName;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf in = (ByteBuf) msg;
            int n = in.readableBytes();
            if (length + n > head.length) head = Arrays.copyOf(head, Math.max(length + n, head.length * 2));
            in.readBytes(head, length, n);
            length += n;
            if (done) return;
            int end = statusLineEnd();
            if (end < 0 && length < LIMIT) return;
            done = true;
            ctx.channel().config().setAutoRead(false);
            byte[] out = end < 0 ? Arrays.copyOf(head, length) : withCookie(end);
            client.writeAndFlush(Unpooled.wrappedBuffer(out)).addListener((ChannelFutureListener) f -> {
                ctx.pipeline().remove(this);
                if (f.isSuccess()) {
                    Handoff.splice(service, client, ctx.channel(), backend, false);
                } else {
                    backend.closed();
                    client.close();
                    ctx.close();
                }
            });
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The index after the status line's line feed, once the whole head has arrived; -1 before. */
    private int statusLineEnd() {
        int firstLine = -1;
        for (int i = 0; i < length; i++) {
            if (head[i] != '\n') continue;
            if (firstLine < 0) firstLine = i + 1;
            if ((i + 1 < length && head[i + 1] == '\n') || (i + 2 < length && head[i + 1] == '\r' && head[i + 2] == '\n')) {
                return firstLine;
            }
        }
        return -1;
    }

    private byte[] withCookie(int at) {
        byte[] cookie = ("Set-Cookie: " + cookieName + "=" + backend.cookie() + "; Path=/; HttpOnly\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[length + cookie.length];
        System.arraycopy(head, 0, out, 0, at);
        System.arraycopy(cookie, 0, out, at, cookie.length);
        System.arraycopy(head, at, out, at + cookie.length, length - at);
        return out;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done) {
            backend.closed();
            client.close();
        }
    }
}
