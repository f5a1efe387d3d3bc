package io.jlvs.failover.vrrp;

/**
 * Where an instance's adverts leave from: a {@link VrrpSocket} on the director, a recorder in tests. The instances
 * of one interface, family and unicast source share one port, and a packet received there goes to them. Addresses
 * are 128 bits, IPv4 as IPv4-mapped (as {@code Addresses} has them).
 */
interface AdvertPort {
    /** Whether the port speaks IPv6 (version 3 to ff02::12) rather than IPv4. */
    boolean ipv6();

    /** The address adverts come from (unicast_src_ip, else the interface's first IPv4 or its link-local address). */
    long sourceHi();

    long sourceLo();

    /** Sends a VRRP message (no IP header) of {@code length} bytes to [toHi toLo]; false when it could not be sent. */
    boolean send(byte[] message, int length, long toHi, long toLo);
}
