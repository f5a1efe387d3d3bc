package io.jlvs.connections;

import static io.jlvs.connections.TcpState.*;

/**
 * IPVS's TCP state transition tables (net/netfilter/ipvs/ip_vs_proto_tcp.c), kept as data: next state =
 * TABLE[direction][flag index][current state]. The second, in force while the secure_tcp defence is on
 * (tcp_states_dos), keeps a connection in SYN_RECV until the real server's side of the handshake is seen (NAT), and
 * puts a DR/TUN connection's SYN in SYNACK: a client's bare ACK no longer makes a spoofed SYN's entry look
 * established.
 */
final class TcpTransitions {
    private static final int NO = NONE, ES = ESTABLISHED, SS = SYN_SENT, SR = SYN_RECV, FW = FIN_WAIT,
            TW = TIME_WAIT, CL = CLOSE, CW = CLOSE_WAIT, LA = LAST_ACK, LI = LISTEN, SA = SYNACK;

    // Columns: current state NO ES SS SR FW TW CL CW LA LI SA. Rows: syn, fin, ack, rst.
    private static final byte[][][] TABLE = {
        { // INPUT: client -> director
            row(SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR),
            row(CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW),
            row(ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES),
            row(CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR),
        },
        { // OUTPUT: real server -> client (seen only with NAT)
            row(SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR),
            row(TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW),
            row(ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES),
            row(CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL),
        },
        { // INPUT-ONLY: client -> director when replies bypass the director (DR, TUN)
            row(SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR),
            row(CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW),
            row(ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES),
            row(CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL),
        },
    };

    /** tcp_states_dos: as TABLE but for the SYNACK column and the cells the secure_tcp defence changes. */
    private static final byte[][][] SECURE = {
        { // INPUT
            row(SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SA),
            row(CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, SA),
            row(ES, ES, SS, SR, FW, TW, CL, CW, CL, LI, SA),
            row(CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL),
        },
        { // OUTPUT
            row(SS, ES, SS, SA, SS, SS, SS, SS, SS, LI, SA),
            row(TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW),
            row(ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES),
            row(CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL),
        },
        { // INPUT-ONLY
            row(SA, ES, ES, SR, SA, SA, SA, SA, SA, SA, SA),
            row(CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW),
            row(ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES),
            row(CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL),
        },
    };

    private TcpTransitions() {}

    private static byte[] row(int... next) {
        byte[] r = new byte[next.length];
        for (int i = 0; i < next.length; i++) r[i] = (byte) next[i];
        return r;
    }

    /** The state after a packet; a packet with none of syn/fin/ack/rst leaves the state unchanged. */
    static int next(int direction, int flagIndex, int state) {
        return next(false, direction, flagIndex, state);
    }

    /** As {@link #next(int, int, int)}, from the secure_tcp table when {@code secure}. */
    static int next(boolean secure, int direction, int flagIndex, int state) {
        if (flagIndex < 0 || state < 0 || state >= COUNT) return state;
        return (secure ? SECURE : TABLE)[direction][flagIndex][state];
    }
}
