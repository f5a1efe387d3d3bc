package io.jlvs.layer7.proxy;

import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.SpliceMode;
import io.jlvs.platform.splice.SpliceOptions;
import io.jlvs.platform.splice.Splicer;
import io.jlvs.platform.splice.Splicers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The layer-7 proxy: its services' listeners on one Netty epoll event loop group (accepting, reading heads,
 * connecting), and one splicer that carries every connection after its decision.
 */
public final class Layer7Proxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Layer7Proxy.class);

    private final EventLoopGroup group;
    private final int capacity;
    /** One splicer per mode asked for, opened at the first service that asks; the default one at once. */
    private final Map<SpliceMode, Splicer> splicers = new java.util.EnumMap<>(SpliceMode.class);
    private final Splicer defaultSplicer;
    private final Map<String, ServiceListener> services = new LinkedHashMap<>();

    /**
     * @param splice   the splice mode of services that name none; a splicer falls back (sockmap, pipe, copy) when the
     *                 kernel refuses its mode
     * @param capacity the most connections each splicer carries at once
     */
    public Layer7Proxy(SpliceMode splice, int capacity, int eventLoops, ThreadFactory threads) throws IOException {
        Epoll.ensureAvailability();
        this.capacity = capacity;
        this.defaultSplicer = Splicers.open(splice, SpliceOptions.withCapacity(capacity));
        splicers.put(splice, defaultSplicer);
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, threads, EpollIoHandler.newFactory());
    }

    /** The default splice mode in force (after any fallback). */
    public SpliceMode spliceMode() { return defaultSplicer.mode(); }

    /** The splicer of a mode; the default one for null, or when the mode's own cannot be opened. */
    private synchronized Splicer splicer(SpliceMode mode) {
        if (mode == null) return defaultSplicer;
        return splicers.computeIfAbsent(mode, m -> {
            try {
                return Splicers.open(m, SpliceOptions.withCapacity(capacity));
            } catch (IOException e) {
                LOG.warn("splice {}: {}; the default {} serves instead", m.optionValue(), e.getMessage(),
                        defaultSplicer.mode().optionValue());
                return defaultSplicer;
            }
        });
    }

    /** Starts listening for a service; returns the address bound (the port the kernel chose when 0 was asked). */
    public synchronized InetSocketAddress start(String ident, InetSocketAddress listen, ServiceRoutes routes,
                                                ProxyOptions options) throws IOException {
        if (services.containsKey(ident)) throw new IllegalStateException("service " + ident + " already runs");
        ServiceListener s = new ServiceListener(ident, group, this::splicer, routes, options);
        s.bind(listen);
        services.put(ident, s);
        LOG.info("layer-7 service {} listening on {} ({}, splice {})", ident, s.boundAddress(),
                routes.scheduler().optionName(), splicer(options.splice()).mode().optionValue());
        return s.boundAddress();
    }

    /** New routes or options for a running service; connections already decided keep their server. */
    public synchronized void update(String ident, ServiceRoutes routes, ProxyOptions options) {
        ServiceListener s = services.get(ident);
        if (s == null) throw new IllegalStateException("service " + ident + " does not run");
        s.update(routes, options);
    }

    /** Stops listening; connections already spliced go on until they end. */
    public synchronized void stop(String ident) {
        ServiceListener s = services.remove(ident);
        if (s != null) {
            s.close();
            LOG.info("layer-7 service {} stopped", ident);
        }
    }

    public synchronized boolean running(String ident) { return services.containsKey(ident); }

    /** A running service's counters, or null. */
    public synchronized ProxyCounters counters(String ident) {
        ServiceListener s = services.get(ident);
        return s == null ? null : s.counters();
    }

    /** The splicer that carries a running service's connections (after any fallback), or null. */
    public synchronized Splicer serviceSplicer(String ident) {
        ServiceListener s = services.get(ident);
        return s == null ? null : s.splicer();
    }

    /** Connections spliced now, over every splicer. */
    public synchronized int splicedConnections() {
        int n = 0;
        for (Splicer s : java.util.Set.copyOf(splicers.values())) n += s.activePairs();
        return n;
    }

    @Override
    public synchronized void close() {
        for (ServiceListener s : services.values()) s.close();
        services.clear();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3000);
        for (Splicer s : java.util.Set.copyOf(splicers.values())) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("closing the splicer: {}", e.getMessage());
            }
        }
    }
}
