package io.jlvs.netns;

/** The NAT end-to-end tests with the AF_PACKET (TPACKET_V3) backend. */
class NatAfPacketTest extends NatEndToEndTests {
    @Override
    String io() {
        return "afpacket";
    }

    @Override
    String prefix() {
        return "jlvsnat-a";
    }
}
