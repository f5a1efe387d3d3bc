package io.jlvs.netns;

/** The DR end-to-end tests with the pcap backend. */
class DrPcapTest extends DrTunEndToEndTests {
    @Override
    String mode() {
        return "dr";
    }

    @Override
    String io() {
        return "pcap";
    }

    @Override
    String prefix() {
        return "jlvsdr-p";
    }
}
