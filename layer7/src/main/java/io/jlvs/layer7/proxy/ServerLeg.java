package io.jlvs.layer7.proxy;

import io.jlvs.layer7.http.HeadBoundary;
import io.jlvs.layer7.http.MessageFraming;
import io.jlvs.layer7.http.ResponseHead;
import io.jlvs.layer7.http.ResponseHeadParser;
import io.jlvs.layer7.route.Backend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * phttp's side of one server connection: reads each response head (bounded, {@link ResponseHeadParser#LIMIT}),
 * passes it to the client as received, then its body as its framing and the request's method delimit it. Interim
 * answers (100 Continue) pass and the final one is awaited; 101 hands both connections to the splicer. Between
 * requests it keeps reading, so that a server closing its idle connection is noticed, and one that sends anything
 * unasked is closed.
 */
final class ServerLeg extends ChannelInboundHandlerAdapter {
    private enum Stage { IDLE, HEAD, BODY, CLOSED }

    private final PersistentConnection owner;
    private final Backend backend;
    private Channel channel;
    private Stage stage = Stage.IDLE;
    private ByteBuf pending;
    private String method;
    private boolean answered;
    private boolean reusable = true;
    private boolean handedOff;
    private int responses;
    private boolean released;
    private ResponseHead head;
    private BodyRelay body;

    ServerLeg(PersistentConnection owner, Backend backend) {
        this.owner = owner;
        this.backend = backend;
    }

    Channel channel() { return channel; }

    Backend backend() { return backend; }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Whether the next request can go here: to the same server, on an open connection that is between responses. */
    boolean idleWith(Backend to) {
        return backend == to && stage == Stage.IDLE && reusable && channel.isActive();
    }

    boolean reusable() { return reusable && stage == Stage.IDLE && channel.isActive(); }

    /** A request of this method was sent: its response is read from now on. Whether an earlier one was answered here. */
    boolean expect(String requestMethod) {
        method = requestMethod;
        stage = Stage.HEAD;
        answered = false;
        channel.config().setAutoRead(true);
        return responses > 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        switch (stage) {
            case HEAD -> {
                pending = Cumulation.append(ctx.alloc(), pending, in);
                readHead();
            }
            case BODY -> {
                ByteBuf rest;
                try {
                    rest = body.offer(in);
                } catch (IllegalArgumentException e) {
                    broke();
                    return;
                }
                if (rest != null) unasked(rest);
                if (body.done()) responseSent();
            }
            default -> unasked(in);
        }
    }

    /** Bytes the server sent that answer nothing: the connection is not used again. */
    private void unasked(ByteBuf bytes) {
        bytes.release();
        reusable = false;
        if (stage == Stage.IDLE) channel.close();
    }

    private void readHead() {
        Channel client = owner.client();
        while (stage == Stage.HEAD && pending != null) {
            int end = HeadBoundary.end(pending, ResponseHeadParser.LIMIT);
            if (end < 0) {
                if (pending.readableBytes() >= ResponseHeadParser.LIMIT) {
                    fail("the server's response head is larger than " + ResponseHeadParser.LIMIT + " bytes");
                }
                return;
            }
            MessageFraming framing;
            try {
                head = ResponseHeadParser.parse(ByteBufUtil.getBytes(pending, pending.readerIndex(), end), end);
                framing = MessageFraming.ofResponse(method, head);
            } catch (IllegalArgumentException e) {
                fail("the server's response is malformed: " + e.getMessage());
                return;
            }
            client.write(pending.readRetainedSlice(end));
            answered = true;
            if (head.status() == 101) {
                ByteBuf rest = Cumulation.readable(pending);
                pending = null;
                if (rest != null) client.write(rest);
                stage = Stage.CLOSED;
                owner.upgrade(this);
                return;
            }
            if (head.interim()) {
                client.flush();
                pending = Cumulation.readable(pending);
                continue;
            }
            reusable &= head.keepAlive() && framing.kind() != MessageFraming.Kind.UNTIL_CLOSE;
            stage = Stage.BODY;
            body = new BodyRelay(channel, client, framing, owner.service().counters(), this::responseSent, f -> broke());
            ByteBuf rest = Cumulation.readable(pending);
            pending = null;
            if (rest != null) {
                try {
                    rest = body.offer(rest);
                } catch (IllegalArgumentException e) {
                    broke();
                    return;
                }
                if (rest != null) unasked(rest);
            }
            client.flush();
            if (body.done()) responseSent();
            else body.begin();
        }
    }

    private void responseSent() {
        if (stage != Stage.BODY) return;
        stage = Stage.IDLE;
        body = null;
        responses++;
        // Between responses the connection is still read: a close or unasked bytes are noticed.
        channel.config().setAutoRead(true);
        owner.responseEnded(head.keepAlive());
    }

    private void fail(String reason) {
        reusable = false;
        if (answered) owner.serverCut();
        else owner.serverFailed(502, reason);
    }

    /** A body that is not what its framing says, or a splice that failed: the client gets no more of it. */
    private void broke() {
        reusable = false;
        stage = Stage.CLOSED;
        owner.serverCut();
    }

    void clientWritable() {
        if (stage == Stage.BODY) body.targetWritable();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        owner.serverWritable();
    }

    void handedOff() {
        handedOff = true;
    }

    void close() {
        reusable = false;
        if (channel != null) channel.close();
    }

    /** The connection closed: its server has one connection fewer (unless the splicer carries it on). */
    void released() {
        if (released || handedOff) return;
        released = true;
        backend.closed();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Stage was = stage;
        stage = Stage.CLOSED;
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (handedOff) return;
        switch (was) {
            case HEAD -> {
                if (answered) owner.serverCut();
                else owner.serverClosedUnanswered(this);
            }
            // A body that ends at the server's close ends the client's connection too, like one cut short.
            case BODY -> owner.serverCut();
            case IDLE -> owner.serverGone(this);
            case CLOSED -> { }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
