package io.jlvs.netns;

/** The TUN end-to-end tests with the afpacket backend. */
class TunAfPacketTest extends DrTunEndToEndTests {
    @Override
    String mode() {
        return "tun";
    }

    @Override
    String io() {
        return "afpacket";
    }

    @Override
    String prefix() {
        return "jlvstun-a";
    }
}
