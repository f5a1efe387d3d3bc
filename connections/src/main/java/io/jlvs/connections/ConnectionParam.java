package io.jlvs.connections;

/**
 * The description of one connection that lookups and {@link ConnectionTable#create} read, in the spirit of the
 * kernel's {@code struct ip_vs_conn_param}: a mutable object that each forwarding worker owns and refills for
 * every packet, so that finding and creating connections allocates nothing. Addresses are 128-bit (hi, lo);
 * IPv4 is IPv4-mapped (hi = 0, lo = 0x0000FFFF_xxxxxxxx). Ports are 0..65535.
 *
 * <pre>
 *  key of a client packet (inbound)        key of a real server's reply (outbound)
 *  protocol, client -&gt; virtual             protocol, real -&gt; client
 * </pre>
 *
 * {@link ConnectionTable#lookup} reads the protocol and the two endpoints of the direction it is asked for;
 * create reads every field. Not thread-safe: one per thread.
 */
public final class ConnectionParam {
    int protocol;
    long clientHi, clientLo, virtualHi, virtualLo, realHi, realLo;
    int clientPort, virtualPort, realPort;
    int serviceId, destId, flags;
    int fwmark;

    /** The transport protocol number (6 TCP, 17 UDP). */
    public ConnectionParam protocol(int protocol) {
        this.protocol = protocol;
        return this;
    }

    public ConnectionParam client(long hi, long lo, int port) {
        this.clientHi = hi;
        this.clientLo = lo;
        this.clientPort = port;
        return this;
    }

    public ConnectionParam virtual(long hi, long lo, int port) {
        this.virtualHi = hi;
        this.virtualLo = lo;
        this.virtualPort = port;
        return this;
    }

    public ConnectionParam real(long hi, long lo, int port) {
        this.realHi = hi;
        this.realLo = lo;
        this.realPort = port;
        return this;
    }

    /**
     * What a new connection is bound to: the service, the real server id (counted through
     * {@link ConnectionEvents}) and the caller's flags word, stored as given.
     */
    public ConnectionParam binding(int serviceId, int destId, int flags) {
        this.serviceId = serviceId;
        this.destId = destId;
        this.flags = flags;
        return this;
    }

    /** The firewall mark of the connection's service (-f), 0 for a service by address: stored in the entry. */
    public ConnectionParam fwmark(int fwmark) {
        this.fwmark = fwmark;
        return this;
    }

    public int protocol() { return protocol; }
    public long clientHi() { return clientHi; }
    public long clientLo() { return clientLo; }
    public int clientPort() { return clientPort; }
    public long virtualHi() { return virtualHi; }
    public long virtualLo() { return virtualLo; }
    public int virtualPort() { return virtualPort; }
    public long realHi() { return realHi; }
    public long realLo() { return realLo; }
    public int realPort() { return realPort; }
    public int serviceId() { return serviceId; }
    public int destId() { return destId; }
    public int flags() { return flags; }
    public int fwmark() { return fwmark; }
}
