package io.jlvs.failover.sync;

/**
 * jlvs's option of a version 1 entry for a FullNAT connection: the local address and port the master's director
 * sends its packets from toward the real server (which the kernel's entry has no field for), and whether the TCP
 * stream toward the server opens with the PROXY protocol header, with the client's initial sequence number that
 * places it, so that a jlvs backup goes on forwarding the connection from the same source, header shift included.
 * Type {@link SyncLayout#OPT_JLVS_FULLNAT}: its "not mandatory" bit makes a kernel backup skip it. The local
 * address is of the entry's family, which gives the option's length (12 bytes for IPv4, as jlvs has always written
 * it; 24 for IPv6):
 * <pre>
 * | local address (32 or 128) | local port (16) | flags (8: bit 0 PROXY header) | reserved (8) = 0 | client ISN (32) |
 * </pre>
 */
public final class SyncFullNat {
    public static final int F_PROXY_HEADER = 1;

    /** An IPv4 entry's local address; 0: no option. */
    public int localAddress;
    /** An IPv6 entry's local address; 0 and 0: no option. */
    public long localHi, localLo;
    public int localPort;
    public int flags;
    public int clientIsn;

    public boolean present() { return localAddress != 0 || (localHi | localLo) != 0; }

    public void clear() {
        localAddress = localPort = flags = clientIsn = 0;
        localHi = localLo = 0;
    }

    public SyncFullNat copyFrom(SyncFullNat s) {
        localAddress = s.localAddress;
        localHi = s.localHi;
        localLo = s.localLo;
        localPort = s.localPort;
        flags = s.flags;
        clientIsn = s.clientIsn;
        return this;
    }

    @Override
    public String toString() {
        String local = (localHi | localLo) != 0 ? Long.toHexString(localHi) + "/" + Long.toHexString(localLo)
                : Integer.toHexString(localAddress);
        return "fullnat " + local + ":" + localPort + " flags " + flags + " isn "
                + Integer.toUnsignedString(clientIsn);
    }
}
