package io.jlvs.connections;

import io.jlvs.packets.Tcp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every cell of IPVS's transition table, written down independently from docs (docs/ipvs-reference.md). */
class TcpTransitionsTest {
    // From docs/ipvs-reference.md, one line per direction and two flags: columns are the current state NO ES SS SR FW TW CL CW LA LI SA.
    private static final String FACTS = """
            IN   syn: SR ES ES SR SR SR SR SR SR SR SR   fin: CL CW SS TW TW TW CL CW LA LI TW
                 ack: ES ES SS ES FW TW CL CW CL LI ES   rst: CL CL CL SR CL CL CL CL LA LI SR
            OUT  syn: SS ES SS SR SS SS SS SS SS LI SR   fin: TW FW SS TW FW TW CL TW LA LI TW
                 ack: ES ES SS ES FW TW CL CW LA ES ES   rst: CL CL SS CL CL TW CL CL CL CL CL
            INO  syn: SR ES ES SR SR SR SR SR SR SR SR   fin: CL FW SS TW FW TW CL CW LA LI TW
                 ack: ES ES SS ES FW TW CL CW CL LI ES   rst: CL CL CL SR CL CL CL CL LA LI CL
            """;
    private static final List<String> COLUMNS = List.of("NO", "ES", "SS", "SR", "FW", "TW", "CL", "CW", "LA", "LI", "SA");
    private static final List<String> NAMES = List.of("NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
            "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK");

    private static int direction(String word) {
        return switch (word) {
            case "IN" -> ConnectionTable.DIR_INPUT;
            case "OUT" -> ConnectionTable.DIR_OUTPUT;
            case "INO" -> ConnectionTable.DIR_INPUT_ONLY;
            default -> throw new IllegalArgumentException(word);
        };
    }

    /** A packet carrying just the flag named in the table. */
    private static int flagsOf(String word) {
        return switch (word) {
            case "syn:" -> Tcp.SYN;
            case "fin:" -> Tcp.FIN | Tcp.ACK;
            case "ack:" -> Tcp.ACK;
            case "rst:" -> Tcp.RST | Tcp.ACK;
            default -> throw new IllegalArgumentException(word);
        };
    }

    @Test
    void everyCellMatchesTheFactsTable() {
        int cells = 0;
        int direction = -1;
        for (String line : FACTS.strip().split("\n")) {
            String[] words = line.trim().split("\\s+");
            int i = 0;
            if (!words[0].endsWith(":")) direction = direction(words[i++]);
            while (i < words.length) {
                int flags = flagsOf(words[i++]);
                for (int state = 0; state < COLUMNS.size(); state++) {
                    int expected = COLUMNS.indexOf(words[i++]);
                    int actual = TcpTransitions.next(direction, TcpState.flagIndex(flags), state);
                    assertEquals(expected, actual, "direction " + direction + " flags " + flags + " from "
                            + TcpState.name(state));
                    cells++;
                }
            }
        }
        assertEquals(3 * 4 * 11, cells);
    }

    @Test
    void flagPriorityIsRstThenSynThenFinThenAck() {
        int all = Tcp.RST | Tcp.SYN | Tcp.FIN | Tcp.ACK;
        assertEquals(TcpState.INDEX_RST, TcpState.flagIndex(all));
        assertEquals(TcpState.INDEX_SYN, TcpState.flagIndex(all & ~Tcp.RST));
        assertEquals(TcpState.INDEX_FIN, TcpState.flagIndex(Tcp.FIN | Tcp.ACK));
        assertEquals(TcpState.INDEX_ACK, TcpState.flagIndex(Tcp.ACK | 0x08));
        assertEquals(TcpState.INDEX_NONE, TcpState.flagIndex(0x08));
    }

    @Test
    void packetWithoutStateFlagsKeepsTheState() {
        for (int state = 0; state < TcpState.COUNT; state++) {
            assertEquals(state, TcpTransitions.next(ConnectionTable.DIR_INPUT, TcpState.INDEX_NONE, state));
        }
    }

    @Test
    void namesAreThoseIpvsadmPrints() {
        for (int state = 0; state < NAMES.size(); state++) assertEquals(NAMES.get(state), TcpState.name(state));
        assertEquals("ERR!", TcpState.name(TcpState.COUNT));
    }

    @Test
    void activeStatesAreEstablishedAndTheHandshakeStates() {
        for (int state = 0; state < TcpState.COUNT; state++) {
            boolean expected = switch (NAMES.get(state)) {
                case "ESTABLISHED", "SYN_SENT", "SYN_RECV", "SYNACK" -> true;
                default -> false;
            };
            assertEquals(expected, TcpState.isActive(state), TcpState.name(state));
        }
    }
}
