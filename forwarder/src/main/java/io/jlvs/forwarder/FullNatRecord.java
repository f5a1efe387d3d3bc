package io.jlvs.forwarder;

import io.jlvs.control.model.Addresses;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What FullNAT keeps of one connection, as it leaves or enters this daemon (a sync message, a previous daemon's
 * records): the local address and port its packets leave from toward the real server (an IPv4 address, or with
 * {@link #ipv6} an IPv6 one), and whether its TCP stream opens with the PROXY protocol header, with the client's
 * initial sequence number that places it. A mutable object its thread owns and refills; {@link #present} false
 * means no record.
 */
public final class FullNatRecord {
    /** Bytes of one connection's record in the records memory ({@link DataPlane#keepFullNatStatesIn}). */
    public static final long BYTES = FullNatStates.BYTES;
    /** The layout of that memory: a different number is another layout, which must not be read as this one. */
    public static final int LAYOUT = 2;
    /** The earlier layout still read, IPv4 only, {@link #LAYOUT_1_BYTES} a record ({@link #upgradeLayout1}). */
    public static final int LAYOUT_1 = FullNatStates.LAYOUT_1;
    public static final long LAYOUT_1_BYTES = FullNatStates.LAYOUT_1_BYTES;

    /** The IPv4 local address; 0 for an IPv6 one. */
    public int localAddress;
    public boolean ipv6;
    /** The IPv6 local address, with {@link #ipv6}. */
    public long localHi, localLo;
    public int localPort;
    public boolean proxyHeader;
    public int clientIsn;

    /** Forgets the record. */
    public FullNatRecord clear() {
        localAddress = localPort = clientIsn = 0;
        localHi = localLo = 0;
        ipv6 = proxyHeader = false;
        return this;
    }

    public boolean present() { return ipv6 ? (localHi | localLo) != 0 : localAddress != 0; }

    /** Whether the record names a local address and a port of the range FullNAT allocates from. */
    public boolean valid() {
        return present() && localPort >= LocalAddressPorts.FIRST_PORT && localPort <= 65535;
    }

    public FullNatRecord copyFrom(FullNatRecord r) {
        localAddress = r.localAddress;
        ipv6 = r.ipv6;
        localHi = r.localHi;
        localLo = r.localLo;
        localPort = r.localPort;
        proxyHeader = r.proxyHeader;
        clientIsn = r.clientIsn;
        return this;
    }

    /**
     * Records of layout {@link #LAYOUT_1} ({@code capacity} of them, an earlier daemon's) in layout {@link #LAYOUT},
     * in memory of {@code arena}; their IPv6 connections, which that layout could not name, have none.
     */
    public static MemorySegment upgradeLayout1(MemorySegment records, int capacity, Arena arena) {
        return FullNatStates.upgradeLayout1(records, capacity, arena);
    }

    /** This record filled from a slot of records memory of layout {@link #LAYOUT} (an IPv6 one by its address). */
    public FullNatRecord readFrom(MemorySegment records, int slot) {
        FullNatStates.read(records, slot, this);
        return this;
    }

    @Override
    public String toString() {
        String local = ipv6 ? "[" + Addresses.formatV6(localHi, localLo) + "]" : Addresses.formatV4(localAddress);
        return "fullnat " + local + ":" + localPort
                + (proxyHeader ? " proxy-header isn " + Integer.toUnsignedString(clientIsn) : "");
    }
}
