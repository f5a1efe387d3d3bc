package io.jlvs.daemon;

import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Endpoint;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Operations;
import io.jlvs.control.l7.L7Options;
import io.jlvs.control.l7.L7Rule;
import io.jlvs.control.l7.L7Server;
import io.jlvs.control.l7.L7Service;
import io.jlvs.layer7.L7Runtime;
import io.jlvs.layer7.L7ServiceSpec;
import io.jlvs.layer7.proxy.ProxyOptions;
import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.ContentRule;
import io.jlvs.layer7.route.SchedulerKind;
import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.SpliceMode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What tcpvsadm reaches: the layer-7 desired state in force, applied to the proxy as a difference, and each
 * service's figures (connections per server, hits per rule) for -L.
 */
final class L7Supervisor implements L7Operations {
    private final L7Runtime runtime;
    private volatile L7Config config = L7Config.EMPTY;

    L7Supervisor(L7Runtime runtime) {
        this.runtime = runtime;
    }

    @Override
    public L7Config config() { return config; }

    /** A refusal (a listen address that cannot be bound) puts the previous state back in force whole. */
    @Override
    public synchronized void apply(L7Config next) throws L7Exception {
        List<L7ServiceSpec> specs = specs(next);
        try {
            runtime.apply(specs);
            config = next;
        } catch (IOException | IllegalArgumentException e) {
            try {
                runtime.apply(specs(config));
            } catch (IOException | IllegalArgumentException again) {
                e.addSuppressed(again);
            }
            throw L7Exception.refused(e.getMessage());
        }
    }

    private static List<L7ServiceSpec> specs(L7Config config) {
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
        return new L7Counters(servers, hits);
    }

    private static Backend backend(ServiceRoutes routes, L7Endpoint e) {
        InetSocketAddress a = address(e);
        for (Backend b : routes.servers()) if (b.address().equals(a)) return b;
        return null;
    }

    private static L7ServiceSpec spec(L7Service s) {
        List<L7ServiceSpec.Server> servers = new ArrayList<>();
        for (L7Server server : s.servers()) servers.add(new L7ServiceSpec.Server(address(server.endpoint()), server.weight()));
        List<L7ServiceSpec.Rule> rules = new ArrayList<>();
        for (L7Rule r : s.rules()) rules.add(new L7ServiceSpec.Rule(r.pattern(), r.header(), r.matchGroup(), address(r.server())));
        L7Options o = s.options();
        ProxyOptions options = ProxyOptions.DEFAULTS.withForwardedFor(o.forwardedFor())
                .withProxyProtocol(o.proxyProtocol() == L7Options.ProxyProtocol.V2)
                .withSource(o.source().isPresent() ? inet(o.source().getAsInt()) : null)
                .withSplice(o.splice() == L7Options.Splice.AUTO ? null : SpliceMode.parse(o.splice().text()));
        return new L7ServiceSpec(s.ident(), address(s.listen()), SchedulerKind.parse(s.scheduler().name()), servers,
                rules, options, s.state() == L7Service.State.STARTED);
    }

    private static InetSocketAddress address(L7Endpoint e) {
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
