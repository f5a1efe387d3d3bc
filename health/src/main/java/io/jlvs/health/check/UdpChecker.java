package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

/**
 * UDP_CHECK: sends the payload on a connected UDP socket. With require_reply the server is up when a reply within
 * the timeout starts with the pattern and fits the length bounds. Without, it is up unless an ICMP unreachable
 * (ECONNREFUSED on the connected socket) comes back within the timeout, so such a check lasts the whole timeout
 * unless the server answers.
 */
final class UdpChecker extends NettyChecker {
    private final CheckerSpec.Udp spec;
    private final ReplyPattern pattern;

    UdpChecker(CheckChannels channels, CheckerSpec.Udp spec, CheckTarget target) {
        super(channels, target, spec.timing().connectTimeout(), "UDP_CHECK " + target.hostPort());
        this.spec = spec;
        this.pattern = spec.requireReply() == null ? null : ReplyPattern.parse(spec.requireReply());
    }

    @Override
    protected CheckAttempt newAttempt(EventLoop loop) {
        if (pattern != null) return super.newAttempt(loop);
        String silence = "no ICMP unreachable within " + CheckAttempt.seconds(timeout) + " s";
        return new CheckAttempt(loop, timeout, elapsed -> CheckResult.up(silence, elapsed));
    }

    @Override
    protected void start(CheckAttempt attempt, EventLoop loop) {
        channels.connectUdp(target, attempt, loop, pipeline -> pipeline.addLast(new ReplyHandler(attempt)),
                connected -> connected.writeAndFlush(Unpooled.wrappedBuffer(payload()))
                        .addListener(f -> {
                    if (!f.isSuccess()) attempt.down(FailureReasons.ofDatagram(f.cause()));
                }));
    }

    private byte[] payload() {
        return spec.payload() == null ? new byte[0] : spec.payload();
    }

    /** Why the reply fails, or null when it passes. */
    private String failure(byte[] reply) {
        if (spec.minReplyLength() > 0 && reply.length < spec.minReplyLength()) {
            return "reply of " + reply.length + " bytes is shorter than " + spec.minReplyLength();
        }
        if (spec.maxReplyLength() > 0 && reply.length > spec.maxReplyLength()) {
            return "reply of " + reply.length + " bytes is longer than " + spec.maxReplyLength();
        }
        if (pattern != null && !pattern.matches(reply)) return "reply does not match require_reply";
        return null;
    }

    private final class ReplyHandler extends ChannelInboundHandlerAdapter {
        private final CheckAttempt attempt;

        ReplyHandler(CheckAttempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf content = msg instanceof ByteBufHolder holder ? holder.content() : (ByteBuf) msg;
                byte[] reply = ByteBufUtil.getBytes(content);
                String failure = failure(reply);
                if (failure == null) attempt.up("reply of " + reply.length + " bytes");
                else attempt.down(failure);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.down(FailureReasons.ofDatagram(cause));
        }
    }
}
