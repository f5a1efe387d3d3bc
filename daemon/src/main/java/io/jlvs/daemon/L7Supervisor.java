package io.jlvs.daemon;

import io.jlvs.control.AdmException;
import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Endpoint;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Health;
import io.jlvs.control.l7.L7Operations;
import io.jlvs.control.l7.L7Options;
import io.jlvs.control.l7.L7ProxyFigures;
import io.jlvs.control.l7.L7Rule;
import io.jlvs.control.l7.L7Server;
import io.jlvs.control.l7.L7Service;
import io.jlvs.forwarder.IpvsRuntime;
import io.jlvs.forwarder.KernelPorts;
import io.jlvs.control.l7.L7SplicerFigures;
import io.jlvs.layer7.L7Runtime;
import io.jlvs.layer7.L7ServiceSpec;
import io.jlvs.layer7.proxy.ProxyCounters;
import io.jlvs.layer7.proxy.ProxyOptions;
import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.ContentRule;
import io.jlvs.layer7.route.SchedulerKind;
import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.SpliceMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.jlvs.platform.splice.Splicer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What tcpvsadm reaches: the layer-7 desired state in force, applied to the proxy as a difference, the health
 * checks of its servers following it, and each service's figures (connections per server, hits per rule, the proxy's
 * counters and its splicer's) and servers' health for -L.
 *
 * <p>A started service that listens on a VIP ({@link L7ListenVips}) has its port put in force as a kernel port of
 * the data plane ({@link IpvsRuntime#setKernelPorts}) before its listener binds, and taken out after the listener
 * closed: the VIP then has its local route, so the bind needs no non-local binding, and no moment passes where the
 * kernel gets a VIP's segments without a route for them.
 */
final class L7Supervisor implements L7Operations {
    private static final Logger LOG = LoggerFactory.getLogger(L7Supervisor.class);

    private final L7Runtime runtime;
    private final L7HealthChecks checks;
    private final KernelPortsInForce ipvs;
    private final L7ListenVips.OwnAddresses ownAddresses;
    private final long spliceAfter;

    /** Where the VIP ports of listeners are put in force: the data plane's {@link IpvsRuntime}. */
    interface KernelPortsInForce {
        KernelPorts kernelPorts();

        void setKernelPorts(KernelPorts ports) throws AdmException;

        static KernelPortsInForce of(IpvsRuntime ipvs) {
            return new KernelPortsInForce() {
                @Override
                public KernelPorts kernelPorts() { return ipvs.kernelPorts(); }

                @Override
                public void setKernelPorts(KernelPorts ports) throws AdmException { ipvs.setKernelPorts(ports); }
            };
        }
    }
    private volatile L7Config config = L7Config.EMPTY;

    /** @param spliceAfter bytes of a connection relayed by the proxy before it is spliced */
    L7Supervisor(L7Runtime runtime, L7HealthChecks checks, KernelPortsInForce ipvs, L7ListenVips.OwnAddresses ownAddresses,
                 long spliceAfter) {
        this.spliceAfter = spliceAfter;
        this.runtime = runtime;
        this.checks = checks;
        this.ipvs = ipvs;
        this.ownAddresses = ownAddresses;
    }

    @Override
    public L7Config config() { return config; }

    /**
     * A refusal (a listen address that cannot be bound, or a VIP:port a layer-4 service forwards) puts the previous
     * state back in force whole.
     */
    @Override
    public synchronized void apply(L7Config next) throws L7Exception {
        List<L7ServiceSpec> specs = specs(next);
        KernelPorts before = ipvs.kernelPorts();
        KernelPorts wanted;
        try {
            wanted = L7ListenVips.of(next, ownAddresses.get());
        } catch (IOException e) {
            throw L7Exception.refused("cannot read the director's addresses: " + e.getMessage());
        }
        setKernelPorts(L7ListenVips.union(before, wanted));
        try {
            runtime.apply(specs);
            config = next;
        } catch (IOException | IllegalArgumentException e) {
            try {
                runtime.apply(specs(config));
            } catch (IOException | IllegalArgumentException again) {
                e.addSuppressed(again);
            }
            settle(before);
            throw L7Exception.refused(e.getMessage());
        } finally {
            checks.follow(config);
        }
        settle(wanted);
    }

    private void setKernelPorts(KernelPorts ports) throws L7Exception {
        try {
            ipvs.setKernelPorts(ports);
        } catch (AdmException e) {
            throw L7Exception.refused(e.getMessage());
        }
    }

    /** Takes out the kernel ports of listeners that closed; a failure leaves them in force, which is safe. */
    private void settle(KernelPorts ports) {
        try {
            ipvs.setKernelPorts(ports);
        } catch (AdmException e) {
            LOG.warn("layer-7 listeners that stopped keep their VIP ports with the kernel: {}", e.getMessage());
        }
    }

    private List<L7ServiceSpec> specs(L7Config config) {
        List<L7ServiceSpec> specs = new ArrayList<>();
        for (L7Service s : config.services()) specs.add(spec(s));
        return specs;
    }

    @Override
    public L7Counters counters(L7Service service) {
        ServiceRoutes routes = runtime.routes(service.ident());
        List<Long> servers = new ArrayList<>();
        for (L7Server s : service.servers()) {
            Backend b = routes == null ? null : backend(routes, s.endpoint());
            servers.add(b == null ? 0L : (long) b.active());
        }
        List<Long> hits = new ArrayList<>();
        for (L7Rule r : service.rules()) {
            ContentRule c = routes == null ? null : routes.rule(r.pattern(), r.header(), r.matchGroup());
            hits.add(c == null ? 0L : c.hits().get());
        }
        return new L7Counters(servers, hits, proxyFigures(runtime.counters(service.ident())),
                splicerFigures(runtime.splicer(service.ident())));
    }

    private static L7ProxyFigures proxyFigures(ProxyCounters c) {
        if (c == null) return L7ProxyFigures.ZERO;
        return new L7ProxyFigures(c.accepted.get(), c.spliced.get(), c.splicedNow.get(), c.malformed.get(),
                c.headTooLarge.get(), c.serverRefused.get(), c.noServer.get(), c.serverTimedOut.get(), c.slowHeads.get());
    }

    private static L7SplicerFigures splicerFigures(Splicer s) {
        if (s == null) return L7SplicerFigures.NONE;
        return new L7SplicerFigures(s.mode().optionValue(), s.activePairs(), s.kernelEntries());
    }

    @Override
    public L7Health health(L7Service service) {
        return checks.health(service);
    }

    private static Backend backend(ServiceRoutes routes, L7Endpoint e) {
        InetSocketAddress a = address(e);
        for (Backend b : routes.servers()) if (b.address().equals(a)) return b;
        return null;
    }

    private L7ServiceSpec spec(L7Service s) {
        List<L7ServiceSpec.Server> servers = new ArrayList<>();
        for (L7Server server : s.servers()) servers.add(new L7ServiceSpec.Server(address(server.endpoint()), server.weight()));
        List<L7ServiceSpec.Rule> rules = new ArrayList<>();
        for (L7Rule r : s.rules()) rules.add(new L7ServiceSpec.Rule(r.pattern(), r.header(), r.matchGroup(), address(r.server())));
        L7Options o = s.options();
        ProxyOptions options = ProxyOptions.DEFAULTS.withForwardedFor(o.forwardedFor())
                .withProxyProtocol(o.proxyProtocol() == L7Options.ProxyProtocol.V2)
                .withSource(o.source().isPresent() ? inet(o.source().getAsInt()) : null)
                .withSplice(o.splice() == L7Options.Splice.AUTO ? null : SpliceMode.parse(o.splice().text()))
                .withSpliceAfter(spliceAfter);
        return new L7ServiceSpec(s.ident(), address(s.listen()), SchedulerKind.parse(s.scheduler().name()), servers,
                rules, options, s.state() == L7Service.State.STARTED);
    }

    static InetSocketAddress address(L7Endpoint e) {
        return new InetSocketAddress(inet(e.address()), e.port());
    }

    private static InetAddress inet(int v4) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an address", e);
        }
    }
}
