package io.jlvs.control;

import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.ServiceKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Golden outputs of every listing variant. Expected text is written with ipvsadm's own printf formats
 * (String.format mirrors C's %-28s, %-10u, ...), independent of the formatter under test.
 */
class ListingGoldenTest {
    private static final String HEADER = "IP Virtual Server version 1.2.1 (size=4096)\n";
    private static final String TITLE = "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
    private static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, 0, Addresses.mappedLo(0xCFAF2C6E), 80);
    private static final ServiceKey DNS = ServiceKey.of(Protocol.UDP, 0, Addresses.mappedLo(0x0A000001), 53);
    private static final long RS1 = Addresses.mappedLo(0xC0A80A01);

    private AdmHarness h;

    @BeforeEach
    void classicSetup() {
        h = new AdmHarness();
        // added in an order different from ipvsadm's sort order on purpose
        h.ok("-A -u 10.0.0.1:53 -s sh -b sh-port,sh-fallback")
         .ok("-a -u 10.0.0.1:53 -r 10.1.1.1 -i -w 1")
         .ok("-A -t 207.175.44.110:80 -s wlc -p 360")
         .ok("-a -t 207.175.44.110:80 -r 192.168.10.2:80 -g -w 3")
         .ok("-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1");
        h.runtime.setServerStats(WEB, 0, RS1, 80, new RealServerStats(12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 10, 4));
    }

    private static String dest(String addr, String fwd, int w, int active, int inactive) {
        return String.format("  -> %-28s %-7s %-6d %-10d %-10d%n", addr, fwd, w, active, inactive);
    }

    @Test
    void listNumericMatchesIpvsadmLayoutAndSortOrder() {
        h.ok("-L -n");
        String expected = HEADER + TITLE
                + "TCP  207.175.44.110:80 wlc persistent 360\n"
                + dest("192.168.10.1:80", "Masq", 1, 2, 10)
                + dest("192.168.10.2:80", "Route", 3, 0, 0)
                + "UDP  10.0.0.1:53 sh (sh-fallback,sh-port)\n"
                + dest("10.1.1.1:53", "Tunnel", 1, 0, 0);
        assertEquals(expected, h.out);
        // the literal line from docs/ipvs-reference.md, with ipvsadm's trailing padding
        assertEquals("  -> 192.168.10.1:80              Masq    1      2          10        ", h.out.split("\n")[4]);
    }

    @Test
    void combinedShortOptionsAndNoArgumentsList() {
        h.ok("-Ln");
        String numeric = h.out;
        h.ok("-ln");
        assertEquals(numeric, h.out);
        h.ok("");
        assertEquals(true, h.out.startsWith(HEADER + TITLE + "TCP  www.example.com:http wlc persistent 360\n"), h.out);
    }

    @Test
    void namesResolvedWithoutNumericAndCutAtIpvsadmWidths() {
        h.ok("-L");
        String udpName = "UDP  a-very-long-host-name-for-truncation.example.com:domain".substring(0, 33);
        String expected = HEADER + TITLE
                + "TCP  www.example.com:http wlc persistent 360\n"
                + dest("rs1.example.com:http", "Masq", 1, 2, 10)
                + dest("192.168.10.2:http", "Route", 3, 0, 0)
                + udpName + " sh (sh-fallback,sh-port)\n"
                + dest("10.1.1.1:domain", "Tunnel", 1, 0, 0);
        assertEquals(expected, h.out);
    }

    @Test
    void singleServiceListingHasNoVersionHeader() {
        h.ok("-L -n -t 207.175.44.110:80");
        assertEquals(TITLE + "TCP  207.175.44.110:80 wlc persistent 360\n"
                + dest("192.168.10.1:80", "Masq", 1, 2, 10) + dest("192.168.10.2:80", "Route", 3, 0, 0), h.out);
    }

    @Test
    void statsFoldLargeNumbersWithKMGT() {
        h.runtime.serviceStats.put(WEB, new ServiceStats(99_999_999L, 100_000_000L, 1_234_567_890L, 123_456_789_012L,
                123_456_789_012_345L, 0, 0, 0, 0, 0));
        h.ok("-L -n --stats");
        String title = String.format("%-33s %8s %8s %8s %8s %8s%n  -> RemoteAddress:Port%n",
                "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
        String web = String.format("%-33s%9d%8dK%8dM%8dG%8dT%n", "TCP  207.175.44.110:80", 99_999_999L, 100_000L, 1234L, 123L, 123L);
        String rs1 = String.format("  -> %-28s%9d%9d%9d%9d%9d%n", "192.168.10.1:80", 12, 0, 0, 0, 0);
        String[] lines = h.out.split("(?<=\n)");
        assertEquals(HEADER, lines[0]);
        assertEquals(title, lines[1] + lines[2]);
        assertEquals(web, lines[3]);
        assertEquals(rs1, lines[4]);
    }

    @Test
    void exactPrintsFullNumbersAtLeastNineWide() {
        h.runtime.serviceStats.put(WEB, new ServiceStats(5, 100_000_000L, 0, 123_456_789_012_345L, 0, 0, 0, 0, 0, 0));
        h.ok("-L -n --stats --exact");
        String web = String.format("%-33s%9d%10d%9d%16d%9d%n", "TCP  207.175.44.110:80", 5, 100_000_000L, 0, 123_456_789_012_345L, 0);
        assertEquals(web, h.out.split("(?<=\n)")[3]);
    }

    @Test
    void rateColumns() {
        h.runtime.serviceStats.put(WEB, new ServiceStats(0, 0, 0, 0, 0, 7, 70, 60, 1_500_000_000L, 9000));
        h.runtime.setServerStats(WEB, 0, RS1, 80, new RealServerStats(0, 0, 0, 0, 0, 3, 30, 20, 200_000_000L, 100, 1, 2, 0));
        h.ok("-L -n --rate");
        String title = String.format("%-33s %8s %8s %8s %8s %8s%n  -> RemoteAddress:Port%n",
                "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
        String web = String.format("%-33s%9d%9d%9d%8dM%9d%n", "TCP  207.175.44.110:80", 7, 70, 60, 1500, 9000);
        String rs1 = String.format("  -> %-28s %8d %8d %8d%8dK%9d%n", "192.168.10.1:80", 3, 30, 20, 200_000, 100);
        String[] lines = h.out.split("(?<=\n)");
        assertEquals(title, lines[1] + lines[2]);
        assertEquals(web, lines[3]);
        assertEquals(rs1, lines[4]);
    }

    @Test
    void thresholdsAndPersistentConnColumns() {
        h.ok("-e -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1 -x 100 -y 50");
        h.ok("-L -n --thresholds");
        String title = String.format("%-33s %-10s %-10s %-10s %-10s%n  -> RemoteAddress:Port%n",
                "Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn", "InActConn");
        String[] lines = h.out.split("(?<=\n)");
        assertEquals(title, lines[1] + lines[2]);
        assertEquals("TCP  207.175.44.110:80 wlc persistent 360\n", lines[3]);
        assertEquals(String.format("  -> %-28s %-10d %-10d %-10d %-10d%n", "192.168.10.1:80", 100, 50, 2, 10), lines[4]);

        h.ok("-L -n --persistent-conn");
        String pcTitle = String.format("%-33s %-9s %-11s %-10s %-10s%n  -> RemoteAddress:Port%n",
                "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn");
        lines = h.out.split("(?<=\n)");
        assertEquals(pcTitle, lines[1] + lines[2]);
        assertEquals(String.format("  -> %-28s %-9d %-11d %-10d %-10d%n", "192.168.10.1:80", 1, 4, 2, 10), lines[4]);
    }

    @Test
    void tunnelInfoColumnAndSavedTunnelOptions() {
        h.ok("-a -t 207.175.44.110:80 -r 10.2.2.2 -i --tun-type gue --tun-port 6080 --tun-csum")
         .ok("-a -t 207.175.44.110:80 -r 10.2.2.3 -i --tun-type gre --tun-remcsum")
         .ok("-a -t 207.175.44.110:80 -r 10.2.2.4 -i");
        h.ok("-L -n --tun-info -t 207.175.44.110:80");
        String row = "  -> %-28s %-7s %-13s %-6d %-10d %-10d%n";
        assertEquals("Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
                + "TCP  207.175.44.110:80 wlc persistent 360\n"
                + String.format(row, "10.2.2.2:80", "Tunnel", "gue:6080:+c", 1, 0, 0)
                + String.format(row, "10.2.2.3:80", "Tunnel", "gre:r+c", 1, 0, 0)
                + String.format(row, "10.2.2.4:80", "Tunnel", "ipip", 1, 0, 0)
                + String.format(row, "192.168.10.1:80", "Masq", "n/a", 1, 2, 10)
                + String.format(row, "192.168.10.2:80", "Route", "n/a", 3, 0, 0), h.out);
        h.ok("-S -n");
        String save = h.out;
        assertEquals(true, save.contains("-a -t 207.175.44.110:80 -r 10.2.2.2:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum\n"));
        assertEquals(true, save.contains("-a -t 207.175.44.110:80 -r 10.2.2.3:80 -i -w 1 --tun-type gre --tun-remcsum\n"));
        assertEquals(true, save.contains("-a -t 207.175.44.110:80 -r 10.2.2.4:80 -i -w 1 --tun-type ipip\n"));
    }

    @Test
    void saveOrderAndFormat() {
        h.ok("-S -n");
        assertEquals("-A -t 207.175.44.110:80 -s wlc -p 360\n"
                + "-a -t 207.175.44.110:80 -r 192.168.10.1:80 -m -w 1\n"
                + "-a -t 207.175.44.110:80 -r 192.168.10.2:80 -g -w 3\n"
                + "-A -u 10.0.0.1:53 -s sh -b sh-fallback,sh-port\n"
                + "-a -u 10.0.0.1:53 -r 10.1.1.1:53 -i -w 1 --tun-type ipip\n", h.out);
        h.ok("-S");
        assertEquals("-A -t www.example.com:http -s wlc -p 360\n", h.out.lines().findFirst().orElseThrow() + "\n");
    }

    @Test
    void persistentMaskPeOpsIpv6AndFwmarkServices() {
        AdmHarness g = new AdmHarness();
        g.ok("-A -t 10.0.0.7:80 -s rr -p 30 -M 255.255.255.0")
         .ok("-A -u 10.0.0.5:514 -s rr -o")
         .ok("-A -u 10.0.0.6:5060 -s rr -p 60 --pe sip")
         .ok("-A -t [2001:db8::1]:443 -s wlc -p 100 -M 64")
         .ok("-a -t [2001:db8::1]:443 -r [2001:db8::10]:8443 -m -w 2")
         .ok("-A -f 1 -s rr -p")
         .ok("-a -f 1 -r 10.1.1.2 -m")
         .ok("-A -f 2 -6 -s mh -b mh-port")
         .ok("-A --sctp-service 10.0.0.8:3868 -s rr");
        g.ok("-L -n");
        assertEquals(HEADER + TITLE
                + "TCP  10.0.0.7:80 rr persistent 30 mask 255.255.255.0\n"
                + "UDP  10.0.0.5:514 rr ops\n"
                + "UDP  10.0.0.6:5060 rr persistent 60 pe sip\n"
                + "SCTP 10.0.0.8:3868 rr\n"
                + "TCP  [2001:db8::1]:443 wlc persistent 100 mask 64\n"
                + dest("[2001:db8::10]:8443", "Masq", 2, 0, 0)
                + "FWM  1 rr persistent 360\n"
                + dest("10.1.1.2:0", "Masq", 1, 0, 0)
                + "FWM  2 IPv6 mh (mh-port)\n", g.out);
        g.ok("-S -n");
        assertEquals("-A -t 10.0.0.7:80 -s rr -p 30 -M 255.255.255.0\n"
                + "-A -u 10.0.0.5:514 -s rr -o\n"
                + "-A -u 10.0.0.6:5060 -s rr -p 60 --pe sip\n"
                + "-A --sctp-service 10.0.0.8:3868 -s rr\n"
                + "-A -t [2001:db8::1]:443 -s wlc -p 100 -M 64\n"
                + "-a -t [2001:db8::1]:443 -r [2001:db8::10]:8443 -m -w 2\n"
                + "-A -f 1 -s rr -p 360\n"
                + "-a -f 1 -r 10.1.1.2:0 -m -w 1\n"
                + "-A -f 2 -6 -s mh -b mh-port\n", g.out);
    }

    @Test
    void nosortKeepsConfigurationOrder() {
        h.ok("-L -n --nosort");
        String[] lines = h.out.split("\n");
        assertEquals("UDP  10.0.0.1:53 sh (sh-fallback,sh-port)", lines[3]);
        assertEquals("TCP  207.175.44.110:80 wlc persistent 360", lines[5]);
        assertEquals(true, lines[6].startsWith("  -> 192.168.10.2:80"));
    }

    @Test
    void connectionListingWithMinutesAndSeconds() {
        h.runtime.connections.add(new Object[] {"TCP", "ESTABLISHED", 873, 0L, Addresses.mappedLo(0x0A000002), 52814,
                0L, Addresses.mappedLo(0xCFAF2C6E), 80, 0L, RS1, 80});
        h.runtime.connections.add(new Object[] {"UDP", "UDP", 5, 0x20010DB800000000L, 0x2L, 5353,
                0x20010DB800000000L, 0x1L, 53, 0x20010DB800000000L, 0x10L, 53});
        h.ok("-L -n -c");
        String row = "%-3s %-6s %-11s %-18s %-18s %s%n";
        assertEquals("IPVS connection entries\n"
                + String.format("pro expire %-11s %-18s %-18s %s%n", "state", "source", "virtual", "destination")
                + String.format(row, "TCP", "14:33", "ESTABLISHED", "10.0.0.2:52814", "207.175.44.110:80", "192.168.10.1:80")
                + String.format(row, "UDP", "00:05", "UDP", "[2001:db8::2]:5353", "[2001:db8::1]:53", "[2001:db8::10]:53"),
                h.out);
        assertEquals("TCP 14:33  ESTABLISHED 10.0.0.2:52814     207.175.44.110:80  192.168.10.1:80", h.out.split("\n")[2]);
        h.ok("-Lc");
        assertEquals(true, h.out.contains("www.example.com:http"), h.out);
    }

    @Test
    void persistentConnShowsTheEngineColumnsOfTemplatesThatHaveThem() {
        h.runtime.connections.add(new Object[] {"UDP", "UDP", 299, 0L, Addresses.mappedLo(0x0A000002), 5060,
                0L, Addresses.mappedLo(0xCFAF2C6E), 5060, 0L, RS1, 5060});
        h.runtime.connections.add(new Object[] {"UDP", "UDP", 359, 0L, Addresses.mappedLo(0x0A000002), 0,
                0L, Addresses.mappedLo(0xCFAF2C6E), 5060, 0L, RS1, 5060, "sip", "a84b4c76e66710@pc33.atlanta.com"});
        h.ok("-L -n -c --persistent-conn");
        // ipvsadm's print_conn: the title and the rows with engine data use different widths.
        assertEquals("IPVS connection entries\n"
                + String.format("pro expire %-11s %-18s %-18s %-18s %-16s %s%n",
                        "state", "source", "virtual", "destination", "pe name", "pe_data")
                + String.format("%-3s %-6s %-11s %-18s %-18s %s%n",
                        "UDP", "04:59", "UDP", "10.0.0.2:5060", "207.175.44.110:5060", "192.168.10.1:5060")
                + String.format("%-3s %-6s %-11s %-18s %-18s %-16s %-18s %s%n", "UDP", "05:59", "UDP",
                        "10.0.0.2:0", "207.175.44.110:5060", "192.168.10.1:5060", "sip", "a84b4c76e66710@pc33.atlanta.com"),
                h.out);
        h.ok("-L -n -c");
        assertEquals(false, h.out.contains("sip"), "without --persistent-conn the engine columns stay out: " + h.out);
    }

    @Test
    void timeoutsAndSet() {
        h.ok("-L --timeout");
        assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", h.out);
        h.ok("--set 0 60 0");
        h.ok("-L --timeout");
        assertEquals("Timeout (tcp tcpfin udp): 900 60 300\n", h.out);
    }

    @Test
    void daemonListingIsEmptyWhileNoSyncDaemonRuns() {
        h.ok("-L --daemon");
        assertEquals("", h.out);
    }
}
