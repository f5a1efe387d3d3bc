package io.jlvs.netns;

/** The DR end-to-end tests with the afpacket backend. */
class DrAfPacketTest extends DrTunEndToEndTests {
    @Override
    String mode() {
        return "dr";
    }

    @Override
    String io() {
        return "afpacket";
    }

    @Override
    String prefix() {
        return "jlvsdr-a";
    }
}
