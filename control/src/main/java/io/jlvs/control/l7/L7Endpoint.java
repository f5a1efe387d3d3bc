package io.jlvs.control.l7;

import io.jlvs.control.model.Addresses;

/**
 * An IPv4 address and a TCP port: where a service listens, or a server it connects to. KTCPVS is IPv4 only, and
 * so is this language.
 *
 * @param address the address as 32 bits, most significant octet first
 * @param port    0..65535
 */
public record L7Endpoint(int address, int port) {
    public L7Endpoint {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " out of range");
    }

    /** Every local address: what -P PORT alone listens on. */
    public static L7Endpoint any(int port) { return new L7Endpoint(0, port); }

    /**
     * "a.b.c.d:port" with a dotted quad and a decimal port; null when text is not one. A missing port is null
     * unless defaultPort is 0 or more, which is then used.
     */
    public static L7Endpoint parse(String text, int defaultPort) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        long address = Addresses.parseV4(host);
        if (address < 0) return null;
        int port = defaultPort;
        if (colon >= 0) port = L7Numbers.parse(text.substring(colon + 1), 0, 65535);
        if (port < 0) return null;
        return new L7Endpoint((int) address, port);
    }

    /** A dotted quad alone; -1 in the long when text is not one. */
    public static long parseAddress(String text) {
        return Addresses.parseV4(text);
    }

    public String addressText() { return Addresses.formatV4(address); }

    /** Whether this endpoint listens on every local address. */
    public boolean isWildcard() { return address == 0; }

    @Override
    public String toString() { return addressText() + ":" + port; }
}
