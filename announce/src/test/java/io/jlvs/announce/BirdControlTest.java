package io.jlvs.announce;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BirdControlTest {
    @Test
    void theBgpSessionsAreTheBgpLinesOfShowProtocols() {
        String show = """
                BIRD 2.0.12 ready.
                Name       Proto      Table      State  Since         Info
                device1    Device     ---        up     09:40:01.123
                jlvs_vips  Static     master4    up     09:40:01.123
                router1    BGP        ---        up     09:40:02.456  Established
                router2    BGP        ---        start  09:40:02.456  Active        Socket: Connection refused
                """;
        assertEquals(List.of("router1 BGP --- up 09:40:02.456 Established",
                        "router2 BGP --- start 09:40:02.456 Active Socket: Connection refused"),
                BirdControl.bgpLines(show));
    }
}
