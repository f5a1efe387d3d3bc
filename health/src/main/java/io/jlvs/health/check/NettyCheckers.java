package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.script.ScriptRunner;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The checkers of every real server on one epoll event-loop group (one thread unless told otherwise, daemon, nice
 * 19): each check is a few non-blocking sockets and a timer on a loop, so one thread carries thousands of
 * concurrent checks. MISC_CHECK runs through the script runner; PING_CHECK shares one ICMP socket per address
 * family, opened on first use.
 */
public final class NettyCheckers implements CheckerFactory, AutoCloseable {
    private final EventLoopGroup group;
    private final CheckChannels channels;
    private final ScriptRunner scripts;
    private final PingSockets pingSockets;

    /** One event-loop thread; scripts runs MISC_CHECK (null: MISC_CHECK specs are refused). */
    public NettyCheckers(ScriptRunner scripts) {
        this(1, scripts);
    }

    /** eventLoopThreads event-loop threads; scripts runs MISC_CHECK (null: MISC_CHECK specs are refused). */
    public NettyCheckers(int eventLoopThreads, ScriptRunner scripts) {
        if (eventLoopThreads < 1) throw new IllegalArgumentException("eventLoopThreads must be at least 1");
        Epoll.ensureAvailability();
        this.group = new MultiThreadIoEventLoopGroup(eventLoopThreads, new CheckerThreads(),
                EpollIoHandler.newFactory());
        this.channels = new CheckChannels(group);
        this.scripts = scripts;
        this.pingSockets = new PingSockets(group);
    }

    @Override
    public Checker create(CheckerSpec spec, InetSocketAddress realServer) {
        return switch (spec) {
            case CheckerSpec.Tcp tcp -> new TcpChecker(channels, tcp, CheckTarget.of(tcp.endpoint(), realServer));
            case CheckerSpec.Http http -> new HttpChecker(channels, http, CheckTarget.of(http.endpoint(), realServer));
            case CheckerSpec.Udp udp -> new UdpChecker(channels, udp, CheckTarget.of(udp.endpoint(), realServer));
            case CheckerSpec.Dns dns -> new DnsChecker(channels, dns, CheckTarget.of(dns.endpoint(), realServer));
            case CheckerSpec.Smtp smtp -> new SmtpChecker(channels, smtp, CheckTarget.of(smtp.endpoint(), realServer));
            case CheckerSpec.Ping ping -> {
                CheckTarget target = CheckTarget.of(ping.endpoint(), realServer);
                yield new PingChecker(channels, ping, target,
                        pingSockets.forFamily(target.remote().getAddress() instanceof Inet6Address));
            }
            case CheckerSpec.Misc misc -> {
                if (scripts == null) throw new IllegalArgumentException("MISC_CHECK needs a script runner");
                yield new MiscChecker(misc, scripts);
            }
            case CheckerSpec.File file -> new FileChecker(channels, file);
        };
    }

    /** The channels of this group, for genhash's one fetch. */
    CheckChannels channels() { return channels; }

    /** Stops the loops, closes the ping sockets; checks still running end down with "checkers closed". */
    @Override
    public void close() {
        channels.abandonRunning();
        pingSockets.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
