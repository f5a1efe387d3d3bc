package io.jlvs.netns;

/** The NAT end-to-end tests with the libpcap (pcap4j) backend. */
class NatPcapTest extends NatEndToEndTests {
    @Override
    String io() {
        return "pcap";
    }

    @Override
    String prefix() {
        return "jlvsnat-p";
    }
}
