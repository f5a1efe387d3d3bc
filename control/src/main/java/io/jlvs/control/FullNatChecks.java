package io.jlvs.control;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfigBuilder;
import io.jlvs.control.model.Ipv6Address;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What FullNAT needs of a configuration: a FullNAT real server is of its service's family (IPv4 to IPv4 or IPv6 to
 * IPv6: no NAT64) and belongs to a service with local addresses (--laddr) of that family, and a service keeps them
 * while it has FullNAT servers. A service with FullNAT servers is neither --synproxy (the proxy's splice of the two
 * handshakes and FullNAT's local port and PROXY header shift are not joined) nor one-packet (-o, UDP and fwmark
 * services: a datagram forwarded without a connection leaves no local port for the server's reply to find). The
 * PROXY v2 header (--proxy-protocol) is of the service's family, as the server is. Refused as the kernel refuses a bad destination (exit 255), so nothing
 * is half-applied.
 */
final class FullNatChecks {
    static final String LOCAL_ADDRESS_FAMILY =
            "--laddr takes local addresses of the service's family (IPv4 for IPv4 services, IPv6 for IPv6 services)";

    private FullNatChecks() {}

    static void server(IpvsConfigBuilder b, ServiceKey key, RealServerConfig rs) throws AdmException {
        if (rs.method() != ForwardMethod.FULLNAT) return;
        if (key.af() != (rs.isV4() ? 4 : 6))
            throw AdmException.refused("FullNAT needs a real server of the service's family (no NAT64)");
        ServiceConfig service = b.service(key).orElse(null);
        if (service == null || !service.hasLocalAddresses())
            throw AdmException.refused("FullNAT needs the service's local addresses (--laddr)");
        refuseCombinations(service);
    }

    private static void refuseCombinations(ServiceConfig c) throws AdmException {
        if (c.synproxy()) throw AdmException.refused("FullNAT servers cannot serve a --synproxy service");
        if (c.onePacket())
            throw AdmException.refused("FullNAT servers cannot serve a one-packet (-o) service");
    }

    /** -P: the addresses (of the service's family) join the service's pool, none of them in it already. */
    static void addLocalAddresses(IpvsConfigBuilder b, ServiceKey key, List<Integer> addresses,
                                  List<Ipv6Address> addresses6) throws AdmException {
        ServiceConfig c = b.service(key).orElseThrow(() -> AdmException.refused("No such service"));
        if (key.af() == 6 ? !addresses.isEmpty() : !addresses6.isEmpty())
            throw AdmException.refused(LOCAL_ADDRESS_FAMILY);
        List<Integer> pool = new ArrayList<>(c.localAddresses());
        for (int a : addresses) {
            if (pool.contains(a)) throw AdmException.refused("Local address " + Addresses.formatV4(a) + " already exists");
            pool.add(a);
        }
        List<Ipv6Address> pool6 = new ArrayList<>(c.localAddresses6());
        for (Ipv6Address a : addresses6) {
            if (pool6.contains(a)) throw AdmException.refused("Local address " + a + " already exists");
            pool6.add(a);
        }
        b.putService(withPool(c, pool, pool6));
    }

    /** -Q: the addresses leave the service's pool; the last one stays while the service has FullNAT servers. */
    static void deleteLocalAddresses(IpvsConfigBuilder b, ServiceKey key, List<Integer> addresses,
                                     List<Ipv6Address> addresses6) throws AdmException {
        ServiceConfig c = b.service(key).orElseThrow(() -> AdmException.refused("No such service"));
        List<Integer> pool = new ArrayList<>(c.localAddresses());
        for (int a : addresses) {
            if (!pool.remove(Integer.valueOf(a)))
                throw AdmException.refused("No such local address " + Addresses.formatV4(a));
        }
        List<Ipv6Address> pool6 = new ArrayList<>(c.localAddresses6());
        for (Ipv6Address a : addresses6) {
            if (!pool6.remove(a)) throw AdmException.refused("No such local address " + a);
        }
        ServiceConfig next = withPool(c, pool, pool6);
        service(b, next);
        b.putService(next);
    }

    private static ServiceConfig withPool(ServiceConfig c, List<Integer> pool, List<Ipv6Address> pool6) {
        return new ServiceConfig(c.key(), c.scheduler(), c.schedFlags(), c.persistTimeout(), c.netmaskHi(),
                c.netmaskLo(), c.pe(), c.onePacket(), c.synproxy(), pool, c.sloppyTcp(), pool6);
    }

    /** -E (and -Q through it): a service with FullNAT servers keeps its pool and takes no refused option. */
    static void service(IpvsConfigBuilder b, ServiceConfig c) throws AdmException {
        for (RealServerConfig rs : b.realServers(c.key())) {
            if (rs.method() != ForwardMethod.FULLNAT) continue;
            if (!c.hasLocalAddresses())
                throw AdmException.refused("The service's FullNAT servers need its local addresses (--laddr)");
            refuseCombinations(c);
            return;
        }
    }
}
