package io.jlvs.health.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * A vrrp_instance block with keepalived 2.2.7's defaults and completion applied (see {@link VrrpInstanceBlock}):
 * the values are the ones keepalived would run with.
 *
 * @param name                   the instance's name (notify scripts get it as their second argument)
 * @param source                 where the block starts
 * @param initialMaster          starts as MASTER: state MASTER, or no state and priority 255 (under vrrp_strict:
 *                               priority 255 only); never together with nopreempt, which keepalived clears then
 * @param interfaceName          interface the adverts are sent and received on
 * @param virtualRouterId        virtual_router_id, 1..255
 * @param priority               1..255 (255: the address owner); default 100, or 255 for state MASTER
 * @param advertIntervalCentis   advert_int in centiseconds (default 100; whole seconds with version 2)
 * @param version                2 or 3 (the instance's version, else global_defs vrrp_version, else 2)
 * @param virtualAddresses       virtual_ipaddress, in order
 * @param excludedAddresses      virtual_ipaddress_excluded: owned like the others, not carried in adverts
 * @param nopreempt              a higher priority does not take over from a lower-priority master (cleared at
 *                               priority 255 and with state MASTER, as keepalived does)
 * @param preemptDelaySeconds    preempt_delay, 0..1000 (0: none; 0 with state MASTER, nopreempt or vrrp_strict)
 * @param unicastSourceIp        unicast_src_ip, or null (the interface's first address)
 * @param unicastPeers           unicast_peer addresses; empty: multicast to 224.0.0.18 (IPv6: ff02::12)
 * @param authPass               authentication { auth_type PASS; auth_pass ... } (at most 8 characters), or null
 * @param trackInterfaces        track_interface entries
 * @param trackScripts           track_script entries, naming vrrp_script blocks
 * @param notifyScripts          the notify scripts of the instance
 * @param garpMasterDelaySeconds garp_master_delay: the second gratuitous ARP burst this long after becoming master
 *                               (default 5, or global_defs' vrrp_garp_master_delay; 0: none). The four garp_*
 *                               and down_timer_adverts default to their global_defs vrrp_ counterparts
 * @param garpMasterRepeat       garp_master_repeat: gratuitous ARPs per address per burst (default 5)
 * @param garpMasterRefreshSeconds garp_master_refresh: a burst every this many seconds while master (0: off)
 * @param garpMasterRefreshRepeat garp_master_refresh_repeat (default 1)
 * @param downTimerAdverts       down_timer_adverts: adverts missed before the master is declared down (default 3;
 *                               always 3 under vrrp_strict)
 */
public record VrrpInstanceConfig(String name, Source source, boolean initialMaster, String interfaceName,
                                 int virtualRouterId, int priority, int advertIntervalCentis, int version,
                                 List<VirtualAddress> virtualAddresses, List<VirtualAddress> excludedAddresses,
                                 boolean nopreempt, int preemptDelaySeconds, InetAddress unicastSourceIp,
                                 List<InetAddress> unicastPeers, String authPass,
                                 List<TrackedInterface> trackInterfaces, List<TrackedScript> trackScripts,
                                 VrrpNotify notifyScripts, int garpMasterDelaySeconds, int garpMasterRepeat,
                                 int garpMasterRefreshSeconds, int garpMasterRefreshRepeat, int downTimerAdverts) {
    public VrrpInstanceConfig {
        virtualAddresses = List.copyOf(virtualAddresses);
        excludedAddresses = List.copyOf(excludedAddresses);
        unicastPeers = List.copyOf(unicastPeers);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackScripts = List.copyOf(trackScripts);
    }

    /**
     * Whether the instance is IPv6 (RFC 5798 over IPv6, to ff02::12): its addresses are IPv6, which the parser
     * requires of all of them together (no mixing of families in one instance, as keepalived).
     */
    public boolean ipv6() {
        return !virtualAddresses.isEmpty() ? virtualAddresses.getFirst().address() instanceof Inet6Address
                : !excludedAddresses.isEmpty() && excludedAddresses.getFirst().address() instanceof Inet6Address;
    }

    /**
     * An address of virtual_ipaddress: {@code ADDR[/PREFIX] [dev IF]}; device null means the instance's interface.
     * keepalived's other options (brd, scope, label ...) concern addresses the kernel holds and are dropped.
     */
    public record VirtualAddress(InetAddress address, int prefixLength, String device) {}

    /** track_interface: {@code IF [weight W]}; weight 0 puts the instance in FAULT while the interface is down. */
    public record TrackedInterface(String name, int weight) {}

    /** track_script: a vrrp_script's name and, when given here, a weight that replaces the script's own. */
    public record TrackedScript(String name, Integer weight) {}
}
