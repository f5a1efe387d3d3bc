package io.jlvs.connections;

import org.junit.jupiter.api.Test;

import static io.jlvs.connections.ConnectionTable.DIR_INPUT;
import static io.jlvs.connections.ConnectionTable.DIR_INPUT_ONLY;
import static io.jlvs.connections.ConnectionTable.DIR_OUTPUT;
import static io.jlvs.connections.TcpState.INDEX_ACK;
import static io.jlvs.connections.TcpState.INDEX_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** secure_tcp's table (tcp_states_dos) against the normal one, on the handshakes a flood and a client make. */
class SecureTcpTransitionsTest {

    @Test
    void underSecureTcpANatHandshakeNeedsTheServerBeforeItIsEstablished() {
        int s = TcpTransitions.next(true, DIR_INPUT, INDEX_SYN, TcpState.NONE);
        assertEquals(TcpState.SYN_RECV, s);
        assertEquals(TcpState.SYN_RECV, TcpTransitions.next(true, DIR_INPUT, INDEX_ACK, s), "a client's ACK alone");
        assertEquals(TcpState.ESTABLISHED, TcpTransitions.next(false, DIR_INPUT, INDEX_ACK, s), "the normal table");
        s = TcpTransitions.next(true, DIR_OUTPUT, INDEX_SYN, s);
        assertEquals(TcpState.SYNACK, s, "the server's SYN-ACK");
        assertEquals(TcpState.SYNACK, TcpTransitions.next(true, DIR_INPUT, INDEX_ACK, s));
        assertEquals(TcpState.ESTABLISHED, TcpTransitions.next(true, DIR_OUTPUT, INDEX_ACK, s), "the server's ACK");
    }

    @Test
    void underSecureTcpADirectRoutedSynWaitsInSynackUntilTheClientsAck() {
        int s = TcpTransitions.next(true, DIR_INPUT_ONLY, INDEX_SYN, TcpState.NONE);
        assertEquals(TcpState.SYNACK, s);
        assertEquals(TcpState.SYN_RECV, TcpTransitions.next(false, DIR_INPUT_ONLY, INDEX_SYN, TcpState.NONE));
        assertEquals(TcpState.ESTABLISHED, TcpTransitions.next(true, DIR_INPUT_ONLY, INDEX_ACK, s));
    }

    @Test
    void theTwoTablesDifferOnlyWhereTheKernelsDo() {
        int differences = 0;
        for (int dir : new int[] {DIR_INPUT, DIR_OUTPUT, DIR_INPUT_ONLY}) {
            for (int flag = 0; flag < 4; flag++) {
                for (int state = 0; state < TcpState.COUNT; state++) {
                    if (TcpTransitions.next(true, dir, flag, state) != TcpTransitions.next(false, dir, flag, state)) {
                        differences++;
                    }
                }
            }
        }
        // INPUT: syn SA, fin SA, ack SR and SA, rst SA; OUTPUT: syn SR and SA; INPUT-ONLY: syn NO FW TW CL CW LA LI SA
        assertEquals(15, differences);
    }
}
