package io.jlvs.netns;

/** The DR end-to-end tests with --fast-path xdp. */
class DrXdpFastPathTest extends DrTunXdpFastPathTests {
    @Override
    String mode() {
        return "dr";
    }

    @Override
    String prefix() {
        return "jlvsf-d";
    }
}
