package io.jlvs.console.http;

import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.RecentEvents;
import io.jlvs.console.MetricsEndpoint;

import io.jlvs.console.api.DirectorRequests;
import io.jlvs.console.api.RestApi;
import io.jlvs.control.AdmExecutor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's HTTP listener on Netty's epoll transport: the web console, the REST API under /api/v1, the event
 * stream and /metrics. One event loop thread does the I/O; the calls themselves (listings, changes, scrapes) run
 * on a small pool so that a large listing never stalls the other connections. Every thread comes from the
 * daemon's factory, which runs them below the forwarding workers' priority.
 */
public final class HttpConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConsole.class);

    static final int MAX_BODY = 64 * 1024;
    static final int MAX_CONNECTIONS = 256;
    static final long REQUEST_DEADLINE_MILLIS = 10_000;
    private static final int CALL_THREADS = 2;
    private static final int CALL_QUEUE = 64;

    private final HttpSettings settings;
    private final AccessToken token;
    private final RestApi api;
    private final MetricsEndpoint metrics;
    private final DirectorRequests director;
    private final StaticFiles staticFiles = new StaticFiles();
    private final RecentEvents log;
    private final ThreadFactory threads;
    private EventLoopGroup group;
    private ThreadPoolExecutor calls;
    private ScheduledExecutorService ticker;
    private EventStream events;
    private Channel server;
    private final AtomicInteger open = new AtomicInteger();
    private final long requestDeadlineMillis;

    /**
     * @param metrics what answers /metrics, or null for none (404)
     * @param log     the daemon's recent log events, shown by the console
     * @param threads makes the event loop and call threads (the daemon's lowers their priority)
     */
    public HttpConsole(HttpSettings settings, AccessToken token, AdmExecutor executor, DataPlaneTelemetry telemetry,
                       MetricsEndpoint metrics, RecentEvents log, ThreadFactory threads) {
        this(settings, token, executor, telemetry, metrics, log, threads, REQUEST_DEADLINE_MILLIS);
    }

    HttpConsole(HttpSettings settings, AccessToken token, AdmExecutor executor, DataPlaneTelemetry telemetry,
                MetricsEndpoint metrics, RecentEvents log, ThreadFactory threads, long requestDeadlineMillis) {
        this.requestDeadlineMillis = requestDeadlineMillis;
        this.settings = settings;
        this.token = token;
        this.log = log;
        this.director = new DirectorRequests(executor);
        this.api = new RestApi(director, telemetry, log);
        this.metrics = metrics;
        this.threads = threads;
    }

    /** Binds the listener; throws when the address is taken or the TLS files cannot be read. */
    public synchronized void start() throws IOException {
        if (server != null) throw new IllegalStateException("already started");
        Epoll.ensureAvailability();
        SslContext tls = null;
        if (settings.tlsCert() != null) {
            try {
                tls = SslContextBuilder.forServer(settings.tlsCert().toFile(), settings.tlsKey().toFile()).build();
            } catch (Exception e) {
                throw new IOException("--http-tls-cert " + settings.tlsCert() + " / --http-tls-key " + settings.tlsKey()
                        + ": " + e.getMessage() + " (PEM certificate and PKCS#8 key expected)", e);
            }
        }
        calls = new ThreadPoolExecutor(CALL_THREADS, CALL_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(CALL_QUEUE), threads, new ThreadPoolExecutor.AbortPolicy());
        events = new EventStream(director, api.stats(), log);
        group = new MultiThreadIoEventLoopGroup(1, threads, EpollIoHandler.newFactory());
        SslContext sslContext = tls;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        if (sslContext != null) ch.pipeline().addLast(sslContext.newHandler(ch.alloc()));
                        RequestDeadline deadline = new RequestDeadline(requestDeadlineMillis);
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
                        ch.pipeline().addLast(new HttpObjectAggregator(MAX_BODY));
                        ch.pipeline().addLast(deadline);
                        ch.pipeline().addLast(new ConsoleHandler(token, api, metrics, events, calls, deadline, staticFiles));
                    }
                });
        try {
            server = b.bind(settings.bind()).syncUninterruptibly().channel();
        } catch (Exception e) {
            closeQuietly();
            throw new IOException("--http " + address() + ": " + e.getMessage(), e);
        }
        ticker = Executors.newSingleThreadScheduledExecutor(threads);
        ticker.scheduleAtFixedRate(() -> {
            try {
                calls.execute(events::tick);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // every call thread is busy: this second's event is skipped
            }
        }, 1, 1, TimeUnit.SECONDS);
        LOG.info("http: console, REST API and /metrics on {}://{}/", settings.tlsCert() == null ? "http" : "https",
                address());
    }

    /** The bound address (the port chosen by the kernel when 0 was asked). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    private String address() {
        InetSocketAddress a = server == null ? settings.bind() : boundAddress();
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (ticker != null) ticker.shutdownNow();
        if (server != null) server.close().awaitUninterruptibly(1000);
        if (events != null) events.close();
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
        if (calls != null) calls.shutdownNow();
        server = null;
    }
}
