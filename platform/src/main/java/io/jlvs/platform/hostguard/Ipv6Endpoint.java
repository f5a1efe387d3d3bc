package io.jlvs.platform.hostguard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 address (two halves) with an IP protocol number and a port, for the host guard's IPv6 sets: a VIP
 * (protocol and port 0) or a NAT real server's endpoint.
 */
public record Ipv6Endpoint(long hi, long lo, int protocol, int port) {
    public static Ipv6Endpoint address(long hi, long lo) {
        return new Ipv6Endpoint(hi, lo, 0, 0);
    }

    /** The address as nft reads it. */
    String address() {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (hi >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }
}
