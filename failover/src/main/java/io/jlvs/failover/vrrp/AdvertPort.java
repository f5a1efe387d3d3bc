package io.jlvs.failover.vrrp;

/**
 * Where an instance's adverts leave from: a {@link VrrpSocket} on the director, a recorder in tests. The instances
 * of one interface and unicast source share one port, and a packet received there goes to them.
 */
interface AdvertPort {
    /** The IPv4 address adverts come from (unicast_src_ip or the interface's first address), big-endian. */
    int primaryAddress();

    /** Sends a VRRP message (no IP header) of {@code length} bytes to {@code to}; false when it could not be sent. */
    boolean send(byte[] message, int length, int to);
}
