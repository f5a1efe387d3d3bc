package io.jlvs.control;

/**
 * One connection entry for ipvsadm -c. The runtime may reuse one mutable instance for every row it visits, so a
 * visitor must not keep it. Addresses as in FlowDescription (IPv4 mapped into 128 bits).
 */
public final class ConnectionRow {
    /** "TCP", "UDP", "SCTP", or "IP" for fwmark templates. */
    public String protocol;
    /** State name as IPVS prints it: ESTABLISHED, SYN_RECV, FIN_WAIT, NONE, UDP, ... */
    public String state;
    public int expireSeconds;
    public long clientHi, clientLo;
    public int clientPort;
    public long virtualHi, virtualLo;
    public int virtualPort;
    public long realHi, realLo;
    public int realPort;
    /** Persistence engine name and data ("sip" and the Call-ID) of a template made by one, else null. */
    public String peName, peData;

    /** Fills every field at once (convenient for runtimes that reuse the row). */
    public ConnectionRow set(String protocol, String state, int expireSeconds,
                             long clientHi, long clientLo, int clientPort,
                             long virtualHi, long virtualLo, int virtualPort,
                             long realHi, long realLo, int realPort) {
        this.protocol = protocol;
        this.state = state;
        this.expireSeconds = expireSeconds;
        this.clientHi = clientHi; this.clientLo = clientLo; this.clientPort = clientPort;
        this.virtualHi = virtualHi; this.virtualLo = virtualLo; this.virtualPort = virtualPort;
        this.realHi = realHi; this.realLo = realLo; this.realPort = realPort;
        this.peName = null;
        this.peData = null;
        return this;
    }

    /** After {@link #set}: the persistence engine that made this template, and its data. */
    public ConnectionRow withPersistenceEngine(String name, String data) {
        this.peName = name;
        this.peData = data;
        return this;
    }
}
