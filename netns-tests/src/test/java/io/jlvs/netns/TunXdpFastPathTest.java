package io.jlvs.netns;

/** The TUN end-to-end tests with --fast-path xdp. */
class TunXdpFastPathTest extends DrTunXdpFastPathTests {
    @Override
    String mode() {
        return "tun";
    }

    @Override
    String prefix() {
        return "jlvsf-t";
    }
}
