package io.jlvs.control.model;

/**
 * One jlvs mark rule: packets of {@code protocol} to a destination inside {@code address/prefixLength} (IPv4, or
 * IPv6 for an IPv6 -f service), and (when a port range is given) to a destination port inside it, carry firewall
 * mark {@code mark}. The kernel's IPVS reads marks that iptables or ip6tables set; a user-space director cannot read
 * netfilter marks, so jlvs assigns them with these rules (jlvsadm --mark) and then looks the mark up among the -f
 * services of the packet's family.
 *
 * @param af           4 or 6
 * @param addrHi       IPv6: the network's high 64 bits; IPv4: 0
 * @param addrLo       IPv6: the network's low 64 bits; IPv4: the address as an unsigned int. Host bits are zero
 *                     (normalised by the constructor)
 * @param portFrom     first destination port matched; 0 with portTo 65535 = any port
 */
public record MarkRule(int mark, Protocol protocol, int af, long addrHi, long addrLo, int prefixLength, int portFrom,
                       int portTo) {
    public MarkRule {
        if (mark == 0) throw new IllegalArgumentException("mark 0 means no mark");
        if (protocol == null) throw new IllegalArgumentException("a mark rule needs a protocol");
        if (af != 4 && af != 6) throw new IllegalArgumentException("family 4 or 6: " + af);
        int maxPrefix = af == 4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > maxPrefix) {
            throw new IllegalArgumentException("prefix 0.." + maxPrefix + ": " + prefixLength);
        }
        if (portFrom < 0 || portTo > 65535 || portFrom > portTo)
            throw new IllegalArgumentException("port range " + portFrom + ":" + portTo);
        if (af == 4) {
            addrHi = 0;
            addrLo = (addrLo & netmask(prefixLength)) & 0xFFFF_FFFFL;
        } else {
            addrHi &= netmaskHi(prefixLength);
            addrLo &= netmaskLo(prefixLength);
        }
    }

    /** An IPv4 rule. */
    public MarkRule(int mark, Protocol protocol, int address, int prefixLength, int portFrom, int portTo) {
        this(mark, protocol, 4, 0, address & 0xFFFF_FFFFL, prefixLength, portFrom, portTo);
    }

    /** An IPv4 rule's network address. */
    public int address() { return (int) addrLo; }

    /** The network mask of a prefix length as an int (0 for /0). */
    public static int netmask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The high 64 bits of an IPv6 prefix length's mask. */
    public static long netmaskHi(int prefixLength) {
        return prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
    }

    /** The low 64 bits of an IPv6 prefix length's mask. */
    public static long netmaskLo(int prefixLength) {
        return prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
    }

    public boolean isIpv6() { return af == 6; }

    public boolean anyPort() { return portFrom == 0 && portTo == 65535; }

    /** A /32 (IPv4) or /128 (IPv6) rule names one address: jlvs owns it as a VIP (ARP or ND, ping, filters). */
    public boolean isHost() { return prefixLength == (af == 4 ? 32 : 128); }

    /** Whether an IPv4 packet matches (never for an IPv6 rule). */
    public boolean matches(int protocolNumber, int dstV4, int dstPort) {
        return af == 4 && protocolNumber == protocol.number() && (dstV4 & netmask(prefixLength)) == address()
                && dstPort >= portFrom && dstPort <= portTo;
    }

    /** The match as jlvsadm takes it, without the command: "-P tcp -d 10.0.0.100/32 --dport 80". */
    public String matchText() {
        StringBuilder sb = new StringBuilder("-P ").append(protocol.servicesName()).append(" -d ")
                .append(af == 4 ? Addresses.formatV4(address()) : Addresses.formatV6(addrHi, addrLo))
                .append('/').append(prefixLength);
        if (!anyPort()) {
            sb.append(" --dport ").append(portFrom);
            if (portTo != portFrom) sb.append(':').append(portTo);
        }
        return sb.toString();
    }

    /** The rule as -S saves it and -R reads it back. */
    public String saveText() {
        return "--mark " + Integer.toUnsignedString(mark) + " " + matchText();
    }
}
