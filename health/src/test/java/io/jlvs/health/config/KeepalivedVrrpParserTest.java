package io.jlvs.health.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The VRRP part of keepalived.conf read into records, with keepalived 2.2.7's defaults where a keyword is absent. */
class KeepalivedVrrpParserTest {
    @TempDir
    Path dir;

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private static Script script(String commandLine, List<String> argv) {
        return new Script(commandLine, argv, null);
    }

    private Source line(int n) {
        return new Source(dir.resolve("keepalived.conf"), n);
    }

    @Test
    void everyKeywordOfTheGlobalsAnInstanceAScriptAndAGroupIsReadRecordByRecord() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                global_defs {
                    vrrp_version 3
                    vrrp_garp_interval 0.0105
                    lvs_sync_daemon eth0 VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 224.0.0.82
                }
                vrrp_script chk_nginx {
                    script "/usr/bin/pgrep nginx"
                    interval 2
                    timeout 3
                    weight -20
                    rise 3
                    fall 2
                    user nobody
                }
                vrrp_sync_group G1 {
                    group {
                        VI_1
                        VI_2
                    }
                    notify_master /etc/jlvs/g-master.sh
                    notify_backup /etc/jlvs/g-backup.sh
                    notify_fault /etc/jlvs/g-fault.sh
                    notify_stop /etc/jlvs/g-stop.sh
                    notify /etc/jlvs/g-notify.sh
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 0.1
                    virtual_ipaddress {
                        10.0.0.100/24 brd 10.0.0.255 dev eth1 scope global label eth1:vip
                        10.0.0.101
                    }
                    virtual_ipaddress_excluded {
                        10.0.0.102/16 dev eth2
                    }
                    nopreempt
                    unicast_src_ip 10.0.0.1
                    unicast_peer {
                        10.0.0.3
                        10.0.0.4
                    }
                    track_interface {
                        eth1 weight -30
                        eth2
                    }
                    track_script {
                        chk_nginx weight 10
                    }
                    notify_master "/etc/jlvs/master.sh VI_1"
                    notify_backup /etc/jlvs/backup.sh
                    notify_fault /etc/jlvs/fault.sh
                    notify_stop /etc/jlvs/stop.sh
                    notify /etc/jlvs/notify.sh
                    garp_master_delay 2
                    garp_master_repeat 3
                    garp_master_refresh 60
                    garp_master_refresh_repeat 2
                    down_timer_adverts 4
                    dont_track_primary
                    smtp_alert
                }
                vrrp_instance VI_2 {
                    interface eth1
                    virtual_router_id 52
                    version 2
                    advert_int 3
                    preempt_delay 30
                    authentication {
                        auth_type PASS
                        auth_pass secret
                    }
                    virtual_ipaddress {
                        172.16.0.1/24
                    }
                }
                """);
        assertEquals(new VrrpGlobals(3, 11, false, new SyncDaemonConfig("eth0", "VI_1", 7, 1400, 8849, 2,
                ip("224.0.0.82"))), c.vrrp(), "vrrp_garp_interval 10.5 ms is kept as 11 ms, never shorter");
        assertEquals(List.of(new VrrpScriptConfig("chk_nginx", line(6),
                        new Script("/usr/bin/pgrep nginx", List.of("/usr/bin/pgrep", "nginx"), "nobody"),
                        2, 3, -20, 3, 2)), c.vrrpScripts());
        assertEquals(List.of(new VrrpSyncGroupConfig("G1", line(15), List.of("VI_1", "VI_2"), new VrrpNotify(
                script("/etc/jlvs/g-master.sh", List.of("/etc/jlvs/g-master.sh")),
                script("/etc/jlvs/g-backup.sh", List.of("/etc/jlvs/g-backup.sh")),
                script("/etc/jlvs/g-fault.sh", List.of("/etc/jlvs/g-fault.sh")),
                script("/etc/jlvs/g-stop.sh", List.of("/etc/jlvs/g-stop.sh")),
                script("/etc/jlvs/g-notify.sh", List.of("/etc/jlvs/g-notify.sh"))))), c.vrrpSyncGroups());
        assertEquals(new VrrpInstanceConfig("VI_1", line(26), false, "eth0", 51, 150, 10, 3,
                List.of(new VrrpInstanceConfig.VirtualAddress(ip("10.0.0.100"), 24, "eth1"),
                        new VrrpInstanceConfig.VirtualAddress(ip("10.0.0.101"), 32, null)),
                List.of(new VrrpInstanceConfig.VirtualAddress(ip("10.0.0.102"), 16, "eth2")),
                true, 0, ip("10.0.0.1"), List.of(ip("10.0.0.3"), ip("10.0.0.4")), null,
                List.of(new VrrpInstanceConfig.TrackedInterface("eth1", -30),
                        new VrrpInstanceConfig.TrackedInterface("eth2", 0)),
                List.of(new VrrpInstanceConfig.TrackedScript("chk_nginx", 10)),
                new VrrpNotify(script("/etc/jlvs/master.sh VI_1", List.of("/etc/jlvs/master.sh", "VI_1")),
                        script("/etc/jlvs/backup.sh", List.of("/etc/jlvs/backup.sh")),
                        script("/etc/jlvs/fault.sh", List.of("/etc/jlvs/fault.sh")),
                        script("/etc/jlvs/stop.sh", List.of("/etc/jlvs/stop.sh")),
                        script("/etc/jlvs/notify.sh", List.of("/etc/jlvs/notify.sh"))),
                2, 3, 60, 2, 4), c.vrrpInstances().get(0));
        assertEquals(new VrrpInstanceConfig("VI_2", line(65), false, "eth1", 52, 100, 300, 2,
                List.of(new VrrpInstanceConfig.VirtualAddress(ip("172.16.0.1"), 24, null)), List.of(),
                false, 30, null, List.of(), "secret", List.of(), List.of(), VrrpNotify.NONE,
                5, 5, 0, 1, 3), c.vrrpInstances().get(1), "version 2 in the instance overrides vrrp_version 3");
        assertEquals(List.of("keepalived.conf:62: dont_track_primary: ignored, jlvs tracks only the interfaces listed in track_interface",
                        "keepalived.conf:63: smtp_alert: ignored, jlvs does not send mail"),
                ConfigFiles.render(c.warnings()));
    }

    @Test
    void anInstanceAndAScriptWithNothingButWhatIsRequiredTakeKeepalivedsDefaults() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                vrrp_script chk {
                    script /bin/true
                    interval 4
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                    track_script {
                        chk
                    }
                    virtual_ipaddress {
                        10.0.0.100
                    }
                }
                """);
        assertEquals(new VrrpInstanceConfig("VI_1", line(5), false, "eth0", 1, 100, 100, 2,
                List.of(new VrrpInstanceConfig.VirtualAddress(ip("10.0.0.100"), 32, null)), List.of(),
                false, 0, null, List.of(), null, List.of(),
                List.of(new VrrpInstanceConfig.TrackedScript("chk", null)), VrrpNotify.NONE,
                5, 5, 0, 1, 3), c.vrrpInstances().getFirst());
        assertEquals(new VrrpScriptConfig("chk", line(1), script("/bin/true", List.of("/bin/true")), 4, 4, 0, 1, 1),
                c.vrrpScripts().getFirst(), "timeout defaults to the interval; weight 0, rise 1, fall 1");
        assertEquals(VrrpGlobals.DEFAULTS, c.vrrp());
        assertEquals(List.of(), c.vrrpSyncGroups());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void syncDaemonDefaultsAreKeepalivedsAndItMayFollowNoInstance() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, "global_defs {\n lvs_sync_daemon eth3\n}\n");
        assertEquals(new SyncDaemonConfig("eth3", null, 0, 0, 8848, 1, ip("224.0.0.81")), c.vrrp().syncDaemon());
    }

    @Test
    void withoutIdTheSyncDaemonTakesTheRouterIdOfTheInstanceItFollows() throws Exception {
        String instance = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n";
        assertEquals(51, ConfigFiles.parse(dir, "global_defs {\n lvs_sync_daemon eth0 VI_1\n}\n" + instance)
                .vrrp().syncDaemon().syncId());
        assertEquals(new SyncDaemonConfig("eth0", "VI_1", 51, 0, 8848, 1, ip("224.0.0.81")),
                ConfigFiles.parse(dir, "global_defs {\n lvs_sync_daemon eth0 inst VI_1\n}\n" + instance)
                        .vrrp().syncDaemon(), "keepalived's 'inst NAME' form");
        assertEquals(0, ConfigFiles.parse(dir, "global_defs {\n lvs_sync_daemon eth0 VI_1 id 0\n}\n" + instance)
                .vrrp().syncDaemon().syncId(), "an id given, even 0, is kept");
    }

    @Test
    void globalGarpSettingsAndDownTimerAreTheDefaultsOfInstancesThatDoNotSetThem() throws Exception {
        String instances = """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                    virtual_ipaddress {
                        10.0.0.1
                    }
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 2
                    garp_master_delay 9
                    garp_master_repeat 8
                    garp_master_refresh 7
                    garp_master_refresh_repeat 6
                    down_timer_adverts 10
                    virtual_ipaddress {
                        10.0.0.2
                    }
                }
                """;
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                global_defs {
                    vrrp_garp_master_delay 1
                    vrrp_garp_master_repeat 2
                    vrrp_garp_master_refresh 30
                    vrrp_garp_master_refresh_repeat 3
                    vrrp_down_timer_adverts 5
                }
                """ + instances);
        assertEquals(List.of(1, 2, 30, 3, 5), garp(c.vrrpInstances().get(0)));
        assertEquals(List.of(9, 8, 7, 6, 10), garp(c.vrrpInstances().get(1)));

        KeepalivedConfig min = ConfigFiles.parse(dir, "global_defs {\n vrrp_min_garp\n vrrp_garp_master_refresh 20\n}\n"
                + instances);
        assertEquals(List.of(0, 1, 20, 1, 3), garp(min.vrrpInstances().get(0)),
                "vrrp_min_garp: one gratuitous ARP, no second burst; what is given explicitly stays");
        KeepalivedConfig minOff = ConfigFiles.parse(dir, "global_defs {\n vrrp_min_garp false\n}\n" + instances);
        assertEquals(List.of(5, 5, 0, 1, 3), garp(minOff.vrrpInstances().get(0)));
    }

    private static List<Integer> garp(VrrpInstanceConfig i) {
        return List.of(i.garpMasterDelaySeconds(), i.garpMasterRepeat(), i.garpMasterRefreshSeconds(),
                i.garpMasterRefreshRepeat(), i.downTimerAdverts());
    }

    @Test
    void stateAndPriorityCompleteEachOtherAsInKeepalived() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                vrrp_instance MASTER_NO_PRIORITY {
                    state MASTER
                    interface eth0
                    virtual_router_id 1
                    virtual_ipaddress {
                        10.0.0.1
                    }
                }
                vrrp_instance OWNER_NO_STATE {
                    priority 255
                    interface eth0
                    virtual_router_id 2
                    virtual_ipaddress {
                        10.0.0.2
                    }
                }
                vrrp_instance MASTER_WITH_PRIORITY {
                    state MASTER
                    priority 120
                    interface eth0
                    virtual_router_id 3
                    virtual_ipaddress {
                        10.0.0.3
                    }
                }
                vrrp_instance PREEMPT_AFTER_NOPREEMPT {
                    nopreempt
                    preempt
                    interface eth0
                    virtual_router_id 4
                    virtual_ipaddress {
                        10.0.0.4
                    }
                }
                """);
        List<VrrpInstanceConfig> i = c.vrrpInstances();
        assertEquals(List.of(true, 255), List.of(i.get(0).initialMaster(), i.get(0).priority()));
        assertEquals(List.of(true, 255), List.of(i.get(1).initialMaster(), i.get(1).priority()));
        assertEquals(List.of(true, 120), List.of(i.get(2).initialMaster(), i.get(2).priority()));
        assertEquals(List.of(false, 100, false), List.of(i.get(3).initialMaster(), i.get(3).priority(),
                i.get(3).nopreempt()));
    }

    @Test
    void warnedSettingsAreChangedAsKeepalivedChangesThem() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                vrrp_instance VI_1 {
                    state MASTER
                    priority 150
                    nopreempt
                    preempt_delay 10
                    interface eth0
                    virtual_router_id 1
                    authentication {
                        auth_type PASS
                        auth_pass longsecret
                    }
                    virtual_ipaddress {
                        10.0.0.1
                    }
                }
                vrrp_instance VI_2 {
                    priority 255
                    nopreempt
                    interface eth0
                    virtual_router_id 2
                }
                """);
        VrrpInstanceConfig one = c.vrrpInstances().get(0), two = c.vrrpInstances().get(1);
        assertEquals(List.of(true, false, 0, "longsecr"), List.of(one.initialMaster(), one.nopreempt(),
                one.preemptDelaySeconds(), one.authPass()));
        assertEquals(List.of(true, false, List.of()), List.of(two.initialMaster(), two.nopreempt(),
                two.virtualAddresses()));
    }

    @Test
    void anInstanceOfIpv6AddressesIsAnIpv6InstanceOfVersion3() throws Exception {
        KeepalivedConfig c = ConfigFiles.parse(dir, """
                global_defs {
                    vrrp_mcast_group6 ff02::12
                }
                vrrp_instance VI_6 {
                    interface eth0
                    virtual_router_id 61
                    unicast_src_ip fe80::1
                    unicast_peer {
                        fe80::2
                    }
                    virtual_ipaddress {
                        fd00:6::100/64 dev eth0
                    }
                    virtual_ipaddress_excluded {
                        fd00:6::101
                    }
                }
                vrrp_instance VI_N {
                    interface eth1
                    virtual_router_id 62
                    version 2
                    native_ipv6
                    virtual_ipaddress {
                        fd00:7::100
                    }
                }
                """);
        VrrpInstanceConfig v6 = c.vrrpInstances().getFirst();
        assertEquals(true, v6.ipv6());
        assertEquals(3, v6.version(), "vrrp_version 2 (the default) does not apply: IPv6 is version 3 only");
        assertEquals(new VrrpInstanceConfig.VirtualAddress(ip("fd00:6::100"), 64, "eth0"), v6.virtualAddresses().getFirst());
        assertEquals(128, v6.excludedAddresses().getFirst().prefixLength());
        assertEquals(ip("fe80::1"), v6.unicastSourceIp());
        assertEquals(List.of(ip("fe80::2")), v6.unicastPeers());
        VrrpInstanceConfig n = c.vrrpInstances().get(1);
        assertEquals(true, n.ipv6());
        assertEquals(3, n.version());
        assertEquals(List.of(
                "keepalived.conf:4: vrrp_instance VI_6: the first virtual_ipaddress of an IPv6 instance should be "
                        + "link-local (RFC 5798 5.2.9); fd00:6::100 is not",
                "keepalived.conf:21: version: 2 has no IPv6 form; using version 3 for this IPv6 instance, "
                        + "as keepalived does",
                "keepalived.conf:18: vrrp_instance VI_N: the first virtual_ipaddress of an IPv6 instance should be "
                        + "link-local (RFC 5798 5.2.9); fd00:7::100 is not"), ConfigFiles.render(c.warnings()));
    }
}
