package io.jlvs.netns;

/** The TUN end-to-end tests with the pcap backend. */
class TunPcapTest extends DrTunEndToEndTests {
    @Override
    String mode() {
        return "tun";
    }

    @Override
    String io() {
        return "pcap";
    }

    @Override
    String prefix() {
        return "jlvstun-p";
    }
}
