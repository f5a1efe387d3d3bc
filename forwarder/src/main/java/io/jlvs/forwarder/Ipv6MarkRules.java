package io.jlvs.forwarder;

import io.jlvs.control.model.MarkRule;
import io.jlvs.platform.hostguard.Ipv6Endpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IPv6 mark rules as the data plane runs them, as {@link MarkRules} does for IPv4: parallel primitive arrays
 * (128-bit networks and masks as two longs) scanned in order, the first match giving the packet its firewall mark and
 * so its IPv6 -f service. Asked only for packets that no protocol/address/port service takes. The /128 rules'
 * addresses are VIPs (Neighbour Discovery, the host guard); the destinations of wider rules are not owned: the
 * operator routes them to the director, as for IPv4's rules wider than /32. Immutable; a lookup allocates nothing.
 */
final class Ipv6MarkRules {
    static final Ipv6MarkRules NONE = new Ipv6MarkRules(List.of(), Map.of());

    private final int[] protocol, portFrom, portTo;
    private final long[] netHi, netLo, maskHi, maskLo;
    private final RuntimeService[] service;
    private final List<Ipv6Endpoint> hostAddresses;
    /** Indexes of the rules wider than /128, whose destinations the operator routes to the director. */
    private final int[] routedRules;

    /** @param serviceByMark the IPv6 -f services by their mark */
    Ipv6MarkRules(List<MarkRule> all, Map<Integer, RuntimeService> serviceByMark) {
        List<MarkRule> rules = new ArrayList<>();
        for (MarkRule r : all) if (r.isIpv6()) rules.add(r);
        int n = rules.size();
        protocol = new int[n];
        portFrom = new int[n];
        portTo = new int[n];
        netHi = new long[n];
        netLo = new long[n];
        maskHi = new long[n];
        maskLo = new long[n];
        service = new RuntimeService[n];
        Set<Ipv6Endpoint> hosts = new LinkedHashSet<>();
        int[] routed = new int[n];
        int routedCount = 0;
        for (int i = 0; i < n; i++) {
            MarkRule r = rules.get(i);
            protocol[i] = r.protocol().number();
            portFrom[i] = r.portFrom();
            portTo[i] = r.portTo();
            netHi[i] = r.addrHi();
            netLo[i] = r.addrLo();
            maskHi[i] = MarkRule.netmaskHi(r.prefixLength());
            maskLo[i] = MarkRule.netmaskLo(r.prefixLength());
            service[i] = serviceByMark.get(r.mark());
            if (r.isHost()) hosts.add(Ipv6Endpoint.address(r.addrHi(), r.addrLo()));
            else routed[routedCount++] = i;
        }
        hostAddresses = List.copyOf(hosts);
        routedRules = Arrays.copyOf(routed, routedCount);
    }

    /**
     * The service of the first rule that matches, or null when none matches or the first match's mark has no IPv6
     * -f service (as in IPVS, where a marked packet without a fwmark service is not IPVS's).
     */
    RuntimeService lookup(int proto, long hi, long lo, int port) {
        for (int i = 0; i < protocol.length; i++) {
            if (protocol[i] == proto && (hi & maskHi[i]) == netHi[i] && (lo & maskLo[i]) == netLo[i]
                    && port >= portFrom[i] && port <= portTo[i]) {
                return service[i];
            }
        }
        return null;
    }

    /** The addresses of the /128 rules, each once: the director owns them as IPv6 VIPs. */
    List<Ipv6Endpoint> hostAddresses() { return hostAddresses; }

    boolean hasRoutedRules() { return routedRules.length > 0; }

    /** Whether a rule wider than /128 covers the address: such packets are routed to the director, not to a VIP. */
    boolean coversRouted(long hi, long lo) {
        for (int i : routedRules) {
            if ((hi & maskHi[i]) == netHi[i] && (lo & maskLo[i]) == netLo[i]) return true;
        }
        return false;
    }
}
