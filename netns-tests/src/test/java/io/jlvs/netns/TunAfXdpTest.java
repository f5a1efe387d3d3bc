package io.jlvs.netns;

/** The TUN end-to-end tests with the AF_XDP backend. */
class TunAfXdpTest extends DrTunEndToEndTests {
    @Override
    String mode() {
        return "tun";
    }

    @Override
    String io() {
        return "afxdp";
    }

    @Override
    String prefix() {
        return "jlvsx-tun";
    }
}
