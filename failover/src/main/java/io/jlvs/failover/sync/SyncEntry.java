package io.jlvs.failover.sync;

/**
 * One connection on the sync wire, mutable and reused so that neither side allocates per entry. Addresses are
 * 128-bit (hi, lo) with IPv4 IPv4-mapped (hi 0, lo 0x0000FFFF_xxxxxxxx), as in the connection table.
 */
public final class SyncEntry {
    /** IP_VS_CONN_F_* bits this side sets or reads: the forwarding method (low 3 bits), and the template flag. */
    public static final int F_FWD_MASK = 0x0007, F_MASQ = 0, F_LOCALNODE = 1, F_TUNNEL = 2, F_DROUTE = 3;
    public static final int F_SEQ_MASK = 0x0600, F_TEMPLATE = 0x1000, F_ONE_PACKET = 0x2000;

    public int protocol;
    public boolean ipv6;
    /** IP_VS_CONN_F_* flags as on the wire. */
    public int flags;
    /** IP_VS_TCP_S_* for TCP (the connection table's numbering is the same), 0 otherwise. */
    public int state;
    public long clientHi, clientLo, virtualHi, virtualLo, destHi, destLo;
    public int clientPort, virtualPort, destPort;
    public int fwmark;
    /** Seconds the entry lives from when it is received. */
    public int timeoutSeconds;

    public int method() { return flags & F_FWD_MASK; }

    public boolean template() { return (flags & F_TEMPLATE) != 0; }

    @Override
    public String toString() {
        return "proto " + protocol + (ipv6 ? " v6" : "") + " flags 0x" + Integer.toHexString(flags) + " state " + state
                + " c " + Long.toHexString(clientLo) + ":" + clientPort + " v " + Long.toHexString(virtualLo) + ":"
                + virtualPort + " d " + Long.toHexString(destLo) + ":" + destPort + " fwmark " + fwmark + " timeout "
                + timeoutSeconds;
    }
}
