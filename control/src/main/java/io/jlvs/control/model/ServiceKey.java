package io.jlvs.control.model;

import java.util.Comparator;

/**
 * Identity of a virtual service: protocol + address + port, or a firewall mark (protocol null, address and port 0).
 * Addresses are 128-bit as in FlowDescription: IPv4 as IPv4-mapped IPv6 (hi = 0, lo = 0x0000_FFFF_xxxx_xxxx).
 *
 * @param af 4 or 6 (for a fwmark service: the family set with -6)
 */
public record ServiceKey(Protocol protocol, long addrHi, long addrLo, int port, int fwmark, int af) {

    public ServiceKey {
        if (af != 4 && af != 6) throw new IllegalArgumentException("af must be 4 or 6: " + af);
        if (fwmark != 0) {
            if (protocol != null || addrHi != 0 || addrLo != 0 || port != 0)
                throw new IllegalArgumentException("a fwmark service has no protocol, address or port");
        } else if (protocol == null) {
            throw new IllegalArgumentException("a service needs a protocol or a fwmark");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** A protocol/address/port service; the family follows from the address. */
    public static ServiceKey of(Protocol protocol, long addrHi, long addrLo, int port) {
        return new ServiceKey(protocol, addrHi, addrLo, port, 0, Addresses.isV4(addrHi, addrLo) ? 4 : 6);
    }

    /** A firewall-mark service of family af. */
    public static ServiceKey ofFwmark(int fwmark, int af) {
        return new ServiceKey(null, 0, 0, 0, fwmark, af);
    }

    public boolean isFwmark() { return fwmark != 0; }

    /**
     * ipvsadm's listing order (libipvs ipvs_cmp_services): fwmark, family (IPv4 first), protocol number, address,
     * port. ipvsadm subtracts 32-bit words as signed ints; this compares them unsigned, which only differs for
     * addresses more than 2^31 apart and keeps the order a total one.
     */
    public static final Comparator<ServiceKey> IPVSADM_ORDER = Comparator
            .comparingLong((ServiceKey k) -> Integer.toUnsignedLong(k.fwmark()))
            .thenComparingInt(ServiceKey::af)
            .thenComparingInt(k -> k.protocol() == null ? 0 : k.protocol().number())
            .thenComparing((a, b) -> Long.compareUnsigned(a.addrHi(), b.addrHi()))
            .thenComparing((a, b) -> Long.compareUnsigned(a.addrLo(), b.addrLo()))
            .thenComparingInt(ServiceKey::port);
}
