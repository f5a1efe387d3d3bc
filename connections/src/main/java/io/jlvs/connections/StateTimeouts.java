package io.jlvs.connections;

import io.jlvs.packets.Ipv4;

/**
 * Immutable per-state timeouts in nanoseconds (the kernel's per-protocol timeout tables), replaced as a whole
 * when one of them changes. TCP starts from IPVS's table ({@link TcpState#defaultTimeoutSeconds}); UDP, and the
 * other protocols that have no state machine here, live for the UDP timeout.
 */
final class StateTimeouts {
    /** IPVS's UDP timeout (ip_vs_proto_udp.c: 5 minutes). */
    static final int UDP_DEFAULT_SECONDS = 300;
    private static final long SECOND = 1_000_000_000L;

    static final StateTimeouts DEFAULTS = defaults();

    private final int[] tcpSeconds;
    private final int udpSeconds;
    private final long[] tcpNanos = new long[TcpState.COUNT];
    private final long udpNanos;

    private StateTimeouts(int[] tcpSeconds, int udpSeconds) {
        this.tcpSeconds = tcpSeconds;
        this.udpSeconds = udpSeconds;
        for (int state = 0; state < TcpState.COUNT; state++) tcpNanos[state] = tcpSeconds[state] * SECOND;
        this.udpNanos = udpSeconds * SECOND;
    }

    private static StateTimeouts defaults() {
        int[] tcp = new int[TcpState.COUNT];
        for (int state = 0; state < TcpState.COUNT; state++) tcp[state] = TcpState.defaultTimeoutSeconds(state);
        return new StateTimeouts(tcp, UDP_DEFAULT_SECONDS);
    }

    long nanos(int proto, int state) {
        return proto == Ipv4.PROTO_TCP ? tcpNanos[state] : udpNanos;
    }

    int seconds(int proto, int state) {
        return proto == Ipv4.PROTO_TCP ? tcpSeconds[checkedState(state)] : udpSeconds;
    }

    /** A copy with one timeout changed. */
    StateTimeouts with(int proto, int state, int seconds) {
        if (seconds <= 0) throw new IllegalArgumentException("a timeout must be at least 1 second: " + seconds);
        if (proto != Ipv4.PROTO_TCP) return new StateTimeouts(tcpSeconds, seconds);
        int[] tcp = tcpSeconds.clone();
        tcp[checkedState(state)] = seconds;
        return new StateTimeouts(tcp, udpSeconds);
    }

    private static int checkedState(int state) {
        if (state < 0 || state >= TcpState.COUNT) throw new IllegalArgumentException("no TCP state " + state);
        return state;
    }
}
