package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.netty.channel.EventLoop;

/** PING_CHECK: up when an ICMP echo reply comes back within connect_timeout, through the family's shared socket. */
final class PingChecker extends NettyChecker {
    private final PingSockets.Registered socket;

    PingChecker(CheckChannels channels, CheckerSpec.Ping spec, CheckTarget target, PingSockets.Registered socket) {
        super(channels, target, spec.timing().connectTimeout(),
                "PING_CHECK " + CheckTarget.hostLiteral(target.remote().getAddress()));
        this.socket = socket;
    }

    /** The socket's loop: the shared socket and its table of outstanding requests are only touched there. */
    @Override
    protected EventLoop loop() { return socket.loop(); }

    @Override
    protected void start(CheckAttempt attempt, EventLoop loop) {
        socket.socket().echo(target.remote().getAddress(), attempt);
    }
}
