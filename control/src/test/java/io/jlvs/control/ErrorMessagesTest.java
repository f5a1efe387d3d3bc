package io.jlvs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.ForwardMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ipvsadm's messages and exit codes for bad input and for changes the kernel (here the runtime) refuses. */
class ErrorMessagesTest {
    private AdmHarness h;

    @BeforeEach
    void oneServiceWithOneServer() {
        h = new AdmHarness();
        h.ok("-A -t 10.0.0.1:80 -s rr").ok("-a -t 10.0.0.1:80 -r 10.1.1.1:80 -m");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-A -t 10.0.0.2                          | 2   | Zero port specified for non-persistent service",
            "-A -t 10.0.0.2:99999                    | 2   | illegal virtual server address[:port] specified",
            "-A -t 80                                | 2   | illegal virtual server address[:port] specified",
            "-A -t [2001:db8::1                      | 2   | illegal virtual server address[:port] specified",
            "-A -t 10.0.0.2:nosuchport               | 2   | illegal virtual server address[:port] specified",
            "-a -t 10.0.0.1:80 -r 10.1.1.2:70000     | 2   | illegal real server address[:port] specified",
            "-A -t 10.0.0.2:80 -s nosuch             | 255 | Scheduler or persistence engine not found",
            "-A -t 10.0.0.2:80 -p 60 --pe http       | 255 | Scheduler or persistence engine not found",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -w 70000  | 2   | illegal weight specified",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -w -1     | 2   | illegal weight specified",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -w abc    | 2   | illegal weight specified",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -x z      | 2   | illegal u_threshold specified",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -y 5      | 255 | Numerical result out of range",
            "-A -t 10.0.0.1:80                       | 255 | Service already exists",
            "-E -t 10.0.0.9:80                       | 255 | No such service",
            "-D -t 10.0.0.9:80                       | 255 | No such service",
            "-Z -t 10.0.0.9:80                       | 255 | No such service",
            "-a -t 10.0.0.9:80 -r 10.1.1.2           | 255 | Service not defined",
            "-a -t 10.0.0.1:80 -r 10.1.1.1:80 -m     | 255 | Destination already exists",
            "-e -t 10.0.0.1:80 -r 10.1.1.9 -m        | 255 | No such destination",
            "-d -t 10.0.0.1:80 -r 10.1.1.9           | 255 | No such destination",
            "-L -n -t 10.0.0.9:80                    | 1   | No such service",
            "-A                                      | 2   | You need to supply the 'service-address' option for the 'add-service' command",
            "-a -t 10.0.0.1:80                       | 2   | You need to supply the 'real-server' option for the 'add-server' command",
            "-D -t 10.0.0.1:80 -s rr                 | 2   | Illegal 'scheduler' option with the 'delete-service' command",
            "-L -c -t 10.0.0.1:80                    | 2   | The option 'service-address' conflicts with the 'connection' option in the 'list' command",
            "-L -c --stats                           | 2   | options conflicts in the list command",
            "-A -t 10.0.0.2:80 -t 10.0.0.3:80        | 2   | multiple 'service-address' options specified",
            "-L -A                                   | 2   | invalid option `-A'",
            "--set 1 2                               | 2   | --set option requires 3 timeout values",
            "--set 1 2 x                             | 2   | invalid timeout value `x' specified",
            "-L extra                                | 2   | unexpected argument extra",
            "-A -t 10.0.0.2:53 -s rr -o              | 2   | One-Packet Scheduling is only for UDP virtual services",
            "-A -t 10.0.0.2:80 -p 0                  | 2   | invalid timeout value `0' specified",
            "-A -f 0                                 | 2   | invalid fwmark value `0' specified",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -m --tun-type gue | 2 | Tunnel options conflict with forward method",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -i --tun-type gue | 2 | You need to supply the 'tun-port' option for the 'gue' tunnel type",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -i --tun-port 1   | 2 | Illegal 'tun-port' option with the 'ipip' tunnel type",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -i --tun-type gre --tun-csum --tun-nocsum | 2 | The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gre' tunnel type",
            "-a -t 10.0.0.1:80 -r 10.1.1.2 -i --tun-type vxlan | 2 | illegal tunnel type specified",
            "-A -t 10.0.0.2:80 -s rr -b sh-port      | 2   | incompatible scheduler flag `sh-port'",
            "-A -t 10.0.0.2:80 -s sh -b bogus        | 2   | invalid scheduler flag `bogus'",
            "-a -t 10.0.0.1:80 -r [2001:db8::1]:80 -m | 2  | Different address family is allowed only for tunneling servers",
            "-A -t [2001:db8::1]:80 -M 200 -p        | 2   | illegal ipv6 netmask specified",
            "--start-daemon sideways                 | 2   | illegal start-daemon parameter specified",
            "--stop-daemon master                    | 255 | No daemon is running",
            "-L --foo                                | 255 | --foo: unknown option",
            "-A -t                                   | 255 | -t: missing argument",
            "--foo                                   | 255 | Try `jlvsadm -h' or 'jlvsadm --help' for more information.",
            "-n -L                                   | 255 | Try `jlvsadm -h' or 'jlvsadm --help' for more information.",
            "--sysctl nosuch                         | 2   | unknown sysctl `nosuch' (known: expire_nodest_conn expire_quiescent_template conn_reuse_mode sloppy_tcp nat_icmp_send pmtu_disc amemthresh am_droprate drop_entry drop_packet secure_tcp sync_threshold sync_period sync_refresh_period sync_retries)",
            "--sysctl sync_threshold=50              | 255 | sync_threshold must be below sync_period unless that is 0 (they would be 50 and 50)",
            "--sysctl sync_period=3                  | 255 | sync_threshold must be below sync_period unless that is 0 (they would be 3 and 3)",
            "--sysctl sync_retries=4                 | 2   | sync_retries takes 0 to 3",
            "--sysctl secure_tcp=4                   | 2   | secure_tcp takes 0 to 3",
            "-A -u 10.0.0.2:53 --synproxy            | 2   | --synproxy is only for TCP virtual services",
            "-a -t 10.0.0.1:80 -r 10.1.1.9 --synproxy | 2  | Illegal 'synproxy' option with the 'add-server' command",
            "-A -u 10.0.0.2:53 --sloppy-tcp          | 2   | --sloppy-tcp is only for TCP virtual services",
            "-a -t 10.0.0.1:80 -r 10.1.1.9 --sloppy-tcp | 2 | Illegal 'sloppy-tcp' option with the 'add-server' command",
            "-A -t 10.0.0.2:80 --laddr 10.9.9.9,10.9.9.9 | 2 | local address `10.9.9.9' given twice",
            "-A -t 10.0.0.2:80 --laddr 10.9.9     | 2   | illegal local address specified: `10.9.9'",
            "-A -t 10.0.0.2:80 -z 224.0.0.1       | 2   | illegal local address specified: `224.0.0.1' is not a unicast address",
            "-a -t 10.0.0.1:80 -r 10.1.1.9 -z 10.9.9.9 | 2 | Illegal 'laddr' option with the 'add-server' command",
            "-a -t 10.0.0.1:80 -r 10.1.1.9 -m --proxy-protocol | 2 | --proxy-protocol is only for --fullnat real servers",
            "-a -t 10.0.0.1:80 -r 10.1.1.9 --fullnat -m | 2 | multiple 'forwarding-method' options specified",
            "-a -t 10.0.0.1:80 -r 10.1.1.9 --fullnat | 255 | FullNAT needs the service's local addresses (--laddr)",
            "-P -t 10.0.0.1:80                    | 2   | You need to supply the 'laddr' option for the 'add-laddr' command",
            "-P -t 10.0.0.1:80 -z 10.9.9.9 -s rr  | 2   | Illegal 'scheduler' option with the 'add-laddr' command",
            "-P -t 10.0.0.7:80 -z 10.9.9.9        | 255 | No such service",
            "-Q -t 10.0.0.1:80 -z 10.9.9.9        | 255 | No such local address 10.9.9.9",
            "-G -t 10.0.0.7:80                    | 255 | No such service",
            "--sysctl amemthresh=0                   | 2   | amemthresh takes 1 to 99",
            "--sysctl sloppy_tcp=yes                 | 2   | invalid value `yes' for sloppy_tcp",
            "--sysctl sloppy_tcp=2                   | 2   | sloppy_tcp takes 0 or 1",
            "--sysctl conn_reuse_mode=4              | 2   | conn_reuse_mode takes 0 to 3",
            "--sysctl all=1                          | 2   | cannot set `all'",
    })
    void messageAndExitCode(String line, int exitCode, String message) {
        String before = h.runtime.config().toString();
        assertEquals(exitCode, h.run(line), h.err);
        assertEquals(message + "\n", h.err);
        assertEquals("", h.out);
        assertEquals(before, h.runtime.config().toString(), "a failed command must not change the config");
    }

    @Test
    void synproxyIsSavedListedAndDroppedByAnEditWithoutIt() {
        h.ok("-A -t 10.0.0.9:443 -s wlc --synproxy");
        h.ok("-S -n");
        assertTrue(h.out.contains("-A -t 10.0.0.9:443 -s wlc --synproxy\n"), h.out);
        h.ok("-L -n");
        assertTrue(h.out.contains("TCP  10.0.0.9:443 wlc synproxy\n"), h.out);
        h.ok("-E -t 10.0.0.9:443 -s wlc");
        h.ok("-S -n");
        assertTrue(h.out.contains("-A -t 10.0.0.9:443 -s wlc\n"), h.out);
        assertEquals(0, h.restore("-A -t 10.0.0.8:443 -s rr --synproxy\n"), h.err);
        h.ok("-S -n");
        assertTrue(h.out.contains("-A -t 10.0.0.8:443 -s rr --synproxy\n"), "-R keeps it too: " + h.out);
    }

    @Test
    void fullNatPoolsAreAddedListedSavedAndKeptWhileFullNatServersNeedThem() {
        h.ok("-A -t 10.0.0.9:80 -s rr -z 10.9.9.1");
        h.ok("-P -t 10.0.0.9:80 -z 10.9.9.2,10.9.9.3");
        h.ok("-a -t 10.0.0.9:80 -r 10.1.1.5:8080 --fullnat --proxy-protocol -w 2");
        h.ok("-S -n");
        assertTrue(h.out.contains("-A -t 10.0.0.9:80 -s rr --laddr 10.9.9.1,10.9.9.2,10.9.9.3\n"), h.out);
        assertTrue(h.out.contains("-a -t 10.0.0.9:80 -r 10.1.1.5:8080 --fullnat -w 2 --proxy-protocol\n"), h.out);
        h.ok("-L -n");
        assertTrue(h.out.contains("TCP  10.0.0.9:80 rr laddr 10.9.9.1,10.9.9.2,10.9.9.3\n"), h.out);
        assertTrue(h.out.contains("  -> 10.1.1.5:8080                FullNat 2      0          0"), h.out);
        h.ok("-G");
        assertEquals("""
                Prot VIP:VPORT             TOTAL    SNAT_IP
                TCP  10.0.0.9:80           3
                                                     10.9.9.1
                                                     10.9.9.2
                                                     10.9.9.3
                """, h.out);
        assertEquals(255, h.run("-P -t 10.0.0.9:80 -z 10.9.9.2"));
        assertEquals("Local address 10.9.9.2 already exists\n", h.err);
        h.ok("-Q -t 10.0.0.9:80 -z 10.9.9.1,10.9.9.3");
        String before = h.runtime.config().toString();
        assertEquals(255, h.run("-Q -t 10.0.0.9:80 -z 10.9.9.2"));
        assertEquals("The service's FullNAT servers need its local addresses (--laddr)\n", h.err);
        assertEquals(255, h.run("-E -t 10.0.0.9:80 -s rr"));
        assertEquals(before, h.runtime.config().toString(), "refused changes leave the pool as it was");
        h.ok("-d -t 10.0.0.9:80 -r 10.1.1.5:8080");
        h.ok("-Q -t 10.0.0.9:80 -z 10.9.9.2");
        h.ok("-G -t 10.0.0.9:80");
        assertEquals("Prot VIP:VPORT             TOTAL    SNAT_IP\n", h.out);
        assertEquals(0, h.restore("-A -t 10.0.0.8:80 -s rr --laddr 10.9.9.7\n"
                + "-a -t 10.0.0.8:80 -r 10.1.1.6:80 --fullnat -w 1\n"), h.err);
        h.ok("-S -n");
        assertTrue(h.out.contains("-a -t 10.0.0.8:80 -r 10.1.1.6:80 --fullnat -w 1\n"), "-R keeps it: " + h.out);
    }

    @Test
    void fullNatRefusesTheSynProxyOnePacketNat64AndMixedPoolsWithoutHalfApplying() {
        h.ok("-A -t 10.0.0.9:80 -s rr --synproxy --laddr 10.9.9.1");
        h.ok("-A -u 10.0.0.9:53 -s rr -o --laddr 10.9.9.2");
        h.ok("-A -f 7 -s rr -o --laddr 10.9.9.3");
        h.ok("-A -t 10.0.0.9:81 -s rr --laddr 10.9.9.5 --sloppy-tcp");
        h.ok("-A -t [2001:db8::1]:80 -s rr");
        String before = h.runtime.config().toString();
        assertEquals(255, h.run("-a -t 10.0.0.9:80 -r 10.1.1.5:80 --fullnat"));
        assertEquals("FullNAT servers cannot serve a --synproxy service\n", h.err);
        assertEquals(255, h.run("-a -u 10.0.0.9:53 -r 10.1.1.5:53 --fullnat"));
        assertEquals("FullNAT servers cannot serve a one-packet (-o) service\n", h.err);
        assertEquals(255, h.run("-a -t [2001:db8::1]:80 -r [2001:db8::5]:80 --fullnat"));
        assertEquals("FullNAT needs the service's local addresses (--laddr)\n", h.err);
        assertEquals(2, h.run("-a -t [2001:db8::1]:80 -r 10.1.1.5:80 --fullnat"));
        assertEquals("--fullnat needs a real server of the service's family (IPv4 to IPv4 or IPv6 to IPv6; no NAT64)\n",
                h.err);
        assertEquals(255, h.run("-a -f 7 -r 10.1.1.5:80 --fullnat"));
        assertEquals("FullNAT servers cannot serve a one-packet (-o) service\n", h.err);
        assertEquals(2, h.run("-a -t 10.0.0.9:81 -r [2001:db8::5]:80 --fullnat"));
        assertEquals("--fullnat needs a real server of the service's family (IPv4 to IPv4 or IPv6 to IPv6; no NAT64)\n",
                h.err);
        assertEquals(255, h.run("-P -t [2001:db8::1]:80 -z 10.9.9.6"));
        assertEquals("--laddr takes local addresses of the service's family (IPv4 for IPv4 services, IPv6 for IPv6 "
                + "services)\n", h.err);
        assertEquals(2, h.run("-P -t [2001:db8::1]:80 -z 2001:db8::9,10.9.9.6"));
        assertEquals("--laddr takes addresses of one family (IPv4 or IPv6), not both\n", h.err);
        assertEquals(before, h.runtime.config().toString(), "a refused server is not added");
        h.ok("-E -t 10.0.0.9:80 -s rr --laddr 10.9.9.1");
        h.ok("-a -t 10.0.0.9:80 -r 10.1.1.5:80 --fullnat");
        before = h.runtime.config().toString();
        assertEquals(255, h.run("-E -t 10.0.0.9:80 -s rr --synproxy --laddr 10.9.9.1"));
        assertEquals("FullNAT servers cannot serve a --synproxy service\n", h.err);
        assertEquals(before, h.runtime.config().toString(), "the service keeps its options");
        h.ok("-P -t 10.0.0.9:81 -z 10.9.9.4");
        h.ok("-S -n");
        assertTrue(h.out.lines().anyMatch(l -> l.startsWith("-A -t 10.0.0.9:81 ") && l.contains("--sloppy-tcp")
                && l.contains("10.9.9.5,10.9.9.4")), "-P keeps --sloppy-tcp: " + h.out);
    }

    @Test
    void theKernelsTwoValueSyncThresholdIsRefusedWithWhereTheSecondGoes() {
        assertEquals(2, h.runArgs(new String[] {"--sysctl", "sync_threshold=3 50"}, ""));
        assertEquals("invalid value `3 50' for sync_threshold (the kernel's second value is jlvs's sync_period)\n",
                h.err);
        h.ok("--sysctl sync_period=0");
        h.ok("--sysctl sync_threshold=200");
        assertEquals("net.ipv4.vs.sync_threshold = 200\n", h.out, "without a period any threshold below 255 goes");
    }

    @Test
    void sixBeforeFwmarkKeepsIpvsadmsExtraNewline() {
        assertEquals(2, h.run("-A -6 -f 1"));
        assertEquals("-6 used before -f\n\n", h.err);
    }

    @Test
    void startDaemonNeedsAnInterfaceAndADaemonThatSyncs() {
        assertEquals(255, h.run("--start-daemon master"));
        assertEquals("No such device\n", h.err);
        assertEquals(255, h.run("--start-daemon master --mcast-interface eth0"));
        assertTrue(h.err.contains("without connection synchronization"), h.err);
        assertEquals(2, h.run("--start-daemon backup --mcast-interface eth0 --mcast-group 10.0.0.1"));
        assertEquals(2, h.run("--start-daemon backup --mcast-interface eth0 --syncid 256"));
    }

    @Test
    void runtimeRefusalIsReportedAndLeavesStateUnchanged() {
        h.runtime.refuseWith = "real server 10.1.1.7 is not on a connected network (needed for -g)";
        assertEquals(255, h.run("-a -t 10.0.0.1:80 -r 10.1.1.7 -g"));
        assertEquals("real server 10.1.1.7 is not on a connected network (needed for -g)\n", h.err);
        assertEquals(1, h.runtime.config().realServers(h.runtime.config().services().getFirst().key()).size());
    }

    @Test
    void defaultForwardMethodComesFromTheRuntime() {
        h.runtime.defaultMethod = ForwardMethod.MASQ;
        h.ok("-a -t 10.0.0.1:80 -r 10.1.1.3:8080");
        h.ok("-S -n");
        assertTrue(h.out.contains("-a -t 10.0.0.1:80 -r 10.1.1.3:8080 -m -w 1\n"), h.out);
        h.runtime.defaultMethod = ForwardMethod.ROUTE;
        h.ok("-a -t 10.0.0.1:80 -r 10.1.1.4:8080");
        h.ok("-S -n");
        assertTrue(h.out.contains("-a -t 10.0.0.1:80 -r 10.1.1.4:80 -g -w 1\n"), "DR forces the service port: " + h.out);
    }

    @Test
    void helpPrintsUsageAndVersionExitZero() {
        assertEquals(0, h.run("-h"));
        assertTrue(h.out.contains("Usage:\n  jlvsadm -A|E virtual-service"), h.out);
        assertTrue(h.out.contains("--sysctl NAME=VALUE"), h.out);
        assertEquals(0, h.run("--help"));
        assertEquals(0, h.run("-v"));
        assertTrue(h.out.startsWith("jlvsadm v1.31"));
    }

    @Test
    void editDeleteZeroAndSysctlDoWhatTheySay() {
        h.ok("-E -t 10.0.0.1:80 -s wrr -p 120");
        h.ok("-e -t 10.0.0.1:80 -r 10.1.1.1:80 -m -w 5");
        h.ok("-S -n");
        assertEquals("-A -t 10.0.0.1:80 -s wrr -p 120\n-a -t 10.0.0.1:80 -r 10.1.1.1:80 -m -w 5\n", h.out);
        h.ok("-Z -t 10.0.0.1:80");
        assertTrue(h.runtime.zeroCalled);
        assertEquals(h.runtime.config().services().getFirst().key(), h.runtime.zeroed);
        h.ok("--sysctl sloppy_tcp=1");
        assertEquals("net.ipv4.vs.sloppy_tcp = 1\n", h.out);
        h.ok("--sysctl net.ipv4.vs.sloppy_tcp");
        assertEquals("net.ipv4.vs.sloppy_tcp = 1\n", h.out);
        h.ok("--sysctl all");
        assertEquals(IpvsSysctl.values().length, h.out.lines().count());
        h.ok("-d -t 10.0.0.1:80 -r 10.1.1.1:80");
        h.ok("-D -t 10.0.0.1:80");
        h.ok("-S -n");
        assertEquals("", h.out);
        h.ok("-A -t 10.0.0.1:0 -p -s rr");
        h.ok("-S -n");
        assertEquals("-A -t 10.0.0.1:0 -s rr -p 360\n", h.out);
        h.ok("-C");
        assertEquals(0, h.runtime.config().serviceCount());
    }
}
