package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.netty.channel.EventLoop;

/** TCP_CHECK: up as soon as the connection is established. */
final class TcpChecker extends NettyChecker {
    TcpChecker(CheckChannels channels, CheckerSpec.Tcp spec, CheckTarget target) {
        super(channels, target, spec.timing().connectTimeout(), "TCP_CHECK " + target.hostPort());
    }

    @Override
    protected void start(CheckAttempt attempt, EventLoop loop) {
        channels.connectTcp(target, attempt, loop, pipeline -> {}, connected -> attempt.up("connected"));
    }
}
