package io.jlvs.forwarder;

import io.jlvs.control.model.ForwardMethod;

/**
 * The description of one connection learnt from elsewhere (a sync master's message), for
 * {@link IpvsRuntime#importConnection}: a mutable object the importing thread owns and refills for every
 * connection. Addresses are 128-bit (hi, lo) as in {@link io.jlvs.connections.ConnectionParam}; IPv4 is
 * IPv4-mapped (hi = 0, lo = 0x0000FFFF_xxxxxxxx).
 */
public final class ConnectionImport {
    int protocol;
    long clientHi, clientLo, virtualHi, virtualLo, realHi, realLo;
    int clientPort, virtualPort, realPort;
    int fwmark;
    ForwardMethod method = ForwardMethod.MASQ;
    int state;
    int timeoutSeconds;
    boolean template;
    boolean inactive;
    final SpliceRecord splice = new SpliceRecord().clear();
    final FullNatRecord fullNat = new FullNatRecord().clear();

    /** Transport protocol number (6 TCP, 17 UDP). */
    public ConnectionImport protocol(int protocol) {
        this.protocol = protocol;
        return this;
    }

    public ConnectionImport client(long hi, long lo, int port) {
        clientHi = hi;
        clientLo = lo;
        clientPort = port;
        return this;
    }

    public ConnectionImport virtual(long hi, long lo, int port) {
        virtualHi = hi;
        virtualLo = lo;
        virtualPort = port;
        return this;
    }

    public ConnectionImport real(long hi, long lo, int port) {
        realHi = hi;
        realLo = lo;
        realPort = port;
        return this;
    }

    /** The firewall mark of the connection's -f service; 0 binds by protocol, virtual address and port. */
    public ConnectionImport fwmark(int fwmark) {
        this.fwmark = fwmark;
        return this;
    }

    /** The forwarding method the connection was bound to (kept, whatever its server's method is now). */
    public ConnectionImport method(ForwardMethod method) {
        this.method = method;
        return this;
    }

    /** TCP: a {@link io.jlvs.connections.TcpState}; other protocols: 0. */
    public ConnectionImport state(int state) {
        this.state = state;
        return this;
    }

    /**
     * IPVS's IP_VS_CONN_F_INACTIVE as the master sent it (set for a TCP connection that is not ESTABLISHED and for
     * every UDP one). Where this table holds the same client, virtual address and port bound to another real server,
     * an active description replaces that entry (the client's port now belongs to a new connection) and an inactive
     * one is ignored (the end of a connection already replaced), as IPVS's backup does.
     */
    public ConnectionImport inactive(boolean inactive) {
        this.inactive = inactive;
        return this;
    }

    /** Seconds before the connection expires unless a packet (or a newer import) refreshes it; at least 1. */
    public ConnectionImport timeoutSeconds(int seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /**
     * The SYN proxy's record of the connection, to fill when it was opened by a --synproxy service (state
     * {@link SpliceRecord#NONE}, as after {@link SpliceRecord#clear()}: a connection without).
     */
    public SpliceRecord splice() { return splice; }

    /**
     * Whether this is a persistence template (client address, virtual address and port, server) rather than a
     * connection: it then binds the client to the server in the service's persistence templates.
     */
    public ConnectionImport template(boolean template) {
        this.template = template;
        return this;
    }

    /**
     * FullNAT's record of the connection (its local address and port, the PROXY header), to fill for a FullNAT
     * connection (method {@link ForwardMethod#FULLNAT}); cleared: none.
     */
    public FullNatRecord fullNat() { return fullNat; }
}
