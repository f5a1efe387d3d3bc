package io.jlvs.control;

import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.protocol.ControlRequest;

/** The arguments of `jlvs drain` and `jlvs undrain`: a service and one of its servers, as ipvsadm writes them. */
public final class OperationArgs {
    private OperationArgs() {}

    /**
     * service is VIP:PORT (or [v6]:PORT) of a TCP (udp false) or UDP service, or a firewall mark number when
     * fwmark is true; server is RIP[:PORT] (the service's port when omitted, as ipvsadm -r does).
     */
    public static ControlRequest.Drain drain(String service, String server, boolean udp, boolean fwmark,
                                             boolean drain) throws AdmException {
        Protocol protocol = udp ? Protocol.UDP : Protocol.TCP;
        String proto = udp ? "udp" : "tcp";
        ServiceKey key;
        int servicePort = 0;
        if (fwmark) {
            int mark;
            try {
                mark = Integer.parseUnsignedInt(service);
            } catch (NumberFormatException e) {
                mark = 0;
            }
            if (mark == 0) throw AdmException.syntax("invalid firewall mark " + service + ": expected 1..4294967295");
            key = ServiceKey.ofFwmark(mark, 4);
        } else {
            AddressArgs.HostPort s = AddressArgs.parse(service, proto);
            if (s == null || s.port() < 0) throw AdmException.syntax("invalid service " + service + ": expected VIP:PORT");
            key = ServiceKey.of(protocol, s.hi(), s.lo(), s.port());
            servicePort = s.port();
        }
        // "[v6]" without a port names the address alone, as a bare v6 address does for ipvsadm
        String host = server.startsWith("[") && server.endsWith("]") ? server.substring(1, server.length() - 1) : server;
        AddressArgs.HostPort r = AddressArgs.parse(host, proto);
        if (r == null) throw AdmException.syntax("invalid server " + server + ": expected RIP[:PORT]");
        if (!fwmark && r.af() != key.af())
            throw AdmException.syntax("server " + server + " is not of the service's address family");
        return new ControlRequest.Drain(fwmark ? ServiceKey.ofFwmark(key.fwmark(), r.af()) : key, r.hi(), r.lo(),
                r.port() < 0 ? servicePort : r.port(), drain);
    }
}
