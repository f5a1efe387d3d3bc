package io.jlvs.layer7;

import io.jlvs.layer7.proxy.ProxyOptions;
import io.jlvs.layer7.route.SchedulerKind;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The desired state of one layer-7 service, as tcpvsadm and KTCPVS's configuration file give it.
 *
 * @param started whether it listens (tcpvsadm --start / --stop)
 */
public record L7ServiceSpec(String ident, InetSocketAddress listen, SchedulerKind scheduler, List<Server> servers,
                            List<Rule> rules, ProxyOptions options, boolean started) {
    /** A real server and its weight. */
    public record Server(InetSocketAddress address, int weight) {}

    /**
     * A rule: a pattern over the path, or over a header's value when header is set, sending matching requests to a
     * server; match is the capture group hhttp hashes (0: none).
     */
    public record Rule(String pattern, String header, int match, InetSocketAddress server) {}

    public L7ServiceSpec {
        servers = List.copyOf(servers);
        rules = List.copyOf(rules);
    }
}
