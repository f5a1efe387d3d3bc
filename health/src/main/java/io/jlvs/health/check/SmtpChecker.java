package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.nio.charset.StandardCharsets;

/**
 * SMTP_CHECK: the server's 220 greeting, then HELO helo_name answered 250, then QUIT (not waited for). Multi-line
 * replies ("250-...") are read to their last line.
 */
final class SmtpChecker extends NettyChecker {
    private static final int MAX_LINE = 1024;
    private final String heloName;

    SmtpChecker(CheckChannels channels, CheckerSpec.Smtp spec, CheckTarget target) {
        super(channels, target, spec.timing().connectTimeout(), "SMTP_CHECK " + target.hostPort());
        this.heloName = spec.heloName() == null || spec.heloName().isBlank() ? "localhost" : spec.heloName();
    }

    @Override
    protected void start(CheckAttempt attempt, EventLoop loop) {
        channels.connectTcp(target, attempt, loop, pipeline -> {
            pipeline.addLast(new LineBasedFrameDecoder(MAX_LINE));
            pipeline.addLast(new Dialogue(attempt, heloName));
        }, connected -> {});
    }

    /** The dialogue: each complete reply moves it one step. */
    private static final class Dialogue extends SimpleChannelInboundHandler<ByteBuf> {
        private final CheckAttempt attempt;
        private final String heloName;
        private boolean greeted;

        Dialogue(CheckAttempt attempt, String heloName) {
            this.attempt = attempt;
            this.heloName = heloName;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            String text = line.toString(StandardCharsets.US_ASCII);
            if (text.length() > 3 && text.charAt(3) == '-') return; // not the last line of the reply
            int code = code(text);
            if (!greeted) {
                if (code != 220) {
                    attempt.down(code < 0 ? "malformed SMTP greeting" : "SMTP " + code + " on greeting");
                    return;
                }
                greeted = true;
                send(ctx.channel(), "HELO " + heloName);
            } else {
                if (code != 250) {
                    attempt.down(code < 0 ? "malformed SMTP reply to HELO" : "SMTP " + code + " on HELO");
                    return;
                }
                send(ctx.channel(), "QUIT");
                attempt.up("SMTP 250 on HELO");
            }
        }

        private static int code(String line) {
            if (line.length() < 3) return -1;
            try {
                return Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static void send(Channel channel, String command) {
            channel.writeAndFlush(channel.alloc().buffer().writeBytes(
                    (command + "\r\n").getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attempt.down(greeted ? "connection closed after the greeting" : "connection closed before the greeting");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.fail(cause);
        }
    }
}
