package io.jlvs.forwarder;

import io.jlvs.connections.TcpState;

/**
 * conn_reuse_mode, as ip_vs_in decides it: a TCP SYN that finds an existing connection for its tuple (the client
 * reused its port) expires that entry and is scheduled anew when the old connection is closing - TIME_WAIT or
 * CLOSE, or (mode bit 2) FIN_WAIT of a DR/TUN connection, whose replies the director never sees - and, with
 * expire_nodest_conn, whatever its state when its server's weight is 0. Mode 0 keeps the old entry (and server).
 * IPVS spares connections controlled by a persistence template; jlvs keeps persistence in the scheduler, which
 * sends the rescheduled connection back to the template's server anyway.
 */
final class ConnectionReuse {
    private ConnectionReuse() {}

    static boolean reschedules(int connReuseMode, boolean expireNodestConn, int tcpState, boolean inputOnly,
                               int destWeight) {
        if (connReuseMode == 0) return false;
        if (expireNodestConn && destWeight == 0) return true;
        return tcpState == TcpState.TIME_WAIT || tcpState == TcpState.CLOSE
                || ((connReuseMode & 2) != 0 && tcpState == TcpState.FIN_WAIT && inputOnly);
    }
}
