package io.jlvs.forwarder;

import io.jlvs.control.AdmException;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceKey;

/**
 * What the data plane forwards for IPv6, checked before a change is applied: a refusal names what is missing, and
 * nothing of the change is applied. The family of a service and of its real servers must agree (an IPv6 service
 * itself may use everything an IPv4 one may).
 */
final class Ipv6Support {
    private Ipv6Support() {}

    /**
     * A real server of {@code service}: the same family as the service (an IPv4 VIP tunnelled to an IPv6 server or
     * the reverse, which IPVS allows, is not forwarded yet).
     */
    static void checkServer(ServiceKey service, RealServerConfig r) throws AdmException {
        boolean v6Service = service.af() == 6;
        if (service.isFwmark()) {
            if (v6Service == r.isV4()) {
                throw AdmException.refused("jlvs: real server " + Addresses.format(r.addrHi(), r.addrLo())
                        + " of an " + (v6Service ? "IPv6" : "IPv4") + " firewall-mark service must be "
                        + (v6Service ? "IPv6" : "IPv4"));
            }
            return;
        }
        if (v6Service == r.isV4()) {
            throw AdmException.refused("jlvs: the real servers of an " + (v6Service ? "IPv6" : "IPv4")
                    + " service must be " + (v6Service ? "IPv6" : "IPv4") + " too");
        }
        if (v6Service && r.method() == ForwardMethod.TUNNEL && r.tunType() != null && !r.tunType().equals("ipip")) {
            throw AdmException.refused("jlvs: --tun-type " + r.tunType() + " is not supported yet: only ipip "
                    + "(IPv6-in-IPv6 for IPv6 real servers)");
        }
    }
}
