package io.jlvs.health.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VRRP part of keepalived.conf read into records, with keepalived's defaults where a keyword is absent. */
class KeepalivedVrrpParserTest {
    @TempDir
    Path dir;

    private KeepalivedConfig parse(String text) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        return KeepalivedParser.parse(file);
    }

    @Test
    void everyKeywordOfAnInstanceAScriptAGroupAndTheSyncDaemon() throws Exception {
        KeepalivedConfig c = parse("""
                global_defs {
                    vrrp_version 3
                    vrrp_garp_interval 0.01
                    lvs_sync_daemon eth0 VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 224.0.0.82
                }
                vrrp_script chk_nginx {
                    script "/usr/bin/pgrep nginx"
                    interval 2
                    weight -20
                    rise 3
                    fall 2
                }
                vrrp_sync_group G1 {
                    group {
                        VI_1
                        VI_2
                    }
                    notify /etc/jlvs/notify.sh
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 0.1
                    virtual_ipaddress {
                        10.0.0.100/24 dev eth0 label eth0:vip
                        10.0.0.101
                    }
                    virtual_ipaddress_excluded {
                        10.0.0.102
                    }
                    preempt_delay 5
                    unicast_src_ip 10.0.0.1
                    unicast_peer {
                        10.0.0.3
                    }
                    track_interface {
                        eth1 weight -30
                        eth2
                    }
                    track_script {
                        chk_nginx weight 10
                    }
                    notify_master "/etc/jlvs/master.sh VI_1"
                    garp_master_delay 2
                    garp_master_repeat 3
                    garp_master_refresh 60
                    garp_master_refresh_repeat 2
                    down_timer_adverts 4
                }
                vrrp_instance VI_2 {
                    state MASTER
                    nopreempt
                    interface eth1
                    virtual_router_id 52
                    version 2
                    authentication {
                        auth_type PASS
                        auth_pass longsecret
                    }
                    virtual_ipaddress {
                        172.16.0.1/24
                    }
                }
                """);
        assertEquals(new VrrpGlobals(3, 10, false, new SyncDaemonConfig("eth0", "VI_1", 7, 1400, 8849, 2,
                InetAddress.getByName("224.0.0.82"))), c.vrrp());
        VrrpScriptConfig script = c.vrrpScripts().getFirst();
        assertEquals(List.of("/usr/bin/pgrep", "nginx"), script.script().argv());
        assertEquals(List.of(2, 2, -20, 3, 2), List.of(script.intervalSeconds(), script.timeoutSeconds(),
                script.weight(), script.rise(), script.fall()));
        assertEquals(List.of("VI_1", "VI_2"), c.vrrpSyncGroups().getFirst().instances());
        assertEquals(List.of("/etc/jlvs/notify.sh"), c.vrrpSyncGroups().getFirst().notifyScripts().any().argv());

        VrrpInstanceConfig one = c.vrrpInstances().get(0);
        assertFalse(one.initialMaster());
        assertEquals(List.of("eth0", 51, 150, 10, 3), List.of(one.interfaceName(), one.virtualRouterId(),
                one.priority(), one.advertIntervalCentis(), one.version()));
        assertEquals(List.of(new VrrpInstanceConfig.VirtualAddress(InetAddress.getByName("10.0.0.100"), 24, "eth0"),
                new VrrpInstanceConfig.VirtualAddress(InetAddress.getByName("10.0.0.101"), 32, null)),
                one.virtualAddresses());
        assertEquals(1, one.excludedAddresses().size());
        assertEquals(5, one.preemptDelaySeconds());
        assertEquals(InetAddress.getByName("10.0.0.1"), one.unicastSourceIp());
        assertEquals(List.of(InetAddress.getByName("10.0.0.3")), one.unicastPeers());
        assertEquals(List.of(new VrrpInstanceConfig.TrackedInterface("eth1", -30),
                new VrrpInstanceConfig.TrackedInterface("eth2", 0)), one.trackInterfaces());
        assertEquals(List.of(new VrrpInstanceConfig.TrackedScript("chk_nginx", 10)), one.trackScripts());
        assertEquals(List.of("/etc/jlvs/master.sh", "VI_1"), one.notifyScripts().master().argv());
        assertEquals(List.of(2, 3, 60, 2, 4), List.of(one.garpMasterDelaySeconds(), one.garpMasterRepeat(),
                one.garpMasterRefreshSeconds(), one.garpMasterRefreshRepeat(), one.downTimerAdverts()));

        VrrpInstanceConfig two = c.vrrpInstances().get(1);
        assertFalse(two.initialMaster(), "nopreempt starts as BACKUP");
        assertTrue(two.nopreempt());
        assertEquals(2, two.version());
        assertEquals(100, two.advertIntervalCentis());
        assertEquals("longsecr", two.authPass(), "auth_pass is cut to 8 characters");
        assertEquals(List.of("keepalived.conf:58: auth_pass: longer than 8 characters, only the first 8 are used",
                "keepalived.conf:53: state: MASTER with nopreempt starts as BACKUP, as keepalived does"),
                c.warnings().stream().map(m -> m.toString().replace(dir + "/", "")).toList());
    }

    @Test
    void defaultsOfAnInstanceAndAScript() throws Exception {
        KeepalivedConfig c = parse("""
                vrrp_script chk {
                    script /bin/true
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
        VrrpInstanceConfig i = c.vrrpInstances().getFirst();
        assertFalse(i.initialMaster());
        assertEquals(List.of(100, 100, 2, 0, 5, 5, 0, 1, 3), List.of(i.priority(), i.advertIntervalCentis(),
                i.version(), i.preemptDelaySeconds(), i.garpMasterDelaySeconds(), i.garpMasterRepeat(),
                i.garpMasterRefreshSeconds(), i.garpMasterRefreshRepeat(), i.downTimerAdverts()));
        assertNull(i.authPass());
        assertNull(i.unicastSourceIp());
        assertEquals(new VrrpInstanceConfig.TrackedScript("chk", null), i.trackScripts().getFirst());
        VrrpScriptConfig s = c.vrrpScripts().getFirst();
        assertEquals(List.of(1, 1, 0, 1, 1), List.of(s.intervalSeconds(), s.timeoutSeconds(), s.weight(), s.rise(),
                s.fall()));
        assertEquals(VrrpGlobals.DEFAULTS, c.vrrp());
    }
}
