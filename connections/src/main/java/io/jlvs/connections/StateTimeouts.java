package io.jlvs.connections;

/** Immutable per-state timeouts in nanoseconds, replaced as a whole when ipvsadm --set changes them. */
final class StateTimeouts {
    private static final long SECOND = 1_000_000_000L;
    final Timeouts seconds;
    private final long[] tcpNanos = new long[TcpState.COUNT];
    private final long otherNanos;

    StateTimeouts(Timeouts seconds) {
        this.seconds = seconds;
        for (int state = 0; state < TcpState.COUNT; state++) {
            tcpNanos[state] = TcpState.defaultTimeoutSeconds(state) * SECOND;
        }
        tcpNanos[TcpState.ESTABLISHED] = seconds.tcp() * SECOND;
        tcpNanos[TcpState.FIN_WAIT] = seconds.tcpFin() * SECOND;
        // UDP, and the other protocols that have no state machine here, live for the UDP timeout.
        otherNanos = seconds.udp() * SECOND;
    }

    long nanos(int proto, int state) {
        return proto == ConnectionTable.PROTO_TCP ? tcpNanos[state] : otherNanos;
    }
}
