package io.jlvs.failover.sync;

/**
 * jlvs's option of a version 1 entry for a FullNAT connection: the local address and port the master's director
 * sends its packets from toward the real server (which the kernel's entry has no field for), and whether the TCP
 * stream toward the server opens with the PROXY protocol header, with the client's initial sequence number that
 * places it, so that a jlvs backup goes on forwarding the connection from the same source, header shift included.
 * Type {@link SyncLayout#OPT_JLVS_FULLNAT}: its "not mandatory" bit makes a kernel backup skip it. IPv4 only.
 * <pre>
 * | local address (32) | local port (16) | flags (8: bit 0 PROXY header) | reserved (8) = 0 | client ISN (32) |
 * </pre>
 */
public final class SyncFullNat {
    public static final int F_PROXY_HEADER = 1;

    /** 0: no option. */
    public int localAddress;
    public int localPort;
    public int flags;
    public int clientIsn;

    public boolean present() { return localAddress != 0; }

    public void clear() {
        localAddress = localPort = flags = clientIsn = 0;
    }

    public SyncFullNat copyFrom(SyncFullNat s) {
        localAddress = s.localAddress;
        localPort = s.localPort;
        flags = s.flags;
        clientIsn = s.clientIsn;
        return this;
    }

    @Override
    public String toString() {
        return "fullnat " + Integer.toHexString(localAddress) + ":" + localPort + " flags " + flags + " isn "
                + Integer.toUnsignedString(clientIsn);
    }
}
