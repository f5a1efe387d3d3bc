package io.jlvs.console;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ServiceKey;

/**
 * The names of services and real servers on the HTTP surface (docs/api.md): a service is
 * {@code PROTOCOL/ADDRESS:PORT} ({@code tcp/10.0.0.1:80}, {@code udp/[2001:db8::1]:53}) or {@code fwm/MARK}, a real
 * server {@code ADDRESS:PORT} ({@code 10.0.1.2:80}, {@code [2001:db8::2]:80}). Addresses are numeric, as
 * {@code jlvsadm -L -n} prints them.
 */
public final class ServiceIds {
    private ServiceIds() {}

    /** The id of a service: its protocol in lower case and its endpoint, or fwm and its mark (unsigned). */
    public static String id(ServiceKey key) {
        if (key.isFwmark()) return "fwm/" + Integer.toUnsignedString(key.fwmark());
        return key.protocol().servicesName() + '/' + endpoint(key.addrHi(), key.addrLo(), key.port());
    }

    /** ADDRESS:PORT with an IPv6 address in brackets; addresses as in ServiceKey (IPv4 mapped into 128 bits). */
    public static String endpoint(long addrHi, long addrLo, int port) {
        if (Addresses.isV4(addrHi, addrLo)) return Addresses.formatV4((int) addrLo) + ':' + port;
        return "[" + Addresses.formatV6(addrHi, addrLo) + "]:" + port;
    }
}
