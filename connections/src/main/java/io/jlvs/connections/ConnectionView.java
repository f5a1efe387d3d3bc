package io.jlvs.connections;

import io.jlvs.packets.Ipv4;

/**
 * A consistent copy of one connection entry, reused for every entry of a listing and, in each forwarding worker,
 * for every packet (no allocation per entry). Addresses are 128-bit (hi, lo); IPv4 is IPv4-mapped (hi = 0,
 * lo = 0x0000FFFF_xxxxxxxx).
 *
 * <p>A view is valid as a whole or not at all: a lookup that finds nothing, or a read of a stale handle, leaves
 * it invalid, and then every field reads as {@link #INVALID} (-1 for the handle) until the next successful read.
 * Check {@link #isValid()} before decoding a field such as {@link #flags()}.
 */
public final class ConnectionView {
    /** Every int field of an invalid view: no entry has a negative protocol, port or id. */
    public static final int INVALID = -1;

    boolean valid;
    long handle = -1;
    int protocol, state, serviceId, destId, flags;
    int fwmark;
    long clientHi, clientLo, virtualHi, virtualLo, realHi, realLo;
    int clientPort, virtualPort, realPort;
    long expiresAtNanos, remainingNanos;

    public ConnectionView() {
        invalidate();
    }

    /** Whether the view holds a connection: false after a miss or a stale read. */
    public boolean isValid() { return valid; }

    /** Makes the view invalid as a whole (see the class comment). */
    public void invalidate() {
        valid = false;
        handle = -1;
        protocol = state = serviceId = destId = flags = fwmark = INVALID;
        clientPort = virtualPort = realPort = INVALID;
        clientHi = clientLo = virtualHi = virtualLo = realHi = realLo = 0;
        expiresAtNanos = remainingNanos = 0;
    }

    /**
     * Completes a copy whose other fields the table has just read and validated: handle, protocol and state
     * from the entry's life word. The time fields are zero unless the read was a listing's.
     */
    void validate(long handle, long word) {
        this.handle = handle;
        this.protocol = EntrySlab.proto(word);
        this.state = EntrySlab.state(word);
        this.expiresAtNanos = 0;
        this.remainingNanos = 0;
        this.valid = true;
    }

    /** The view of an entry just created from {@code p}. */
    void set(ConnectionParam p, long handle, long word, long deadline) {
        clientHi = p.clientHi;
        clientLo = p.clientLo;
        clientPort = p.clientPort;
        virtualHi = p.virtualHi;
        virtualLo = p.virtualLo;
        virtualPort = p.virtualPort;
        realHi = p.realHi;
        realLo = p.realLo;
        realPort = p.realPort;
        serviceId = p.serviceId;
        destId = p.destId;
        flags = p.flags;
        fwmark = p.fwmark;
        validate(handle, word);
        expiresAtNanos = deadline;
    }

    public long handle() { return handle; }
    public int protocol() { return protocol; }
    /** TCP: a {@link TcpState}; other protocols: 0. */
    public int state() { return state; }
    /** The state as ipvsadm -c prints it: the TCP state name, "UDP" for UDP (and other non-TCP) entries. */
    public String stateName() { return protocol == Ipv4.PROTO_TCP ? TcpState.name(state) : "UDP"; }
    public int serviceId() { return serviceId; }
    public int destId() { return destId; }
    public int flags() { return flags; }
    /** The firewall mark of the connection's service, 0 for a service by address. */
    public int fwmark() { return fwmark; }
    public long clientHi() { return clientHi; }
    public long clientLo() { return clientLo; }
    public int clientPort() { return clientPort; }
    public long virtualHi() { return virtualHi; }
    public long virtualLo() { return virtualLo; }
    public int virtualPort() { return virtualPort; }
    public long realHi() { return realHi; }
    public long realLo() { return realLo; }
    public int realPort() { return realPort; }
    /** Deadline when the view was filled by a listing or a read by handle; 0 after a lookup. */
    public long expiresAtNanos() { return expiresAtNanos; }
    /** Time left before expiry at the listing's clock, never negative (0 after a lookup). */
    public long remainingNanos() { return remainingNanos; }
    /** Remaining whole seconds, rounded up like the kernel's listing (an entry about to expire shows 00:01). */
    public long remainingSeconds() { return (remainingNanos + 999_999_999L) / 1_000_000_000L; }

    @Override
    public String toString() {
        if (!valid) return "ConnectionView[invalid]";
        return "ConnectionView[proto=" + protocol + " state=" + stateName() + " client=" + Long.toHexString(clientLo)
                + ":" + clientPort + " virtual=" + Long.toHexString(virtualLo) + ":" + virtualPort + " real="
                + Long.toHexString(realLo) + ":" + realPort + " dest=" + destId + " remainingNanos=" + remainingNanos + "]";
    }
}
