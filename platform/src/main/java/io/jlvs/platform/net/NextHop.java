package io.jlvs.platform.net;

/**
 * Everything the data path needs to send a frame towards one IPv4 destination: egress interface, the Ethernet
 * source (the interface's MAC) and destination (the neighbour's MAC: the gateway's, or the destination's own
 * when directly connected), the path MTU, the source address the kernel would pick, and the gateway.
 * Immutable: a change in the kernel's tables produces a new instance.
 */
public final class NextHop {
    /** Table marker for a destination being resolved or recently failed: lookups return null for it. */
    static final NextHop UNRESOLVED = new NextHop(0, -1, -1, 0, 0, 0);

    private final int ifIndex;
    private final long srcMac;
    private final long dstMac;
    private final int mtu;
    private final int sourceV4;
    private final int gatewayV4;
    /** IPv6 next hops: the source address the kernel would pick (0 for IPv4 ones). */
    private final long sourceHi, sourceLo;

    public NextHop(int ifIndex, long srcMac, long dstMac, int mtu, int sourceV4, int gatewayV4) {
        this(ifIndex, srcMac, dstMac, mtu, sourceV4, gatewayV4, 0, 0);
    }

    /** A next hop with an IPv6 source address (see {@link Ipv6NextHopLookup}). */
    public NextHop(int ifIndex, long srcMac, long dstMac, int mtu, int sourceV4, int gatewayV4, long sourceHi,
                   long sourceLo) {
        this.sourceHi = sourceHi;
        this.sourceLo = sourceLo;
        this.ifIndex = ifIndex;
        this.srcMac = srcMac;
        this.dstMac = dstMac;
        this.mtu = mtu;
        this.sourceV4 = sourceV4;
        this.gatewayV4 = gatewayV4;
    }

    public int ifIndex() { return ifIndex; }

    /** The egress interface's MAC, low 48 bits. */
    public long srcMac() { return srcMac; }

    /** The neighbour's MAC, low 48 bits. */
    public long dstMac() { return dstMac; }

    public int mtu() { return mtu; }

    public int sourceV4() { return sourceV4; }

    /** 0 when the destination is directly connected. */
    public int gatewayV4() { return gatewayV4; }

    public boolean directlyConnected() { return gatewayV4 == 0; }

    /** The IPv6 source address the kernel would pick toward an IPv6 destination: upper half. */
    public long sourceHi() { return sourceHi; }

    public long sourceLo() { return sourceLo; }

    boolean sameAs(NextHop o) {
        return o != null && ifIndex == o.ifIndex && srcMac == o.srcMac && dstMac == o.dstMac && mtu == o.mtu
                && sourceV4 == o.sourceV4 && gatewayV4 == o.gatewayV4 && sourceHi == o.sourceHi
                && sourceLo == o.sourceLo;
    }

    @Override
    public String toString() {
        return "NextHop[ifindex " + ifIndex + " " + Link.formatMac(srcMac) + " -> " + Link.formatMac(dstMac)
                + (gatewayV4 == 0 ? " connected" : " via " + Link.formatIpv4(gatewayV4)) + " src "
                + Link.formatIpv4(sourceV4) + " mtu " + mtu + "]";
    }
}
