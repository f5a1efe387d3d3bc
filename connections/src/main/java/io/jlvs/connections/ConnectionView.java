package io.jlvs.connections;

/**
 * A consistent copy of one connection entry, reused for every entry of a listing (no allocation per entry).
 * Addresses are 128-bit (hi, lo); IPv4 is IPv4-mapped (hi = 0, lo = 0x0000FFFF_xxxxxxxx).
 */
public final class ConnectionView {
    long handle;
    int protocol, state, serviceId, destId, flags;
    long clientHi, clientLo, virtualHi, virtualLo, realHi, realLo;
    int clientPort, virtualPort, realPort;
    long expiresAtNanos, remainingNanos;

    public long handle() { return handle; }
    public int protocol() { return protocol; }
    /** TCP: a {@link TcpState}; other protocols: 0. */
    public int state() { return state; }
    /** The state as ipvsadm -c prints it: the TCP state name, "UDP" for UDP (and other non-TCP) entries. */
    public String stateName() { return protocol == ConnectionTable.PROTO_TCP ? TcpState.name(state) : "UDP"; }
    public int serviceId() { return serviceId; }
    public int destId() { return destId; }
    public int flags() { return flags; }
    public long clientHi() { return clientHi; }
    public long clientLo() { return clientLo; }
    public int clientPort() { return clientPort; }
    public long virtualHi() { return virtualHi; }
    public long virtualLo() { return virtualLo; }
    public int virtualPort() { return virtualPort; }
    public long realHi() { return realHi; }
    public long realLo() { return realLo; }
    public int realPort() { return realPort; }
    public long expiresAtNanos() { return expiresAtNanos; }
    /** Time left before expiry at the listing's clock, never negative. */
    public long remainingNanos() { return remainingNanos; }
    /** Remaining whole seconds, rounded up like the kernel's listing (an entry about to expire shows 00:01). */
    public long remainingSeconds() { return (remainingNanos + 999_999_999L) / 1_000_000_000L; }

    @Override
    public String toString() {
        return "ConnectionView[proto=" + protocol + " state=" + stateName() + " client=" + Long.toHexString(clientLo)
                + ":" + clientPort + " virtual=" + Long.toHexString(virtualLo) + ":" + virtualPort + " real="
                + Long.toHexString(realLo) + ":" + realPort + " dest=" + destId + " remainingNanos=" + remainingNanos + "]";
    }
}
