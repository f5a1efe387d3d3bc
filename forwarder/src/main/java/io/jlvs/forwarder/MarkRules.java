package io.jlvs.forwarder;

import io.jlvs.control.model.MarkRule;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The jlvs mark rules as the data plane runs them: parallel primitive arrays scanned in order, the first match
 * giving the packet its firewall mark and so its -f service (resolved once, when the index is built). Immutable;
 * a lookup allocates nothing. The kernel consults fwmark services only for packets that carry a mark; jlvs asks
 * these rules only for packets that no protocol/address/port service takes (see {@link ServiceIndex#lookup}).
 *
 * <p>The scan is linear: rules are meant to be few (one per VIP or prefix and port range of a fwmark service).
 */
final class MarkRules {
    static final MarkRules NONE = new MarkRules(List.of(), Map.of());

    private final int[] protocol, network, netmask, portFrom, portTo;
    /** The -f service of each rule's mark, or null when none exists (the packet then has no service). */
    private final RuntimeService[] service;
    /** Destinations of /32 rules, sorted and distinct: jlvs owns them as VIPs. */
    private final int[] hostAddresses;
    /** Indexes of the rules wider than /32, whose destinations the operator routes to the director. */
    private final int[] routedRules;

    /** @param all every mark rule; the IPv6 ones are {@link Ipv6MarkRules}' */
    MarkRules(List<MarkRule> all, Map<Integer, RuntimeService> serviceByMark) {
        List<MarkRule> rules = all.stream().filter(r -> !r.isIpv6()).toList();
        int n = rules.size();
        protocol = new int[n];
        network = new int[n];
        netmask = new int[n];
        portFrom = new int[n];
        portTo = new int[n];
        service = new RuntimeService[n];
        int[] hosts = new int[n];
        int[] routed = new int[n];
        int hostCount = 0, routedCount = 0;
        for (int i = 0; i < n; i++) {
            MarkRule r = rules.get(i);
            protocol[i] = r.protocol().number();
            network[i] = r.address();
            netmask[i] = MarkRule.netmask(r.prefixLength());
            portFrom[i] = r.portFrom();
            portTo[i] = r.portTo();
            service[i] = serviceByMark.get(r.mark());
            if (r.isHost()) hosts[hostCount++] = r.address();
            else routed[routedCount++] = i;
        }
        hostAddresses = Arrays.stream(hosts, 0, hostCount).distinct().sorted().toArray();
        routedRules = Arrays.copyOf(routed, routedCount);
    }

    /**
     * The service of the first rule that matches, or null when no rule matches or the first match's mark has no
     * -f service (as in IPVS, where a marked packet without a fwmark service is not IPVS's).
     */
    RuntimeService lookup(int proto, int dst, int dstPort) {
        for (int i = 0; i < protocol.length; i++) {
            if (protocol[i] == proto && (dst & netmask[i]) == network[i] && dstPort >= portFrom[i] && dstPort <= portTo[i]) {
                return service[i];
            }
        }
        return null;
    }

    int[] hostAddresses() { return hostAddresses; }

    boolean hasRoutedRules() { return routedRules.length > 0; }

    /** Whether a rule wider than /32 covers dst: such packets are routed to the director, not addressed to a VIP. */
    boolean coversRouted(int dst) {
        for (int i : routedRules) {
            if ((dst & netmask[i]) == network[i]) return true;
        }
        return false;
    }
}
