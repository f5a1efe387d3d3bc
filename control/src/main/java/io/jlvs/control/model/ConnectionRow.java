package io.jlvs.control.model;

/**
 * One entry of ipvsadm -c: a connection or a persistence template, as the runtime lists it and jlvsadm prints it.
 * Addresses as in FlowDescription (IPv4 mapped into 128 bits).
 *
 * @param protocol "TCP", "UDP", "SCTP", or "IP" for fwmark templates
 * @param state    the state as IPVS prints it: ESTABLISHED, SYN_RECV, FIN_WAIT, NONE, UDP, ...
 * @param peName   the persistence engine that made this template ("sip"), else null
 * @param peData   that engine's data (the Call-ID), null when peName is
 */
public record ConnectionRow(String protocol, String state, int expireSeconds,
                            long clientHi, long clientLo, int clientPort,
                            long virtualHi, long virtualLo, int virtualPort,
                            long realHi, long realLo, int realPort, String peName, String peData) {

    /** A row made by no persistence engine. */
    public ConnectionRow(String protocol, String state, int expireSeconds,
                         long clientHi, long clientLo, int clientPort,
                         long virtualHi, long virtualLo, int virtualPort,
                         long realHi, long realLo, int realPort) {
        this(protocol, state, expireSeconds, clientHi, clientLo, clientPort, virtualHi, virtualLo, virtualPort,
                realHi, realLo, realPort, null, null);
    }
}
