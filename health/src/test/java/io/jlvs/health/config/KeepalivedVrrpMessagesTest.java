package io.jlvs.health.config;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Small files of VRRP blocks and exactly the errors and warnings each gives, as FILE:LINE: message. */
class KeepalivedVrrpMessagesTest {
    @TempDir
    Path dir;

    /** Three lines: an address block with 10.0.0.100 on its second line. */
    private static final String VIP = " virtual_ipaddress {\n  10.0.0.100\n }\n";

    /** An instance on eth0: its name on line 1, interface on line 2, router id on line 3, body from line 4. */
    private static String vi(String name, int routerId, String body) {
        return "vrrp_instance " + name + " {\n interface eth0\n virtual_router_id " + routerId + "\n" + body + "}\n";
    }

    /** vi VI_1 51 with body from line 4 and the addresses after it. */
    private static String vi(String body) {
        return vi("VI_1", 51, body + VIP);
    }

    /** global_defs with one statement on line 2; the file goes on at line 4. */
    private static String global(String statement) {
        return "global_defs {\n " + statement + "\n}\n";
    }

    private static final String SCRIPT = "vrrp_script chk {\n script /bin/true\n}\n";

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("a good instance", vi(""), List.of()),
                arguments("same router id on two interfaces", vi("") + vi("VI_2", 51, " interface eth1\n virtual_ipaddress {\n  10.0.0.101\n }\n"),
                        List.of()),
                arguments("vrrp_mcast_group4 of RFC 3768", global("vrrp_mcast_group4 224.0.0.18") + vi(""), List.of()),
                arguments("missing interface and router id", "vrrp_instance VI_1 {\n state MASTER\n" + VIP + "}\n",
                        List.of("keepalived.conf:1: vrrp_instance VI_1: missing interface",
                                "keepalived.conf:1: vrrp_instance VI_1: missing virtual_router_id")),
                arguments("router id out of range", "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 256\n" + VIP + "}\n",
                        List.of("keepalived.conf:3: virtual_router_id: 256 is out of range 1..255")),
                arguments("priority out of range", vi(" priority 0\n"),
                        List.of("keepalived.conf:4: priority: 0 is out of range 1..255")),
                arguments("unknown state", vi(" state PRIMARY\n"),
                        List.of("keepalived.conf:4: state: 'PRIMARY' is not a state (MASTER, BACKUP)")),
                arguments("fractional advert_int in version 2", vi(" advert_int 0.5\n"),
                        List.of("keepalived.conf:4: advert_int: 0.5: VRRP version 2 advertises whole seconds (use version 3 for less)")),
                arguments("fractional advert_int in version 2 from vrrp_version", global("vrrp_version 2") + vi(" advert_int 1.5\n"),
                        List.of("keepalived.conf:7: advert_int: 1.5: VRRP version 2 advertises whole seconds (use version 3 for less)")),
                arguments("advert_int out of range in version 2", vi(" advert_int 256\n"),
                        List.of("keepalived.conf:4: advert_int: 256 is out of range 1..255")),
                arguments("advert_int out of range in version 3", vi(" version 3\n advert_int 41\n"),
                        List.of("keepalived.conf:5: advert_int: 41 is out of range 0.01..40.95 for VRRP version 3")),
                arguments("advert_int below a hundredth in version 3", global("vrrp_version 3") + vi(" advert_int 0.005\n"),
                        List.of("keepalived.conf:7: advert_int: 0.005: VRRP version 3 advertises in hundredths of a second")),
                arguments("advert_int not a number", vi(" advert_int fast\n"),
                        List.of("keepalived.conf:4: advert_int: 'fast' is not a time in seconds")),
                arguments("version out of range", vi(" version 4\n"),
                        List.of("keepalived.conf:4: version: 4 is out of range 2..3")),
                arguments("preempt_delay out of range", vi(" preempt_delay 1001\n"),
                        List.of("keepalived.conf:4: preempt_delay: 1001 is out of range 0..1000")),
                arguments("garp_master_repeat out of range", vi(" garp_master_repeat 0\n"),
                        List.of("keepalived.conf:4: garp_master_repeat: 0 is out of range 1..255")),
                arguments("down_timer_adverts out of range", vi(" down_timer_adverts 101\n"),
                        List.of("keepalived.conf:4: down_timer_adverts: 101 is out of range 1..100")),
                arguments("AH refused", vi(" authentication {\n  auth_type AH\n  auth_pass secret\n }\n"),
                        List.of("keepalived.conf:5: authentication: auth_type: AH is not supported by jlvs; use PASS or no authentication")),
                arguments("unknown auth_type", vi(" authentication {\n  auth_type MD5\n }\n"),
                        List.of("keepalived.conf:5: authentication: auth_type: 'MD5' is not an authentication type (PASS, AH)")),
                arguments("authentication in version 3", vi(" version 3\n authentication {\n  auth_type PASS\n  auth_pass secret\n }\n"),
                        List.of("keepalived.conf:5: authentication: VRRP version 3 has none")),
                arguments("IPv4 and IPv6 virtual addresses in one instance", vi("VI_1", 51, " virtual_ipaddress {\n  10.0.0.100\n  2001:db8::1/64\n }\n"),
                        List.of("keepalived.conf:1: vrrp_instance VI_1: 2001:db8::1 is IPv6 in an IPv4 instance; an instance's addresses are of one family (as keepalived requires): put the other family's in an instance of its own")),
                arguments("an IPv4 excluded address in an IPv6 instance", vi("VI_1", 51, " virtual_ipaddress {\n  fd00::1\n }\n virtual_ipaddress_excluded {\n  10.0.0.100\n }\n"),
                        List.of("keepalived.conf:1: vrrp_instance VI_1: 10.0.0.100 is IPv4 in an IPv6 instance; an instance's addresses are of one family (as keepalived requires): put the other family's in an instance of its own")),
                arguments("native_ipv6 with IPv4 addresses", vi(" native_ipv6\n"),
                        List.of("keepalived.conf:1: vrrp_instance VI_1: 10.0.0.100 is IPv4 in an IPv6 instance (native_ipv6); an instance's addresses are of one family (as keepalived requires): put the other family's in an instance of its own")),
                arguments("IPv6 virtual address prefix out of range", vi("VI_1", 51, " virtual_ipaddress {\n  fd00::1/129\n }\n"),
                        List.of("keepalived.conf:5: virtual_ipaddress: fd00::1/129: prefix 129 is out of range 0..128")),
                arguments("virtual address prefix out of range", vi("VI_1", 51, " virtual_ipaddress {\n  10.0.0.100/33\n }\n"),
                        List.of("keepalived.conf:5: virtual_ipaddress: 10.0.0.100/33: prefix 33 is out of range 0..32")),
                arguments("virtual address with an unknown option", vi("VI_1", 51, " virtual_ipaddress {\n  10.0.0.100 device eth0\n }\n"),
                        List.of("keepalived.conf:5: virtual_ipaddress: 10.0.0.100: unknown option 'device'")),
                arguments("virtual address option without value", vi("VI_1", 51, " virtual_ipaddress {\n  10.0.0.100 dev\n }\n"),
                        List.of("keepalived.conf:5: virtual_ipaddress: 10.0.0.100: dev needs a value")),
                arguments("virtual address not an address", vi("VI_1", 51, " virtual_ipaddress {\n  vip1\n }\n"),
                        List.of("keepalived.conf:5: virtual_ipaddress: 'vip1' is not an IP address")),
                arguments("no virtual address in version 3", vi("VI_1", 51, " version 3\n"),
                        List.of("keepalived.conf:1: vrrp_instance VI_1: no virtual_ipaddress (VRRP version 3 and vrrp_strict need at least one)")),
                arguments("an empty virtual_ipaddress in version 3", vi("VI_1", 51, " version 3\n virtual_ipaddress {\n }\n"),
                        List.of("keepalived.conf:1: vrrp_instance VI_1: no virtual_ipaddress (VRRP version 3 and vrrp_strict need at least one)")),
                arguments("a refused address is not also reported missing", vi("VI_1", 51, " version 3\n virtual_ipaddress {\n  vip1\n }\n"),
                        List.of("keepalived.conf:6: virtual_ipaddress: 'vip1' is not an IP address")),
                arguments("no virtual address under vrrp_strict", global("vrrp_strict") + vi("VI_1", 51, ""),
                        List.of("keepalived.conf:4: vrrp_instance VI_1: no virtual_ipaddress (VRRP version 3 and vrrp_strict need at least one)")),
                arguments("the same virtual address in two instances", vi("") + vi("VI_2", 52, VIP),
                        List.of("keepalived.conf:8: vrrp_instance VI_2: virtual address 10.0.0.100 is already in vrrp_instance VI_1")),
                arguments("the same virtual address twice in one instance", vi(" virtual_ipaddress_excluded {\n  10.0.0.100/24\n }\n"),
                        List.of("keepalived.conf:1: vrrp_instance VI_1: virtual address 10.0.0.100 is already in this instance")),
                arguments("two instances with one router id on one interface", vi("") + vi("VI_2", 51, " virtual_ipaddress {\n  10.0.0.101\n }\n"),
                        List.of("keepalived.conf:8: vrrp_instance VI_2: virtual_router_id 51 on eth0 is already used at line 1")),
                arguments("one instance name twice", vi("") + vi("VI_1", 52, " virtual_ipaddress {\n  10.0.0.101\n }\n"),
                        List.of("keepalived.conf:8: vrrp_instance VI_1: already defined at line 1")),
                arguments("track_script naming no vrrp_script", vi(" track_script {\n  chk\n }\n"),
                        List.of("keepalived.conf:5: track_script: no vrrp_script chk")),
                arguments("track_script weight out of range", SCRIPT + vi(" track_script {\n  chk weight 254\n }\n"),
                        List.of("keepalived.conf:8: track_script: chk: weight 254 is out of range -253..253")),
                arguments("track_interface without the word weight", vi(" track_interface {\n  eth1 30\n }\n"),
                        List.of("keepalived.conf:5: track_interface: eth1: expected 'weight W' after the name")),
                arguments("unicast_peer not an address", vi(" unicast_peer {\n  10.0.0.3\n  peer2\n }\n"),
                        List.of("keepalived.conf:6: unicast_peer: 'peer2' is not an IP address")),
                arguments("unicast_peer with options", vi(" unicast_peer {\n  10.0.0.3 min_ttl 2\n }\n"),
                        List.of("keepalived.conf:5: unicast_peer: 10.0.0.3: jlvs takes only the peer's address")),
                arguments("an IPv6 unicast_src_ip in an IPv4 instance", vi(" unicast_src_ip 2001:db8::2\n"),
                        List.of("keepalived.conf:1: vrrp_instance VI_1: 2001:db8::2 is IPv6 in an IPv4 instance; an instance's addresses are of one family (as keepalived requires): put the other family's in an instance of its own")),
                arguments("vrrp_strict refuses authentication", global("vrrp_strict") + vi(" authentication {\n  auth_type PASS\n  auth_pass secret\n }\n"),
                        List.of("keepalived.conf:7: authentication: refused by vrrp_strict (RFC 3768 and RFC 5798 have none)")),
                arguments("vrrp_strict refuses unicast_peer", global("vrrp_strict") + vi(" unicast_src_ip 10.0.0.1\n unicast_peer {\n  10.0.0.3\n }\n"),
                        List.of("keepalived.conf:8: unicast_peer: refused by vrrp_strict (VRRP multicasts its adverts)")),
                arguments("vrrp_script without script", "vrrp_script chk {\n interval 2\n}\n",
                        List.of("keepalived.conf:1: vrrp_script chk: missing script")),
                arguments("vrrp_script weight out of range", "vrrp_script chk {\n script /bin/true\n weight 254\n}\n",
                        List.of("keepalived.conf:3: weight: 254 is out of range -253..253")),
                arguments("vrrp_script weight reverse", "vrrp_script chk {\n script /bin/true\n weight 10 reverse\n}\n",
                        List.of("keepalived.conf:3: weight: 'reverse' is not supported by jlvs yet; invert the script's exit status and negate the weight instead")),
                arguments("track_script weight reverse", SCRIPT + vi(" track_script {\n  chk weight 10 reverse\n }\n"),
                        List.of("keepalived.conf:8: track_script: chk: 'reverse' is not supported by jlvs yet; invert the script's exit status and negate the weight instead")),
                arguments("track_interface weight reverse", vi(" track_interface {\n  eth1 weight 10 reverse\n }\n"),
                        List.of("keepalived.conf:5: track_interface: eth1: 'reverse' is not supported by jlvs yet")),
                arguments("vrrp_script interval zero", "vrrp_script chk {\n script /bin/true\n interval 0\n}\n",
                        List.of("keepalived.conf:3: interval: 0 is out of range 1..86400")),
                arguments("vrrp_script rise zero", "vrrp_script chk {\n script /bin/true\n rise 0\n}\n",
                        List.of("keepalived.conf:3: rise: 0 is out of range 1..1000")),
                arguments("vrrp_script defined twice", SCRIPT + SCRIPT,
                        List.of("keepalived.conf:4: vrrp_script chk: defined twice")),
                arguments("sync group naming an unknown instance", "vrrp_sync_group G {\n group {\n  VI_9\n }\n}\n",
                        List.of("keepalived.conf:3: vrrp_sync_group G: no vrrp_instance VI_9")),
                arguments("an instance in two sync groups", vi("") + "vrrp_sync_group G1 {\n group {\n  VI_1\n }\n}\n"
                                + "vrrp_sync_group G2 {\n group {\n  VI_1\n }\n}\n",
                        List.of("keepalived.conf:15: vrrp_sync_group G2: VI_1 is already in vrrp_sync_group G1")),
                arguments("one sync group name twice", vi("") + vi("VI_2", 52, " virtual_ipaddress {\n  10.0.0.101\n }\n")
                                + "vrrp_sync_group G {\n group {\n  VI_1\n }\n}\nvrrp_sync_group G {\n group {\n  VI_2\n }\n}\n",
                        List.of("keepalived.conf:20: vrrp_sync_group G: already defined at line 15")),
                arguments("tracking in a sync group refused", vi("") + "vrrp_sync_group G {\n group {\n  VI_1\n }\n track_script {\n  chk\n }\n}\n",
                        List.of("keepalived.conf:12: track_script: not supported by jlvs yet; track in each vrrp_instance of the group")),
                arguments("sync group without group block", "vrrp_sync_group G {\n notify /bin/true\n}\n",
                        List.of("keepalived.conf:1: vrrp_sync_group G: no group { } of instances")),
                arguments("lvs_sync_daemon naming an unknown instance", global("lvs_sync_daemon eth0 VI_9 id 3"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: no vrrp_instance VI_9")),
                arguments("lvs_sync_daemon with a unicast group", global("lvs_sync_daemon eth0 group 10.0.0.1"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: group 10.0.0.1 is not multicast")),
                arguments("lvs_sync_daemon with an IPv6 group", global("lvs_sync_daemon eth0 group ff02::81"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: group ff02::81: jlvs's sync daemon multicasts over IPv4 only")),
                arguments("lvs_sync_daemon id out of range", global("lvs_sync_daemon eth0 id 256"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: 256 is out of range 0..255")),
                arguments("lvs_sync_daemon maxlen out of range", global("lvs_sync_daemon eth0 maxlen 65508"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: 65508 is out of range 1..65507")),
                arguments("lvs_sync_daemon ttl out of range", global("lvs_sync_daemon eth0 ttl 0"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: 0 is out of range 1..255")),
                arguments("lvs_sync_daemon option without value", global("lvs_sync_daemon eth0 port"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: port needs a value")),
                arguments("lvs_sync_daemon with an unknown word", global("lvs_sync_daemon eth0 VI_1 mtu 1500"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: unexpected 'mtu'")),
                arguments("lvs_sync_daemon with a sync id without 'id'", global("lvs_sync_daemon eth0 VI_1 7"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: unexpected '7'; write the sync id as 'id 7'")),
                arguments("lvs_sync_daemon with two instances", global("lvs_sync_daemon eth0 VI_1 inst VI_2"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: instance given twice")),
                arguments("lvs_sync_daemon twice", "global_defs {\n lvs_sync_daemon eth0\n lvs_sync_daemon eth1\n}\n",
                        List.of("keepalived.conf:3: lvs_sync_daemon: already given at line 2")),
                arguments("lvs_sync_daemon without interface", global("lvs_sync_daemon"),
                        List.of("keepalived.conf:2: lvs_sync_daemon: missing interface")),
                arguments("vrrp_version out of range", global("vrrp_version 1"),
                        List.of("keepalived.conf:2: vrrp_version: 1 is out of range 2..3")),
                arguments("vrrp_garp_interval zero", global("vrrp_garp_interval 0"),
                        List.of("keepalived.conf:2: vrrp_garp_interval: must be more than 0 seconds")),
                arguments("vrrp_garp_interval too long", global("vrrp_garp_interval 4295"),
                        List.of("keepalived.conf:2: vrrp_garp_interval: 4295 is out of range 0.000001..4294.967295")),
                arguments("vrrp_garp_master_repeat zero", global("vrrp_garp_master_repeat 0"),
                        List.of("keepalived.conf:2: vrrp_garp_master_repeat: 0 is out of range 1..255")),
                arguments("vrrp_min_garp with a bad value", global("vrrp_min_garp maybe"),
                        List.of("keepalived.conf:2: vrrp_min_garp: 'maybe' is not true or false (true, false, yes, no, on, off)")),
                arguments("another multicast group for adverts", global("vrrp_mcast_group4 224.0.0.19"),
                        List.of("keepalived.conf:2: vrrp_mcast_group4: jlvs sends and receives adverts on 224.0.0.18 only; remove it, or use unicast_peer")),
                arguments("vrrp_startup_delay refused", global("vrrp_startup_delay 5"),
                        List.of("keepalived.conf:2: vrrp_startup_delay: jlvs starts VRRP at once and cannot delay it; remove it")),
                arguments("vrrp_check_unicast_src refused", global("vrrp_check_unicast_src"),
                        List.of("keepalived.conf:2: vrrp_check_unicast_src: jlvs does not check a unicast advert's source against unicast_peer; remove it")),
                arguments("vrrp_lower_prio_no_advert refused", global("vrrp_lower_prio_no_advert"),
                        List.of("keepalived.conf:2: vrrp_lower_prio_no_advert: jlvs's master answers a lower-priority master with an advert at once (under vrrp_strict at its next interval) and with gratuitous ARPs (garp_master_repeat, at once); remove it")),
                arguments("vrrp_higher_prio_send_advert refused", global("vrrp_higher_prio_send_advert"),
                        List.of("keepalived.conf:2: vrrp_higher_prio_send_advert: jlvs's backup stays silent when it hears a lower-priority master; remove it")),
                arguments("unknown vrrp global refused", global("vrrp_frobnicate"),
                        List.of("keepalived.conf:2: vrrp_frobnicate: not supported by jlvs; remove it")),
                arguments("vrrp_track_process refused", "vrrp_track_process nginx {\n process nginx\n}\n",
                        List.of("keepalived.conf:1: vrrp_track_process: process tracking is not supported by jlvs; track the process with a vrrp_script (e.g. script \"pgrep -x NAME\") in track_script")),
                arguments("garp_group refused", "garp_group {\n garp_interval 1\n interface eth0\n}\n",
                        List.of("keepalived.conf:1: garp_group: GARP groups are not supported by jlvs; set garp_master_refresh and vrrp_garp_interval instead")),
                arguments("unknown vrrp block refused", "vrrp_frobnicate X {\n}\n",
                        List.of("keepalived.conf:1: vrrp_frobnicate: not supported by jlvs; remove it")),
                arguments("track_process in an instance refused", vi(" track_process {\n  nginx\n }\n"),
                        List.of("keepalived.conf:4: track_process: not supported by jlvs yet")),
                arguments("use_vmac refused", vi(" use_vmac\n"),
                        List.of("keepalived.conf:4: use_vmac: not supported by jlvs yet")),
                arguments("strict_mode refused", vi(" strict_mode\n"),
                        List.of("keepalived.conf:4: strict_mode: set vrrp_strict in global_defs; jlvs applies it to every instance")),
                arguments("mcast_dst_ip refused", vi(" mcast_dst_ip 224.0.0.19\n"),
                        List.of("keepalived.conf:4: mcast_dst_ip: jlvs sends adverts to 224.0.0.18 or to unicast_peer; remove it")),
                arguments("misspelt instance keyword", vi(" prority 150\n"),
                        List.of("keepalived.conf:4: prority: unknown keyword in vrrp_instance; did you mean priority?")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errors(String name, String text, List<String> expected) {
        ConfigFiles.assertErrors(dir, text, expected);
    }

    static Stream<Arguments> warnings() {
        return Stream.of(
                arguments("a good instance warns of nothing", vi(""), List.of()),
                arguments("an IPv6 instance whose first address is link-local warns of nothing",
                        vi("VI_6", 61, " virtual_ipaddress {\n  fe80::100\n  fd00::100\n }\n"), List.of()),
                arguments("an IPv6 instance whose first address is not link-local",
                        vi("VI_6", 61, " virtual_ipaddress {\n  fd00::100\n  fe80::100\n }\n"),
                        List.of("keepalived.conf:1: vrrp_instance VI_6: the first virtual_ipaddress of an IPv6 instance should be link-local (RFC 5798 5.2.9); fd00::100 is not")),
                arguments("MASTER with nopreempt", vi(" state MASTER\n priority 150\n nopreempt\n"),
                        List.of("keepalived.conf:6: nopreempt: cleared with state MASTER (the instance starts as master and preempts), as keepalived does; use state BACKUP for nopreempt")),
                arguments("nopreempt at priority 255", vi(" priority 255\n nopreempt\n"),
                        List.of("keepalived.conf:5: nopreempt: cleared at priority 255 (the address owner always takes over), as keepalived does")),
                arguments("preempt_delay with MASTER", vi(" state MASTER\n preempt_delay 10\n"),
                        List.of("keepalived.conf:5: preempt_delay: cleared with state MASTER, as keepalived does")),
                arguments("preempt_delay with nopreempt", vi(" nopreempt\n preempt_delay 10\n"),
                        List.of("keepalived.conf:5: preempt_delay: cleared with nopreempt, as keepalived does")),
                arguments("preempt_delay under vrrp_strict", global("vrrp_strict") + vi(" preempt_delay 10\n"),
                        List.of("keepalived.conf:7: preempt_delay: cleared with vrrp_strict, as keepalived does")),
                arguments("down_timer_adverts under vrrp_strict", global("vrrp_strict") + vi(" down_timer_adverts 5\n"),
                        List.of("keepalived.conf:7: down_timer_adverts: reset to 3 under vrrp_strict, as keepalived does")),
                arguments("MASTER below 255 under vrrp_strict", global("vrrp_strict") + vi(" state MASTER\n priority 200\n"),
                        List.of("keepalived.conf:7: state: MASTER needs priority 255 under vrrp_strict; starting as BACKUP, as keepalived does")),
                arguments("auth_pass longer than 8", vi(" authentication {\n  auth_type PASS\n  auth_pass longsecret\n }\n"),
                        List.of("keepalived.conf:6: auth_pass: longer than 8 characters, only the first 8 are used")),
                arguments("authentication without auth_pass", vi(" authentication {\n  auth_type PASS\n }\n"),
                        List.of("keepalived.conf:4: authentication: no auth_pass, so adverts are not authenticated, as keepalived does")),
                arguments("auth_pass without auth_type", vi(" authentication {\n  auth_pass secret\n }\n"),
                        List.of("keepalived.conf:4: authentication: no auth_type PASS, so adverts are not authenticated, as keepalived does")),
                arguments("no virtual address in version 2", vi("VI_1", 51, ""),
                        List.of("keepalived.conf:1: vrrp_instance VI_1: no virtual_ipaddress; adverts carry no address")),
                arguments("instance keywords without effect", vi(" dont_track_primary\n smtp_alert\n skip_check_adv_addr\n accept\n debug 2\n"),
                        List.of("keepalived.conf:4: dont_track_primary: ignored, jlvs tracks only the interfaces listed in track_interface",
                                "keepalived.conf:5: smtp_alert: ignored, jlvs does not send mail",
                                "keepalived.conf:6: skip_check_adv_addr: ignored, jlvs does not compare the addresses in an advert with its own",
                                "keepalived.conf:7: accept: ignored, jlvs answers for its VIPs in user space; the host's addresses are not changed",
                                "keepalived.conf:8: debug: ignored, set log levels with jlvs daemon's options")),
                arguments("vrrp globals without effect", "global_defs {\n vrrp_iptables\n vrrp_skip_check_adv_addr\n vrrp_mcast_group6 ff02::12\n vrrp_notify_fifo /run/f\n vrrp_priority -5\n}\n",
                        List.of("keepalived.conf:2: vrrp_iptables: ignored, jlvs owns its VIPs in user space and needs no firewall rules for them",
                                "keepalived.conf:3: vrrp_skip_check_adv_addr: ignored, jlvs does not compare the addresses in an advert with its own",
                                "keepalived.conf:5: vrrp_notify_fifo: ignored, jlvs has no notification FIFO",
                                "keepalived.conf:6: vrrp_priority: ignored, jlvs runs as one process; tune it with systemd")),
                arguments("vrrp_script init_fail", "vrrp_script chk {\n script /bin/true\n init_fail\n}\n",
                        List.of("keepalived.conf:3: init_fail: ignored, jlvs runs every script through one runner")),
                arguments("sync group keywords without effect", vi("") + "vrrp_sync_group G {\n group {\n  VI_1\n }\n smtp_alert\n global_tracking\n}\n",
                        List.of("keepalived.conf:12: smtp_alert: ignored, jlvs does not send mail",
                                "keepalived.conf:13: global_tracking: ignored, jlvs moves a group's instances together in every state")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("warnings")
    void warnings(String name, String text, List<String> expected) throws ConfigException {
        KeepalivedConfig config = ConfigFiles.parse(dir, text);
        assertEquals(expected, ConfigFiles.render(config.warnings()));
    }
}
