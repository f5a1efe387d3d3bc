package io.jlvs.console;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ServiceKey;

/**
 * The names of services and real servers on the HTTP surface: a service is {@code tcp/10.0.0.1:80},
 * {@code udp/[2001:db8::1]:53}, {@code sctp/10.0.0.1:9000}, {@code fwm/1} (an IPv4 fwmark service) or
 * {@code fwm6/1} (IPv6); a server or any endpoint is {@code 10.0.1.2:80} or {@code [2001:db8::2]:80}. The REST
 * paths, the JSON bodies and the metrics' labels all use these forms.
 */
public final class ServiceIds {
    private ServiceIds() {}

    /** The id of a service: its protocol in lower case and its endpoint, or fwm (fwm6) and its mark, unsigned. */
    public static String id(ServiceKey key) {
        if (key.isFwmark()) return (key.af() == 4 ? "fwm/" : "fwm6/") + Integer.toUnsignedString(key.fwmark());
        return key.protocol().servicesName() + '/' + endpoint(key.addrHi(), key.addrLo(), key.port());
    }

    /** ADDRESS:PORT with an IPv6 address in brackets; addresses as in ServiceKey (IPv4 mapped into 128 bits). */
    public static String endpoint(long addrHi, long addrLo, int port) {
        if (Addresses.isV4(addrHi, addrLo)) return Addresses.formatV4((int) addrLo) + ':' + port;
        return "[" + Addresses.formatV6(addrHi, addrLo) + "]:" + port;
    }

    /**
     * The ipvsadm options that name the service of an id ({@code -t 10.0.0.1:80}, {@code -f 1 -6}).
     *
     * @throws IllegalArgumentException when the id is not of one of the forms above; its message says so
     */
    public static String[] options(String id) {
        int slash = id.indexOf('/');
        if (slash <= 0 || slash == id.length() - 1) throw malformed(id);
        String kind = id.substring(0, slash);
        String rest = id.substring(slash + 1);
        return switch (kind) {
            case "tcp" -> new String[] {"-t", rest};
            case "udp" -> new String[] {"-u", rest};
            case "sctp" -> new String[] {"--sctp-service", rest};
            case "fwm" -> new String[] {"-f", rest};
            case "fwm6" -> new String[] {"-f", rest, "-6"};
            default -> throw malformed(id);
        };
    }

    private static IllegalArgumentException malformed(String id) {
        return new IllegalArgumentException("not a service: '" + id
                + "' (expected PROTOCOL/ADDRESS:PORT with tcp, udp or sctp, or fwm/MARK or fwm6/MARK)");
    }
}
