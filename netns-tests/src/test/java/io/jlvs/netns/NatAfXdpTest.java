package io.jlvs.netns;

/** The NAT end-to-end tests with the AF_XDP backend. */
class NatAfXdpTest extends NatEndToEndTests {
    @Override
    String io() {
        return "afxdp";
    }

    @Override
    String prefix() {
        return "jlvsx-nat";
    }
}
