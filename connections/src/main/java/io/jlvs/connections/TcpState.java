package io.jlvs.connections;

import io.jlvs.packets.Tcp;

/** IPVS's TCP connection states (kernel numbering and names, as ipvsadm -c prints them). */
public final class TcpState {
    public static final int NONE = 0, ESTABLISHED = 1, SYN_SENT = 2, SYN_RECV = 3, FIN_WAIT = 4, TIME_WAIT = 5,
            CLOSE = 6, CLOSE_WAIT = 7, LAST_ACK = 8, LISTEN = 9, SYNACK = 10;
    public static final int COUNT = 11;

    /** Rows of the transition table, chosen by the packet's flags in IPVS's priority order. */
    public static final int INDEX_SYN = 0, INDEX_FIN = 1, INDEX_ACK = 2, INDEX_RST = 3, INDEX_NONE = -1;

    private static final String[] NAMES = {"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
            "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK"};
    private static final int[] DEFAULT_TIMEOUT_SECONDS = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};

    private TcpState() {}

    /** The state name ipvsadm prints; "ERR!" (the kernel's answer) for a number outside the table. */
    public static String name(int state) {
        return state >= 0 && state < COUNT ? NAMES[state] : "ERR!";
    }

    /**
     * Whether a TCP connection in this state counts in ActiveConn: since Linux 4.8 the pre-established states
     * count as active too, so that bursts of new connections weigh on least-connection schedulers.
     */
    public static boolean isActive(int state) {
        return state == ESTABLISHED || state == SYN_SENT || state == SYN_RECV || state == SYNACK;
    }

    /**
     * IPVS's default timeout for the state (ip_vs_proto_tcp.c); ipvsadm --set changes ESTABLISHED and FIN_WAIT
     * (see {@link ConnectionTable#setTimeoutSeconds}).
     */
    public static int defaultTimeoutSeconds(int state) {
        return DEFAULT_TIMEOUT_SECONDS[state];
    }

    /** Transition-table row for the packet's flags: rst, else syn, else fin, else ack; INDEX_NONE for none. */
    public static int flagIndex(int tcpFlags) {
        if ((tcpFlags & Tcp.RST) != 0) return INDEX_RST;
        if ((tcpFlags & Tcp.SYN) != 0) return INDEX_SYN;
        if ((tcpFlags & Tcp.FIN) != 0) return INDEX_FIN;
        if ((tcpFlags & Tcp.ACK) != 0) return INDEX_ACK;
        return INDEX_NONE;
    }
}
