package io.jlvs.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.ServiceKey;
import org.junit.jupiter.api.Test;

/** Service and server ids as docs/api.md writes them. */
class ServiceIdsTest {
    @Test
    void servicesAreProtocolSlashEndpointOrFwmSlashMark() {
        assertEquals("tcp/10.0.0.1:80", ServiceIds.id(ServiceKey.of(Protocol.TCP, 0, Addresses.mappedLo(0x0A00_0001), 80)));
        assertEquals("udp/[2001:db8::1]:53", ServiceIds.id(v6(Protocol.UDP, "2001:db8::1", 53)));
        assertEquals("sctp/10.0.0.1:9000",
                ServiceIds.id(ServiceKey.of(Protocol.SCTP, 0, Addresses.mappedLo(0x0A00_0001), 9000)));
        assertEquals("fwm/1", ServiceIds.id(ServiceKey.ofFwmark(1, 4)));
        assertEquals("fwm6/1", ServiceIds.id(ServiceKey.ofFwmark(1, 6)));
        assertEquals("fwm/4294967295", ServiceIds.id(ServiceKey.ofFwmark(-1, 4)));
    }

    @Test
    void endpointsBracketIpv6AddressesInTheirShortestForm() {
        assertEquals("10.0.1.2:80", ServiceIds.endpoint(0, Addresses.mappedLo(0x0A00_0102), 80));
        long[] a = new long[2];
        Addresses.parseV6("2001:0db8:0000:0000:0000:0000:0000:0002", a);
        assertEquals("[2001:db8::2]:80", ServiceIds.endpoint(a[0], a[1], 80));
        assertEquals("[::1]:0", ServiceIds.endpoint(0, 1, 0));
    }

    private static ServiceKey v6(Protocol protocol, String address, int port) {
        long[] a = new long[2];
        Addresses.parseV6(address, a);
        return ServiceKey.of(protocol, a[0], a[1], port);
    }
}
