package io.jlvs.netns;

/** The DR end-to-end tests with the AF_XDP backend. */
class DrAfXdpTest extends DrTunEndToEndTests {
    @Override
    String mode() {
        return "dr";
    }

    @Override
    String io() {
        return "afxdp";
    }

    @Override
    String prefix() {
        return "jlvsx-dr";
    }
}
