package io.jlvs.forwarder;

/**
 * What FullNAT keeps of one connection, as it leaves or enters this daemon (a sync message, a previous daemon's
 * records): the local address and port its packets leave from toward the real server, and whether its TCP stream
 * opens with the PROXY protocol header, with the client's initial sequence number that places it. A mutable object
 * its thread owns and refills; {@link #localAddress} 0 means no record.
 */
public final class FullNatRecord {
    /** Bytes of one connection's record in the records memory ({@link DataPlane#keepFullNatStatesIn}). */
    public static final long BYTES = FullNatStates.BYTES;
    /** The layout of that memory: a different number is another layout, which must not be read. */
    public static final int LAYOUT = 1;

    public int localAddress;
    public int localPort;
    public boolean proxyHeader;
    public int clientIsn;

    /** Forgets the record. */
    public FullNatRecord clear() {
        localAddress = localPort = clientIsn = 0;
        proxyHeader = false;
        return this;
    }

    public boolean present() { return localAddress != 0; }

    /** Whether the record names a local address and a port of the range FullNAT allocates from. */
    public boolean valid() {
        return localAddress != 0 && localPort >= LocalAddressPorts.FIRST_PORT && localPort <= 65535;
    }

    public FullNatRecord copyFrom(FullNatRecord r) {
        localAddress = r.localAddress;
        localPort = r.localPort;
        proxyHeader = r.proxyHeader;
        clientIsn = r.clientIsn;
        return this;
    }

    @Override
    public String toString() {
        return "fullnat " + io.jlvs.control.model.Addresses.formatV4(localAddress) + ":" + localPort
                + (proxyHeader ? " proxy-header isn " + Integer.toUnsignedString(clientIsn) : "");
    }
}
