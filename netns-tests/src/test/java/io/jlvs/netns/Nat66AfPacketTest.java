package io.jlvs.netns;

/** The NAT66 end-to-end tests with the AF_PACKET (TPACKET_V3) backend. */
class Nat66AfPacketTest extends Nat66EndToEndTests {
    @Override
    String io() {
        return "afpacket";
    }

    @Override
    String prefix() {
        return "jlvs6qna";
    }
}
