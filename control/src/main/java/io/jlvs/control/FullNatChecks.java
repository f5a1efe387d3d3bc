package io.jlvs.control;

import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfigBuilder;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;

/**
 * What FullNAT needs of a configuration: a FullNAT real server belongs to an IPv4 service with local addresses
 * (--laddr), and a service keeps them while it has FullNAT servers. Refused as the kernel refuses a bad
 * destination (exit 255), so nothing is half-applied.
 */
final class FullNatChecks {
    private FullNatChecks() {}

    static void server(IpvsConfigBuilder b, ServiceKey key, RealServerConfig rs) throws AdmException {
        if (rs.method() != ForwardMethod.FULLNAT) return;
        if (key.af() != 4 || !rs.isV4()) throw AdmException.refused("FullNAT is for IPv4 services and servers");
        boolean pool = b.service(key).map(s -> !s.localAddresses().isEmpty()).orElse(false);
        if (!pool) throw AdmException.refused("FullNAT needs the service's local addresses (--laddr)");
    }

    static void service(IpvsConfigBuilder b, ServiceConfig c) throws AdmException {
        if (!c.localAddresses().isEmpty()) return;
        for (RealServerConfig rs : b.realServers(c.key())) {
            if (rs.method() == ForwardMethod.FULLNAT)
                throw AdmException.refused("The service's FullNAT servers need its local addresses (--laddr)");
        }
    }
}
