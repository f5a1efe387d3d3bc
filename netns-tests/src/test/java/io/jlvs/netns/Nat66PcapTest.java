package io.jlvs.netns;

/** The NAT66 end-to-end tests with the libpcap (pcap4j) backend. */
class Nat66PcapTest extends Nat66EndToEndTests {
    @Override
    String io() {
        return "pcap";
    }

    @Override
    String prefix() {
        return "jlvs6-np";
    }
}
