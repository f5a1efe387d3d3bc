package io.jlvs.failover.sync;

import io.jlvs.connections.TcpState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sync carries IP_VS_TCP_S_* numbers and jlvs's connection table numbers its TCP states the same way, so an
 * entry's state goes to and from the table unchanged; this pins that down against the kernel's enum.
 */
class SyncStateNumberingTest {
    @Test
    void theConnectionTablesTcpStatesAreTheKernels() {
        // enum in include/uapi/linux/ip_vs.h order: NONE, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT, TIME_WAIT,
        // CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, SYNACK, LAST
        int[] jlvs = {TcpState.NONE, TcpState.ESTABLISHED, TcpState.SYN_SENT, TcpState.SYN_RECV, TcpState.FIN_WAIT,
                TcpState.TIME_WAIT, TcpState.CLOSE, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.LISTEN,
                TcpState.SYNACK};
        for (int kernel = 0; kernel < jlvs.length; kernel++) assertEquals(kernel, jlvs[kernel]);
        assertEquals(SyncLayout.TCP_STATES, TcpState.COUNT);
        assertEquals(SyncLayout.TCP_STATES, SyncLayout.states(SyncLayout.PROTO_TCP, false));
    }
}
