package io.jlvs.health.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Opens the channels of checks on the checkers' event loops: TCP or connected UDP, from the target's local address,
 * with its fwmark as SO_MARK, the channel handed to the attempt (so its verdict or timeout closes it, which also
 * ends a connect still in progress). A connect that fails becomes the attempt's down verdict.
 */
final class CheckChannels {
    /** SO_MARK (SOL_SOCKET 1, option 36): Netty's epoll options do not name it, so it is set as a raw option. */
    static final IntegerUnixChannelOption SO_MARK = new IntegerUnixChannelOption("SO_MARK", 1, 36);

    private final EventLoopGroup group;
    private final Set<CheckAttempt> running = ConcurrentHashMap.newKeySet();

    CheckChannels(EventLoopGroup group) {
        this.group = group;
    }

    /** Keeps the attempt until its verdict, so that closing the checkers can still give it one. */
    CheckAttempt track(CheckAttempt attempt) {
        running.add(attempt);
        attempt.result().whenComplete((verdict, never) -> running.remove(attempt));
        return attempt;
    }

    /** Gives every attempt still running the verdict down "checkers closed" (their loops are going away). */
    void abandonRunning() {
        for (CheckAttempt attempt : running) attempt.down("checkers closed");
    }

    /** The loop a new attempt runs on. */
    EventLoop nextLoop() { return group.next(); }

    /**
     * Connects TCP to the target; pipeline gets the protocol's handlers before the connect, onConnected runs on the
     * loop once connected. The connection ends with a RST (SO_LINGER 0), as HAProxy's checks end theirs: a check has
     * nothing left to deliver once it has its verdict, and thousands of checks a second then leave no TIME_WAIT
     * sockets on the director.
     */
    void connectTcp(CheckTarget target, CheckAttempt attempt, EventLoop loop, Consumer<ChannelPipeline> pipeline,
                    Consumer<Channel> onConnected) {
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_LINGER, 0);
        connect(bootstrap, target, attempt, pipeline, onConnected);
    }

    /** Connects a UDP socket to the target: the kernel then reports ICMP unreachables on it (ECONNREFUSED). */
    void connectUdp(CheckTarget target, CheckAttempt attempt, EventLoop loop, Consumer<ChannelPipeline> pipeline,
                    Consumer<Channel> onConnected) {
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(EpollDatagramChannel.class);
        connect(bootstrap, target, attempt, pipeline, onConnected);
    }

    private static void connect(Bootstrap bootstrap, CheckTarget target, CheckAttempt attempt,
                                Consumer<ChannelPipeline> pipeline, Consumer<Channel> onConnected) {
        if (target.fwmark() != 0) bootstrap.option(SO_MARK, target.fwmark());
        bootstrap.handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                pipeline.accept(ch.pipeline());
            }
        });
        ChannelFuture connected = target.local() == null ? bootstrap.connect(target.remote())
                : bootstrap.connect(target.remote(), target.local());
        attempt.use(connected.channel());
        connected.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) attempt.fail(f.cause());
            else if (!attempt.isDone()) onConnected.accept(f.channel());
        });
    }
}
