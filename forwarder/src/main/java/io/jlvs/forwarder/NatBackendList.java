package io.jlvs.forwarder;

import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.MarkRule;
import io.jlvs.platform.hostguard.NatBackend;

import java.util.ArrayList;
import java.util.List;

/**
 * The NAT real-server endpoints whose un-NATed replies the host guard keeps from the director's kernel. A -t/-u
 * service names its protocol; a -f service's protocols and ports come from its mark rules: a server with a port
 * gives one entry per protocol, a port-0 server (which keeps the packet's destination port) one per port of each
 * rule's range, up to {@link #MAX_PORTS_PER_RULE}. Wider ranges are left out: the nftables set holds exact
 * endpoints, and listing tens of thousands would cost more than it guards (those replies are not to the director,
 * so its kernel forwards them only if ip_forward is on; see README "fwmark services").
 */
public final class NatBackendList {
    static final int MAX_PORTS_PER_RULE = 256;

    private NatBackendList() {}

    public static List<NatBackend> of(List<RuntimeService> services, List<MarkRule> markRules) {
        List<NatBackend> out = new ArrayList<>();
        for (RuntimeService s : services) {
            if (s.key.af() != 4) continue;
            for (RuntimeDest d : s.dests()) {
                if (d.method() != ForwardMethod.MASQ || !d.config().isV4()) continue;
                int port = d.server().port();
                if (!s.key.isFwmark()) {
                    out.add(new NatBackend(d.addressV4(), s.key.protocol().number(), port));
                    continue;
                }
                for (MarkRule r : markRules) {
                    if (r.mark() != s.key.fwmark() || r.isIpv6()) continue;
                    if (port != 0) {
                        out.add(new NatBackend(d.addressV4(), r.protocol().number(), port));
                    } else if (r.portTo() - r.portFrom() < MAX_PORTS_PER_RULE) {
                        for (int p = r.portFrom(); p <= r.portTo(); p++) out.add(new NatBackend(d.addressV4(), r.protocol().number(), p));
                    }
                }
            }
        }
        return out;
    }
}
