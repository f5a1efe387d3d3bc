package io.jlvs.control.model;

/**
 * One jlvs mark rule: packets of {@code protocol} to an IPv4 destination inside {@code address/prefixLength}, and
 * (when a port range is given) to a destination port inside it, carry firewall mark {@code mark}. The kernel's
 * IPVS reads marks that iptables set; a user-space director cannot read netfilter marks, so jlvs assigns them
 * with these rules (jlvsadm --mark) and then looks the mark up among the -f services.
 *
 * @param address      IPv4 network address, host bits zero (normalised by the constructor)
 * @param portFrom     first destination port matched; 0 with portTo 65535 = any port
 */
public record MarkRule(int mark, Protocol protocol, int address, int prefixLength, int portFrom, int portTo) {
    public MarkRule {
        if (mark == 0) throw new IllegalArgumentException("mark 0 means no mark");
        if (protocol == null) throw new IllegalArgumentException("a mark rule needs a protocol");
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix 0..32: " + prefixLength);
        if (portFrom < 0 || portTo > 65535 || portFrom > portTo)
            throw new IllegalArgumentException("port range " + portFrom + ":" + portTo);
        address &= netmask(prefixLength);
    }

    /** The network mask of a prefix length as an int (0 for /0). */
    public static int netmask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public boolean anyPort() { return portFrom == 0 && portTo == 65535; }

    /** A /32 rule names one address: jlvs owns it as a VIP (ARP, ping, filters). */
    public boolean isHost() { return prefixLength == 32; }

    public boolean matches(int protocolNumber, int dstV4, int dstPort) {
        return protocolNumber == protocol.number() && (dstV4 & netmask(prefixLength)) == address
                && dstPort >= portFrom && dstPort <= portTo;
    }

    /** The match as jlvsadm takes it, without the command: "-P tcp -d 10.0.0.100/32 --dport 80". */
    public String matchText() {
        StringBuilder sb = new StringBuilder("-P ").append(protocol.servicesName()).append(" -d ")
                .append(Addresses.formatV4(address)).append('/').append(prefixLength);
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
