package io.jlvs.health.config;

import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code vrrp_instance NAME { ... }}: the keywords of keepalived 2.2's instance that jlvs acts on. Defaults and the
 * checks keepalived makes once an instance is complete (its vrrp_instance end: the priority of a MASTER, nopreempt
 * and preempt_delay against the state, vrrp_strict's limits) are applied by {@link #resolve} once the whole file is
 * read, with global_defs' version and instance defaults and the vrrp_script names known.
 */
final class VrrpInstanceBlock {
    private static final int OWNER = 255;
    private static final int DEFAULT_PRIORITY = 100;

    private final String name;
    private final Source source;
    private Boolean master;
    private Source stateSource;
    private String interfaceName;
    private int virtualRouterId;
    private boolean routerIdGiven;
    private Integer priority;
    private String advertText = "1";
    private Source advertSource;
    private Integer version;
    private final List<VrrpInstanceConfig.VirtualAddress> addresses = new ArrayList<>();
    private final List<VrrpInstanceConfig.VirtualAddress> excluded = new ArrayList<>();
    /** An address line was refused: the block is not reported empty besides. */
    private boolean addressFault;
    private Source nativeIpv6;
    private Source versionSource;
    private boolean nopreempt;
    private Source nopreemptSource;
    private int preemptDelay;
    private Source preemptDelaySource;
    private InetAddress unicastSource;
    private final List<InetAddress> unicastPeers = new ArrayList<>();
    private Source unicastPeerSource;
    private boolean authPassType;
    private String authPass;
    private Source authSource, authPassSource;
    private final List<VrrpInstanceConfig.TrackedInterface> trackInterfaces = new ArrayList<>();
    private final List<VrrpInstanceConfig.TrackedScript> trackScripts = new ArrayList<>();
    private final List<Source> trackScriptSources = new ArrayList<>();
    private final NotifyScripts notifyScripts = new NotifyScripts();
    private Integer garpDelay, garpRepeat, garpRefresh, garpRefreshRepeat, downTimerAdverts;
    private Source downTimerSource;

    private VrrpInstanceBlock(String name, Source source) {
        this.name = name;
        this.source = source;
    }

    private static final KeywordTable<VrrpInstanceBlock> KEYWORDS = NotifyScripts.keywords(
            new KeywordTable<VrrpInstanceBlock>("vrrp_instance"), b -> b.notifyScripts)
            .leaf("state", (s, b) -> {
                b.master = Values.choice(s.value(), "a state", "MASTER", "BACKUP").equals("MASTER");
                b.stateSource = s.source();
            })
            .leaf("interface", (s, b) -> b.interfaceName = s.value())
            .leaf("virtual_router_id", (s, b) -> {
                b.routerIdGiven = true;
                b.virtualRouterId = (int) Values.integer(s.value(), 1, 255);
            })
            .leaf("priority", (s, b) -> b.priority = (int) Values.integer(s.value(), 1, OWNER))
            .leaf("advert_int", (s, b) -> { b.advertText = s.value(); b.advertSource = s.source(); })
            .leaf("version", (s, b) -> {
                b.version = (int) Values.integer(s.value(), 2, 3);
                b.versionSource = s.source();
            })
            .leaf("native_ipv6", (s, b) -> { s.noValue(); b.nativeIpv6 = s.source(); })
            .block("virtual_ipaddress", (s, b) -> {
                s.noValue();
                try {
                    b.addresses.addAll(VirtualAddresses.read(s));
                } catch (ValueException e) {
                    b.addressFault = true;
                    throw e;
                }
            })
            .block("virtual_ipaddress_excluded", (s, b) -> { s.noValue(); b.excluded.addAll(VirtualAddresses.read(s)); })
            .leaf("nopreempt", (s, b) -> { s.noValue(); b.nopreempt = true; b.nopreemptSource = s.source(); })
            .leaf("preempt", (s, b) -> { s.noValue(); b.nopreempt = false; })
            .leaf("preempt_delay", (s, b) -> {
                b.preemptDelay = (int) Values.integer(s.value(), 0, 1000);
                b.preemptDelaySource = s.source();
            })
            .leaf("unicast_src_ip", (s, b) -> b.unicastSource = VirtualAddresses.ip(null, s.value()))
            .block("unicast_peer", (s, b) -> {
                s.noValue();
                b.unicastPeerSource = s.source();
                for (Statement peer : s.block()) {
                    if (peer.argCount() > 0 || peer.block() != null)
                        throw new ValueException(peer.source(), peer.name() + ": jlvs takes only the peer's address");
                    b.unicastPeers.add(VirtualAddresses.ip(peer.source(), peer.name()));
                }
            })
            .block("authentication", (s, b) -> { s.noValue(); b.authSource = s.source(); b.authentication(s); })
            .block("track_interface", (s, b) -> {
                s.noValue();
                for (Statement t : s.block()) {
                    Integer weight = weight(t, "'reverse' is not supported by jlvs yet");
                    b.trackInterfaces.add(new VrrpInstanceConfig.TrackedInterface(t.name(), weight == null ? 0 : weight));
                }
            })
            .block("track_script", (s, b) -> {
                s.noValue();
                for (Statement t : s.block()) {
                    b.trackScripts.add(new VrrpInstanceConfig.TrackedScript(t.name(), weight(t, VrrpScriptBlock.REVERSE)));
                    b.trackScriptSources.add(t.source());
                }
            })
            .leaf("garp_master_delay", (s, b) -> b.garpDelay = (int) Values.integer(s.value(), 0, 255))
            .leaf("garp_master_repeat", (s, b) -> b.garpRepeat = (int) Values.integer(s.value(), 1, 255))
            .leaf("garp_master_refresh", (s, b) -> b.garpRefresh = (int) Values.integer(s.value(), 0, 86400))
            .leaf("garp_master_refresh_repeat", (s, b) -> b.garpRefreshRepeat = (int) Values.integer(s.value(), 1, 255))
            .leaf("down_timer_adverts", (s, b) -> {
                b.downTimerAdverts = (int) Values.integer(s.value(), 1, 100);
                b.downTimerSource = s.source();
            })
            .ignore("jlvs does not send mail", "smtp_alert")
            .ignore("jlvs tracks only the interfaces listed in track_interface", "dont_track_primary")
            .ignore("jlvs does not compare the addresses in an advert with its own", "skip_check_adv_addr")
            .ignore("jlvs answers for its VIPs in user space; the host's addresses are not changed", "accept",
                    "no_accept", "promote_secondaries")
            .ignore("jlvs watches interfaces through netlink", "linkbeat_use_polling")
            .ignore("jlvs does not tune socket buffers", "kernel_rx_buf_size")
            .ignore("set log levels with jlvs daemon's options", "debug")
            .refuse("not supported by jlvs yet", "track_process", "track_file", "track_bfd", "use_vmac",
                    "use_vmac_addr", "vmac_xmit_base", "use_ipvlan", "vrf", "garp_extra_if", "vmac_garp_intvl",
                    "virtual_routes", "virtual_rules", "mcast_src_ip", "track_src_ip",
                    "lvs_sync_daemon_interface", "notify_deleted", "notify_master_rx_lower_pri",
                    "notify_priority_changes", "unicast_fault_no_peer", "old_unicast_checksum")
            .refuse("set vrrp_strict in global_defs; jlvs applies it to every instance", "strict_mode")
            .refuse("jlvs sends adverts to 224.0.0.18 or to unicast_peer; remove it", "mcast_dst_ip")
            .refuse("jlvs sends unicast adverts with TTL 255 and requires it; remove it", "unicast_ttl")
            .refuse("jlvs does not check a unicast advert's source against unicast_peer; remove it",
                    "check_unicast_src")
            .refuse("jlvs's master answers a lower-priority master with an advert at once (under vrrp_strict at its "
                    + "next interval) and with gratuitous ARPs (garp_master_repeat, at once); remove it", "lower_prio_no_advert", "garp_lower_prio_delay",
                    "garp_lower_prio_repeat")
            .refuse("jlvs's backup stays silent when it hears a lower-priority master; remove it",
                    "higher_prio_send_advert");

    static VrrpInstanceBlock read(Statement s, Diagnostics diagnostics) throws ValueException {
        VrrpInstanceBlock b = new VrrpInstanceBlock(s.value(), s.source());
        KEYWORDS.apply(s.block(), b, diagnostics);
        return b;
    }

    /** {@code authentication { auth_type PASS|AH auth_pass X }}; a fault is reported at its own line. */
    private void authentication(Statement block) throws ValueException {
        for (Statement a : block.block()) {
            try {
                switch (a.name()) {
                    case "auth_type" -> {
                        if (Values.choice(a.value(), "an authentication type", "PASS", "AH").equals("AH"))
                            throw new ValueException("AH is not supported by jlvs; use PASS or no authentication");
                        authPassType = true;
                    }
                    case "auth_pass" -> { authPass = a.value(); authPassSource = a.source(); }
                    default -> throw new ValueException("unknown keyword in authentication");
                }
            } catch (ValueException e) {
                throw new ValueException(a.source(), a.name() + ": " + e.getMessage());
            }
        }
    }

    /** {@code NAME [weight W]} of track_interface and track_script: W, or null when not given. */
    private static Integer weight(Statement t, String reverseRefusal) throws ValueException {
        if (t.block() != null) throw new ValueException(t.source(), t.name() + ": takes no { } block");
        if (t.argCount() == 0) return null;
        if (t.argCount() == 3 && t.arg(0).equals("weight") && t.arg(2).equals("reverse"))
            throw new ValueException(t.source(), t.name() + ": " + reverseRefusal);
        if (t.argCount() != 2 || !t.arg(0).equals("weight"))
            throw new ValueException(t.source(), t.name() + ": expected 'weight W' after the name");
        try {
            return (int) Values.integer(t.arg(1), -253, 253);
        } catch (ValueException e) {
            throw new ValueException(t.source(), t.name() + ": weight " + e.getMessage());
        }
    }

    String name() { return name; }

    Source source() { return source; }

    String interfaceName() { return interfaceName; }

    int virtualRouterId() { return virtualRouterId; }

    List<VrrpInstanceConfig.VirtualAddress> allAddresses() {
        List<VrrpInstanceConfig.VirtualAddress> all = new ArrayList<>(addresses);
        all.addAll(excluded);
        return all;
    }

    /**
     * The instance with keepalived's completion applied, or null after an error (reported). As keepalived 2.2.7:
     * a MASTER without priority has priority 255 (the address owner), an instance without state starts as MASTER
     * only at priority 255; nopreempt is cleared at priority 255 and with state MASTER; preempt_delay is cleared
     * with state MASTER or nopreempt. Under vrrp_strict the state must match priority 255 (else it follows it),
     * preempt_delay and down_timer_adverts are reset, and authentication and unicast_peer are errors.
     */
    VrrpInstanceConfig resolve(VrrpGlobals globals, VrrpInstanceDefaults defaults, Set<String> scripts,
                               Diagnostics diagnostics) {
        int errors = diagnostics.errors().size();
        String instance = "vrrp_instance " + name;
        if (interfaceName == null) diagnostics.error(source, instance + ": missing interface");
        if (!routerIdGiven) diagnostics.error(source, instance + ": missing virtual_router_id");
        boolean ipv6 = family(instance, diagnostics);
        int v = version != null ? version : globals.version();
        if (ipv6 && v == 2) {
            // RFC 5798 is VRRP's only IPv6 form; keepalived moves an IPv6 instance to version 3 as well.
            if (version != null) {
                diagnostics.warning(versionSource, "version: 2 has no IPv6 form; using version 3 for this IPv6 "
                        + "instance, as keepalived does");
            }
            v = 3;
        }
        int centis = 100;
        try {
            centis = advertCentis(advertText, v);
        } catch (ValueException e) {
            diagnostics.error(advertSource, "advert_int: " + e.getMessage());
        }
        boolean strict = globals.strict();
        if (addresses.isEmpty() && !addressFault) {
            if (v == 3 || strict) {
                diagnostics.error(source, instance + ": no virtual_ipaddress (VRRP version 3 and vrrp_strict need "
                        + "at least one)");
            } else {
                diagnostics.warning(source, instance + ": no virtual_ipaddress; adverts carry no address");
            }
        }
        if (ipv6 && !addresses.isEmpty() && addresses.getFirst().address() instanceof Inet6Address first
                && !first.isLinkLocalAddress()) {
            // RFC 5798 5.2.9: an IPv6 advert's first address is the link-local one; keepalived warns as well.
            diagnostics.warning(source, instance + ": the first virtual_ipaddress of an IPv6 instance should be "
                    + "link-local (RFC 5798 5.2.9); " + IpAddress.format(first) + " is not");
        }
        String pass = authentication(instance, v, strict, diagnostics);
        if (strict && !unicastPeers.isEmpty())
            diagnostics.error(unicastPeerSource, "unicast_peer: refused by vrrp_strict (VRRP multicasts its adverts)");

        int prio = priority != null ? priority : Boolean.TRUE.equals(master) ? OWNER : DEFAULT_PRIORITY;
        boolean initialMaster = master != null ? master : prio == OWNER;
        if (strict && master != null && master != (prio == OWNER)) {
            diagnostics.warning(stateSource, "state: " + (master ? "MASTER" : "BACKUP") + " needs priority "
                    + (master ? "" : "below ") + "255 under vrrp_strict; starting as "
                    + (prio == OWNER ? "MASTER" : "BACKUP") + ", as keepalived does");
            initialMaster = prio == OWNER;
        }
        boolean noPreempt = nopreempt;
        if (noPreempt && prio == OWNER) {
            diagnostics.warning(nopreemptSource, "nopreempt: cleared at priority 255 (the address owner always "
                    + "takes over), as keepalived does");
            noPreempt = false;
        }
        int delay = preemptDelay;
        if (noPreempt && initialMaster) {
            diagnostics.warning(nopreemptSource, "nopreempt: cleared with state MASTER (the instance starts as "
                    + "master and preempts), as keepalived does; use state BACKUP for nopreempt");
            noPreempt = false;
        }
        if (delay > 0 && (initialMaster || noPreempt || strict)) {
            diagnostics.warning(preemptDelaySource, "preempt_delay: cleared with "
                    + (initialMaster ? "state MASTER" : noPreempt ? "nopreempt" : "vrrp_strict") + ", as keepalived does");
            delay = 0;
        }
        int downTimer = downTimerAdverts != null ? downTimerAdverts : defaults.downTimerAdverts();
        if (strict && downTimer != VrrpInstanceDefaults.KEEPALIVED.downTimerAdverts()) {
            diagnostics.warning(downTimerSource != null ? downTimerSource : source, "down_timer_adverts: reset to 3 "
                    + "under vrrp_strict, as keepalived does");
            downTimer = VrrpInstanceDefaults.KEEPALIVED.downTimerAdverts();
        }
        for (int i = 0; i < trackScripts.size(); i++) {
            if (!scripts.contains(trackScripts.get(i).name()))
                diagnostics.error(trackScriptSources.get(i), "track_script: no vrrp_script " + trackScripts.get(i).name());
        }
        if (diagnostics.errors().size() != errors) return null;
        return new VrrpInstanceConfig(name, source, initialMaster, interfaceName, virtualRouterId, prio, centis, v,
                addresses, excluded, noPreempt, delay, unicastSource, unicastPeers, pass, trackInterfaces,
                trackScripts, notifyScripts.build(),
                garpDelay != null ? garpDelay : defaults.garpDelaySeconds(),
                garpRepeat != null ? garpRepeat : defaults.garpRepeat(),
                garpRefresh != null ? garpRefresh : defaults.garpRefreshSeconds(),
                garpRefreshRepeat != null ? garpRefreshRepeat : defaults.garpRefreshRepeat(), downTimer);
    }

    /**
     * Whether the instance is IPv6: its virtual and excluded addresses, unicast_src_ip and unicast_peer are all
     * of one family (an error names the first address of the other, as keepalived refuses mixing them), and
     * native_ipv6 asks for IPv6.
     */
    private boolean family(String instance, Diagnostics diagnostics) {
        List<InetAddress> all = new ArrayList<>();
        addresses.forEach(a -> all.add(a.address()));
        excluded.forEach(a -> all.add(a.address()));
        if (unicastSource != null) all.add(unicastSource);
        all.addAll(unicastPeers);
        boolean ipv6 = nativeIpv6 != null || (!all.isEmpty() && all.getFirst() instanceof Inet6Address);
        for (InetAddress a : all) {
            if ((a instanceof Inet6Address) != ipv6) {
                diagnostics.error(source, instance + ": " + IpAddress.format(a) + " is " + (ipv6 ? "IPv4" : "IPv6")
                        + " in an " + (ipv6 ? "IPv6" : "IPv4") + " instance" + (nativeIpv6 != null ? " (native_ipv6)" : "") + "; an instance's addresses are of one family "
                        + "(as keepalived requires): put the other family's in an instance of its own");
                break;
            }
        }
        return ipv6;
    }

    /** The PASS password in force (at most 8 characters), or null for none. */
    private String authentication(String instance, int version, boolean strict, Diagnostics diagnostics) {
        if (authSource == null) return null;
        if (strict) {
            diagnostics.error(authSource, "authentication: refused by vrrp_strict (RFC 3768 and RFC 5798 have none)");
            return null;
        }
        if (version == 3) {
            diagnostics.error(authSource, "authentication: VRRP version 3 has none");
            return null;
        }
        if (!authPassType) {
            diagnostics.warning(authSource, "authentication: no auth_type PASS, so adverts are not authenticated, "
                    + "as keepalived does");
            return null;
        }
        if (authPass == null) {
            diagnostics.warning(authSource, "authentication: no auth_pass, so adverts are not authenticated, "
                    + "as keepalived does");
            return null;
        }
        if (authPass.length() > 8) {
            diagnostics.warning(authPassSource, "auth_pass: longer than 8 characters, only the first 8 are used");
            return authPass.substring(0, 8);
        }
        return authPass;
    }

    /** advert_int in centiseconds: whole seconds 1..255 in version 2, 0.01..40.95 s in version 3. */
    static int advertCentis(String text, int version) throws ValueException {
        if (!text.matches("\\d+(\\.\\d+)?|\\.\\d+")) throw new ValueException("'" + text + "' is not a time in seconds");
        BigDecimal seconds = new BigDecimal(text);
        if (version == 2) {
            if (seconds.stripTrailingZeros().scale() > 0)
                throw new ValueException(text + ": VRRP version 2 advertises whole seconds (use version 3 for less)");
            return (int) Values.integer(seconds.toBigInteger().toString(), 1, 255) * 100;
        }
        BigDecimal centis = seconds.movePointRight(2);
        if (centis.stripTrailingZeros().scale() > 0)
            throw new ValueException(text + ": VRRP version 3 advertises in hundredths of a second");
        long value = centis.toBigInteger().longValue();
        if (value < 1 || value > 4095 || centis.compareTo(BigDecimal.valueOf(4095)) > 0)
            throw new ValueException(text + " is out of range 0.01..40.95 for VRRP version 3");
        return (int) value;
    }
}
