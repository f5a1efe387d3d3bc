package io.jlvs.control;

import io.jlvs.control.model.Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names for listings without -n: host name of an address (gethostbyaddr; the numeric form when there is none) and
 * service name of a port (getservbyport). ipvsadm resolves names only for TCP and UDP ports.
 */
public interface NameResolver {
    String hostName(long hi, long lo);

    String portName(int port, String proto);

    /** The system's resolver (hosts file, DNS), with answers cached so a listing asks once per address. */
    static NameResolver system() {
        return SystemNameResolver.INSTANCE;
    }

    final class SystemNameResolver implements NameResolver {
        static final SystemNameResolver INSTANCE = new SystemNameResolver();
        private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

        @Override
        public String hostName(long hi, long lo) {
            String numeric = Addresses.format(hi, lo);
            return cache.computeIfAbsent(numeric, n -> {
                try {
                    String name = InetAddress.getByAddress(Addresses.toBytes(hi, lo)).getCanonicalHostName();
                    return name == null ? n : name;
                } catch (UnknownHostException e) {
                    return n;
                }
            });
        }

        @Override
        public String portName(int port, String proto) {
            if (!proto.equals("tcp") && !proto.equals("udp")) return null;
            return ServicePorts.system().name(port, proto);
        }
    }
}
