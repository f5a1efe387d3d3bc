package io.jlvs.health.engine;

import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.IpvsConfigBuilder;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's edits of the desired state: its own services replaced by what its virtual servers say, every other
 * service (jlvsadm's) left as it is.
 */
final class ServiceEdit {
    private ServiceEdit() {}

    static IpvsConfig apply(IpvsConfig current, Collection<VirtualServerRun> virtualServers,
                            Collection<ServiceKey> removed) {
        IpvsConfigBuilder b = current.toBuilder();
        for (ServiceKey key : removed) b.removeService(key);
        for (VirtualServerRun vs : virtualServers) {
            List<RealServerConfig> servers = vs.realServers();
            for (ServiceConfig service : vs.def.services()) replace(current, b, service, servers);
        }
        return b.build();
    }

    /** The service with exactly these servers, keeping its place and the servers' order where they stay. */
    private static void replace(IpvsConfig current, IpvsConfigBuilder b, ServiceConfig service,
                                List<RealServerConfig> servers) {
        b.putService(service);
        Set<Endpoint> wanted = new HashSet<>();
        for (RealServerConfig rs : servers) wanted.add(Endpoint.of(rs));
        if (current.hasService(service.key())) {
            for (RealServerConfig old : current.realServers(service.key())) {
                if (!wanted.contains(Endpoint.of(old))) {
                    b.removeRealServer(service.key(), old.addrHi(), old.addrLo(), old.port());
                }
            }
        }
        for (RealServerConfig rs : servers) b.putRealServer(service.key(), rs);
    }
}
