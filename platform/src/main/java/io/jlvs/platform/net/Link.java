package io.jlvs.platform.net;

import io.jlvs.packets.Ipv4;

import java.util.Arrays;

/**
 * One network interface as the kernel reports it. {@code mac} holds the link-layer address in its low 48 bits,
 * first byte most significant (-1 for links without one); IPv4 addresses are int values of network order
 * (10.0.0.1 = 0x0A000001), each with the prefix length at the same index.
 */
public record Link(int ifIndex, String name, long mac, int mtu, boolean up, int[] ipv4Addresses, int[] prefixLengths) {

    /** The first IPv4 address, or 0 when the link has none. */
    public int firstIpv4() {
        return ipv4Addresses.length == 0 ? 0 : ipv4Addresses[0];
    }

    public static String formatMac(long mac) {
        if (mac < 0) return "none";
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) text.append(':');
            text.append(String.format("%02x", (mac >>> shift) & 0xFF));
        }
        return text.toString();
    }

    public static String formatIpv4(int address) {
        return Ipv4.toString(address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Link other && ifIndex == other.ifIndex && name.equals(other.name) && mac == other.mac
                && mtu == other.mtu && up == other.up && Arrays.equals(ipv4Addresses, other.ipv4Addresses)
                && Arrays.equals(prefixLengths, other.prefixLengths);
    }

    @Override
    public int hashCode() {
        return 31 * ifIndex + name.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder addresses = new StringBuilder();
        for (int i = 0; i < ipv4Addresses.length; i++) {
            if (i > 0) addresses.append(", ");
            addresses.append(formatIpv4(ipv4Addresses[i])).append('/').append(prefixLengths[i]);
        }
        return "Link[" + ifIndex + " " + name + " " + formatMac(mac) + " mtu " + mtu + (up ? " up" : " down")
                + " [" + addresses + "]]";
    }
}
