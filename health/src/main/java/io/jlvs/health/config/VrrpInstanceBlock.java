package io.jlvs.health.config;

import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vrrp_instance NAME { ... }}: the keywords of keepalived 2.2's instance that jlvs acts on, with
 * keepalived's defaults; the version and the tracked scripts resolve against global_defs and vrrp_script blocks
 * once the whole file is read ({@link #resolve}).
 */
final class VrrpInstanceBlock {
    private final String name;
    private final Source source;
    private Source stateSource;
    private boolean initialMaster;
    private String interfaceName;
    private int virtualRouterId;
    private int priority = 100;
    private String advertText = "1";
    private Source advertSource;
    private Integer version;
    private final List<VrrpInstanceConfig.VirtualAddress> addresses = new ArrayList<>();
    private final List<VrrpInstanceConfig.VirtualAddress> excluded = new ArrayList<>();
    private boolean addressesGiven;
    private boolean nopreempt;
    private int preemptDelay;
    private InetAddress unicastSource;
    private final List<InetAddress> unicastPeers = new ArrayList<>();
    private Source unicastSourceLine;
    private String authPass;
    private Source authSource;
    private final List<VrrpInstanceConfig.TrackedInterface> trackInterfaces = new ArrayList<>();
    private final List<VrrpInstanceConfig.TrackedScript> trackScripts = new ArrayList<>();
    private final List<Source> trackScriptSources = new ArrayList<>();
    private final NotifyScripts notifyScripts = new NotifyScripts();
    private int garpDelay = 5, garpRepeat = 5, garpRefresh, garpRefreshRepeat = 1, downTimerAdverts = 3;

    private VrrpInstanceBlock(String name, Source source) {
        this.name = name;
        this.source = source;
    }

    private static final KeywordTable<VrrpInstanceBlock> KEYWORDS = NotifyScripts.keywords(
            new KeywordTable<VrrpInstanceBlock>("vrrp_instance"), b -> b.notifyScripts)
            .leaf("state", (s, b) -> {
                b.initialMaster = Values.choice(s.value(), "state", "MASTER", "BACKUP").equals("MASTER");
                b.stateSource = s.source();
            })
            .leaf("interface", (s, b) -> b.interfaceName = s.value())
            .leaf("virtual_router_id", (s, b) -> b.virtualRouterId = (int) Values.integer(s.value(), 1, 255))
            .leaf("priority", (s, b) -> b.priority = (int) Values.integer(s.value(), 1, 255))
            .leaf("advert_int", (s, b) -> { b.advertText = s.value(); b.advertSource = s.source(); })
            .leaf("version", (s, b) -> b.version = (int) Values.integer(s.value(), 2, 3))
            .block("virtual_ipaddress", (s, b) -> { b.addressesGiven = true; s.noValue(); b.addresses.addAll(addresses(s)); })
            .block("virtual_ipaddress_excluded", (s, b) -> { s.noValue(); b.excluded.addAll(addresses(s)); })
            .leaf("nopreempt", (s, b) -> { s.noValue(); b.nopreempt = true; })
            .leaf("preempt_delay", (s, b) -> b.preemptDelay = (int) Values.integer(s.value(), 0, 1000))
            .leaf("unicast_src_ip", (s, b) -> { b.unicastSource = ipv4(s.value()); b.unicastSourceLine = s.source(); })
            .block("unicast_peer", (s, b) -> {
                s.noValue();
                for (Statement peer : s.block()) {
                    peer.requireArgs(0, 0);
                    b.unicastPeers.add(ipv4(peer.name()));
                }
                b.unicastSourceLine = b.unicastSourceLine == null ? s.source() : b.unicastSourceLine;
            })
            .block("authentication", (s, b) -> {
                s.noValue();
                b.authSource = s.source();
                for (Statement a : s.block()) {
                    switch (a.name()) {
                        case "auth_type" -> {
                            if (Values.choice(a.value(), "auth_type", "PASS", "AH").equals("AH"))
                                throw new ValueException("auth_type AH is not supported by jlvs; use PASS or none");
                        }
                        case "auth_pass" -> b.authPass = a.value();
                        default -> throw new ValueException("unknown keyword " + a.name() + " in authentication");
                    }
                }
            })
            .block("track_interface", (s, b) -> {
                s.noValue();
                for (Statement t : s.block()) {
                    t.requireArgs(0, 2);
                    int weight = 0;
                    if (t.argCount() > 0) {
                        if (!t.arg(0).equals("weight") || t.argCount() != 2)
                            throw new ValueException("track_interface " + t.name() + ": expected 'weight W'");
                        weight = (int) Values.integer(t.arg(1), -253, 253);
                    }
                    b.trackInterfaces.add(new VrrpInstanceConfig.TrackedInterface(t.name(), weight));
                }
            })
            .block("track_script", (s, b) -> {
                s.noValue();
                for (Statement t : s.block()) {
                    t.requireArgs(0, 2);
                    Integer weight = null;
                    if (t.argCount() > 0) {
                        if (!t.arg(0).equals("weight") || t.argCount() != 2)
                            throw new ValueException("track_script " + t.name() + ": expected 'weight W'");
                        weight = (int) Values.integer(t.arg(1), -253, 253);
                    }
                    b.trackScripts.add(new VrrpInstanceConfig.TrackedScript(t.name(), weight));
                    b.trackScriptSources.add(t.source());
                }
            })
            .leaf("garp_master_delay", (s, b) -> b.garpDelay = (int) Values.integer(s.value(), 0, 255))
            .leaf("garp_master_repeat", (s, b) -> b.garpRepeat = (int) Values.integer(s.value(), 1, 255))
            .leaf("garp_master_refresh", (s, b) -> b.garpRefresh = (int) Values.integer(s.value(), 0, 86400))
            .leaf("garp_master_refresh_repeat", (s, b) -> b.garpRefreshRepeat = (int) Values.integer(s.value(), 1, 255))
            .leaf("down_timer_adverts", (s, b) -> b.downTimerAdverts = (int) Values.integer(s.value(), 1, 100))
            .ignore("jlvs does not send mail", "smtp_alert")
            .ignore("jlvs tracks only the interfaces listed in track_interface", "dont_track_primary")
            .refuse("not supported by jlvs yet", "track_process", "track_file", "track_bfd", "use_vmac",
                    "vmac_xmit_base", "native_ipv6", "virtual_routes", "virtual_rules", "mcast_src_ip",
                    "lvs_sync_daemon_interface");

    static VrrpInstanceBlock read(Statement s, Diagnostics diagnostics) throws ValueException {
        VrrpInstanceBlock b = new VrrpInstanceBlock(s.value(), s.source());
        KEYWORDS.apply(s.block(), b, diagnostics);
        return b;
    }

    String name() { return name; }

    Source source() { return source; }

    List<VrrpInstanceConfig.VirtualAddress> allAddresses() {
        List<VrrpInstanceConfig.VirtualAddress> all = new ArrayList<>(addresses);
        all.addAll(excluded);
        return all;
    }

    /** The instance with its version, advert interval and tracked scripts checked; null after an error. */
    VrrpInstanceConfig resolve(VrrpGlobals globals, java.util.Set<String> scripts, Diagnostics diagnostics) {
        int errors = diagnostics.errors().size();
        if (interfaceName == null) diagnostics.error(source, "vrrp_instance " + name + ": missing interface");
        if (virtualRouterId == 0) diagnostics.error(source, "vrrp_instance " + name + ": missing virtual_router_id");
        int v = version != null ? version : globals.version();
        int centis = 100;
        try {
            centis = advertCentis(advertText, v);
        } catch (ValueException e) {
            diagnostics.error(advertSource, "advert_int: " + e.getMessage());
        }
        if (globals.strict() && authPass != null)
            diagnostics.error(authSource, "authentication: refused by vrrp_strict (RFC 5798 has none)");
        if (globals.strict() && !unicastPeers.isEmpty())
            diagnostics.error(unicastSourceLine, "unicast_peer: refused by vrrp_strict (RFC 5798 multicasts)");
        if (v == 3 && authPass != null)
            diagnostics.error(authSource, "authentication: VRRP version 3 has none");
        String pass = authPass;
        if (pass != null && pass.length() > 8) {
            diagnostics.warning(authSource, "auth_pass: longer than 8 characters, only the first 8 are used");
            pass = pass.substring(0, 8);
        }
        boolean master = initialMaster;
        if (nopreempt && initialMaster) {
            diagnostics.warning(stateSource, "state: MASTER with nopreempt starts as BACKUP, as keepalived does");
            master = false;
        }
        for (int i = 0; i < trackScripts.size(); i++) {
            if (!scripts.contains(trackScripts.get(i).name()))
                diagnostics.error(trackScriptSources.get(i), "track_script: no vrrp_script " + trackScripts.get(i).name());
        }
        if (!addressesGiven) diagnostics.error(source, "vrrp_instance " + name + ": no virtual_ipaddress");
        if (diagnostics.errors().size() != errors) return null;
        return new VrrpInstanceConfig(name, source, master, interfaceName, virtualRouterId, priority, centis, v,
                addresses, excluded, nopreempt, preemptDelay, unicastSource, unicastPeers, pass, trackInterfaces,
                trackScripts, notifyScripts.build(),
                garpDelay, garpRepeat, garpRefresh, garpRefreshRepeat, downTimerAdverts);
    }

    String interfaceName() { return interfaceName; }

    int virtualRouterId() { return virtualRouterId; }

    /** advert_int in centiseconds: whole seconds 1..255 in version 2, 0.01..40.95 s in version 3. */
    static int advertCentis(String text, int version) throws ValueException {
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new ValueException("'" + text + "' is not a time in seconds");
        }
        if (version == 2) {
            if (seconds.stripTrailingZeros().scale() > 0)
                throw new ValueException(text + ": VRRP version 2 advertises whole seconds (use version 3 for less)");
            return (int) Values.integer(seconds.toBigInteger().toString(), 1, 255) * 100;
        }
        BigDecimal centis = seconds.movePointRight(2);
        if (centis.stripTrailingZeros().scale() > 0)
            throw new ValueException(text + ": VRRP version 3 advertises in hundredths of a second");
        return (int) Values.integer(centis.toBigInteger().toString(), 1, 4095);
    }

    /** The lines of a virtual_ipaddress block: ADDR[/PREFIX] [dev IF] and keepalived's options (ignored). */
    private static List<VrrpInstanceConfig.VirtualAddress> addresses(Statement block) throws ValueException {
        List<VrrpInstanceConfig.VirtualAddress> out = new ArrayList<>();
        for (Statement line : block.block()) {
            String text = line.name();
            int slash = text.indexOf('/');
            InetAddress address = ipv4(slash < 0 ? text : text.substring(0, slash));
            int prefix = slash < 0 ? 32 : (int) Values.integer(text.substring(slash + 1), 0, 32);
            String device = null;
            for (int i = 0; i < line.argCount(); i++) {
                String option = line.arg(i);
                switch (option) {
                    case "dev" -> device = argAfter(line, i++);
                    case "brd", "scope", "label" -> argAfter(line, i++);
                    case "no_track", "preferred_lft" -> { }
                    default -> throw new ValueException(text + ": unknown option '" + option + "'");
                }
            }
            out.add(new VrrpInstanceConfig.VirtualAddress(address, prefix, device));
        }
        return out;
    }

    private static String argAfter(Statement line, int i) throws ValueException {
        if (i + 1 >= line.argCount()) throw new ValueException(line.arg(i) + " needs a value");
        return line.arg(i + 1);
    }

    static InetAddress ipv4(String text) throws ValueException {
        IpAddress a = IpAddress.parse(text);
        if (a.af() != 4) throw new ValueException(text + ": IPv6 in VRRP is not supported by jlvs yet");
        InetAddress inet = a.inet();
        if (!(inet instanceof Inet4Address)) throw new ValueException(text + " is not an IPv4 address");
        return inet;
    }
}
