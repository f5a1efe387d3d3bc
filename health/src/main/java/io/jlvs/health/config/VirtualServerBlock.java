package io.jlvs.health.config;

import io.jlvs.control.ConfigChanges;
import io.jlvs.control.SchedFlags;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code virtual_server} block as written, and its resolution into a {@link VirtualServer}: the services it
 * names (a group expands to one per member), each real server with the block's method and inherited settings, each
 * checker with its timing.
 */
final class VirtualServerBlock {
    static final String DEFAULT_SCHEDULER = "wlc";
    static final int DEFAULT_PERSISTENCE_TIMEOUT = 360;
    /** Scheduler flag keywords and the IPVS flag bit (0..2) each sets, named as ipvsadm names them. */
    private static final Map<String, Integer> SCHED_FLAG_BITS = Map.of("flag-1", 0, "flag-2", 1, "flag-3", 2,
            "sh-fallback", 0, "sh-port", 1, "mh-fallback", 0, "mh-port", 1);

    static final KeywordTable<VirtualServerBlock> KEYWORDS = keywords();

    final Source source;
    final String name;
    final Diagnostics diagnostics;
    private ServiceAddress address;
    private String groupName;
    private String scheduler = DEFAULT_SCHEDULER;
    private final Set<String> schedFlags = new LinkedHashSet<>();
    private boolean onePacket;
    private boolean synproxy;
    private Source synproxySource;
    private ForwardMethod method = ForwardMethod.MASQ;
    private String tunType;
    private int tunPort;
    private String tunCsum;
    private Protocol protocol = Protocol.TCP;
    private int persistTimeout;
    private Statement granularity;
    private String pe;
    private IpAddress sorryAddress;
    private int sorryPort;
    private boolean sorryInhibit;
    private int quorum = 1;
    private int hysteresis;
    private Script quorumUp;
    private Script quorumDown;
    private boolean alpha;
    private boolean omega;
    private final InheritedSettings settings = new InheritedSettings();
    private final List<RealServerBlock> realServers = new ArrayList<>();

    private VirtualServerBlock(Source source, String name, Diagnostics diagnostics) {
        this.source = source;
        this.name = name;
        this.diagnostics = diagnostics;
    }

    static VirtualServerBlock read(Statement s, Diagnostics diagnostics) throws ValueException {
        List<String> words = s.args().stream().map(Word::text).toList();
        VirtualServerBlock vs = new VirtualServerBlock(s.source(), String.join(" ", words), diagnostics);
        if (!words.isEmpty() && words.getFirst().equals("group")) {
            s.requireArgs(2, 2);
            vs.groupName = words.get(1);
        } else {
            vs.address = ServiceAddress.parse(words);
        }
        KEYWORDS.apply(s.block(), vs, diagnostics);
        return vs;
    }

    /**
     * The virtual server with everything resolved, or null when it cannot be built (the reasons recorded).
     * services maps every service already defined to the virtual_server that defined it.
     */
    VirtualServer resolve(VirtualServerGroups groups, TrackFiles trackFiles, Map<ServiceKey, Source> services) {
        List<ServiceAddress> addresses;
        if (groupName != null) {
            VirtualServerGroups.Group group = groups.get(groupName);
            if (group == null) {
                diagnostics.error(source, "virtual_server group " + groupName + ": no virtual_server_group named " + groupName);
                return null;
            }
            addresses = group.members();
        } else {
            addresses = List.of(address);
        }
        int fwmarkAf = realServers.isEmpty() ? 4 : realServers.getFirst().address.af();
        List<ServiceConfig> configs = new ArrayList<>();
        for (ServiceAddress a : addresses) {
            ServiceKey key = a.isFwmark() ? ServiceKey.ofFwmark(a.fwmark(), fwmarkAf)
                    : ServiceKey.of(protocol, a.address().hi(), a.address().lo(), a.port());
            Source previous = services.putIfAbsent(key, source);
            if (previous != null) {
                diagnostics.error(source, "virtual_server " + name + ": " + describe(key, a)
                        + " is already defined at " + Diagnostics.where(previous, source));
                continue;
            }
            configs.add(service(key));
        }
        InheritedSettings inherited = settings;
        List<RealServer> servers = new ArrayList<>();
        Map<List<Long>, Source> seen = new HashMap<>();
        for (RealServerBlock rs : realServers) {
            RealServer server = realServer(rs, addresses, configs, trackFiles, inherited, seen);
            if (server != null) servers.add(server);
        }
        RealServerConfig sorry = null;
        if (sorryAddress != null) {
            sorry = new RealServerConfig(sorryAddress.hi(), sorryAddress.lo(), sorryPort, method, 1, 0, 0, tunType,
                    tunPort, tunCsum);
            checkFamily("sorry_server " + sorryAddress + " " + sorryPort, sorryAddress, configs, source);
        }
        return new VirtualServer(source, name, configs,
                settings.delayLoop != null ? settings.delayLoop : InheritedSettings.DEFAULT_DELAY_LOOP,
                alpha, omega, quorum, hysteresis, quorumUp, quorumDown, sorry, sorryInhibit, servers);
    }

    private static String describe(ServiceKey key, ServiceAddress a) {
        return a.isFwmark() ? "fwmark " + Integer.toUnsignedString(key.fwmark())
                : key.protocol().listName() + " " + (key.af() == 6 ? "[" + a.address() + "]" : a.address()) + ":" + a.port();
    }

    private ServiceConfig service(ServiceKey key) {
        long maskHi = -1L, maskLo = -1L;
        if (granularity != null) {
            try {
                long[] mask = netmask(granularity.value(), key.af());
                maskHi = mask[0];
                maskLo = mask[1];
            } catch (ValueException e) {
                diagnostics.error(granularity.source(), granularity.name() + ": " + e.getMessage());
            }
        }
        if (synproxy && !key.isFwmark() && key.protocol() != Protocol.TCP) {
            diagnostics.error(synproxySource, "syn_proxy: only for TCP virtual servers");
        }
        return new ServiceConfig(key, scheduler, new LinkedHashSet<>(SchedFlags.ordered(scheduler, schedFlags)),
                persistTimeout, maskHi, maskLo, pe, onePacket, synproxy);
    }

    /**
     * persistence_granularity as the 128-bit mask ServiceConfig keeps: for IPv4 a dotted netmask over the
     * IPv4-mapped address, for IPv6 a prefix length 1..128.
     */
    static long[] netmask(String text, int af) throws ValueException {
        if (af == 4) {
            long mask = Addresses.parseV4(text);
            if (mask < 0) throw new ValueException("'" + text + "' is not an IPv4 netmask");
            return new long[] {-1L, 0xFFFF_FFFF_0000_0000L | mask};
        }
        int prefix = (int) Values.integer(text, 1, 128);
        return new long[] {prefix >= 64 ? -1L : -1L << (64 - prefix), prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix)};
    }

    private RealServer realServer(RealServerBlock rs, List<ServiceAddress> addresses, List<ServiceConfig> configs,
                                  TrackFiles trackFiles, InheritedSettings inherited, Map<List<Long>, Source> seen) {
        int port = rs.port >= 0 ? rs.port : addresses.isEmpty() ? 0 : addresses.getFirst().port();
        Source previous = seen.putIfAbsent(List.of(rs.address.hi(), rs.address.lo(), (long) port), rs.source);
        if (previous != null) {
            diagnostics.error(rs.source, "real_server " + rs.name() + ": already defined at "
                    + Diagnostics.where(previous, rs.source));
            return null;
        }
        checkFamily("real_server " + rs.name(), rs.address, configs, rs.source);
        if (rs.upperThreshold > 0 && rs.lowerThreshold > rs.upperThreshold)
            diagnostics.error(rs.source, "real_server " + rs.name() + ": lthreshold " + rs.lowerThreshold
                    + " exceeds uthreshold " + rs.upperThreshold);
        InheritedSettings all = rs.settings.over(inherited);
        List<CheckerSpec> checkers = new ArrayList<>();
        for (CheckerBlock c : rs.checkers) {
            CheckerSpec spec = c.resolve(all, trackFiles, diagnostics);
            if (spec != null) checkers.add(spec);
        }
        RealServerConfig config = new RealServerConfig(rs.address.hi(), rs.address.lo(), port, method, rs.weight,
                rs.upperThreshold, rs.lowerThreshold, tunType, tunPort, tunCsum);
        return new RealServer(rs.source, config, all.inhibitOnFailure != null && all.inhibitOnFailure,
                rs.notifyUp, rs.notifyDown, checkers);
    }

    /** A server must have its services' family; as in IPVS, only tunnelled servers may differ. */
    private void checkFamily(String what, IpAddress server, List<ServiceConfig> configs, Source at) {
        if (method == ForwardMethod.TUNNEL) return;
        for (ServiceConfig c : configs) {
            if (c.key().af() != server.af()) {
                diagnostics.error(at, what + ": an IPv" + server.af() + " server in an IPv" + c.key().af()
                        + " service (only lvs_method TUN may mix families)");
                return;
            }
        }
    }

    private static KeywordTable<VirtualServerBlock> keywords() {
        KeywordTable<VirtualServerBlock> t = new KeywordTable<VirtualServerBlock>("virtual_server")
                .leaf("lvs_sched", (s, vs) -> vs.scheduler = scheduler(s.value()))
                .leaf("lb_algo", (s, vs) -> vs.scheduler = scheduler(s.value()))
                .leaf("ops", (s, vs) -> { s.noValue(); vs.onePacket = true; })
                // DPVS's keepalived spelling of jlvsadm's --synproxy
                .leaf("syn_proxy", (s, vs) -> { s.noValue(); vs.synproxy = true; vs.synproxySource = s.source(); })
                .leaf("lvs_method", VirtualServerBlock::method)
                .leaf("lb_kind", VirtualServerBlock::method)
                .leaf("protocol", (s, vs) -> vs.protocol = protocol(s.value()))
                .leaf("persistence_timeout", (s, vs) -> {
                    String v = s.optionalValue();
                    vs.persistTimeout = v == null ? DEFAULT_PERSISTENCE_TIMEOUT : (int) Values.integer(v, 1, Integer.MAX_VALUE);
                })
                .leaf("persistence_granularity", (s, vs) -> { s.value(); vs.granularity = s; })
                .leaf("persistence_engine", (s, vs) -> vs.pe = Values.choice(s.value(), "a persistence engine", "sip"))
                .leaf("sorry_server", (s, vs) -> {
                    s.requireArgs(2, 2);
                    vs.sorryAddress = IpAddress.parse(s.arg(0));
                    vs.sorryPort = Values.port(s.arg(1));
                })
                .leaf("sorry_server_inhibit", (s, vs) -> { s.noValue(); vs.sorryInhibit = true; })
                .leaf("quorum", (s, vs) -> vs.quorum = (int) Values.integer(s.value(), 1, Integer.MAX_VALUE))
                .leaf("hysteresis", (s, vs) -> vs.hysteresis = (int) Values.integer(s.value(), 0, Integer.MAX_VALUE))
                .leaf("quorum_up", (s, vs) -> vs.quorumUp = Scripts.of(s, null))
                .leaf("quorum_down", (s, vs) -> vs.quorumDown = Scripts.of(s, null))
                .leaf("alpha", (s, vs) -> { s.noValue(); vs.alpha = true; })
                .leaf("omega", (s, vs) -> { s.noValue(); vs.omega = true; })
                .block("real_server", (s, vs) -> vs.realServers.add(RealServerBlock.read(s, vs.diagnostics)))
                .ignore("jlvs does not send mail", "smtp_alert")
                .ignore("jlvs has no VRRP to suspend checks with", "ha_suspend");
        for (String flag : SCHED_FLAG_BITS.keySet()) t.leaf(flag, (s, vs) -> { s.noValue(); vs.schedFlags.add(flag); });
        InheritedSettings.register(t, vs -> vs.settings, true, true);
        return t;
    }

    private static String scheduler(String name) throws ValueException {
        if (!ConfigChanges.SCHEDULERS.contains(name))
            throw new ValueException("unknown scheduler '" + name + "'; jlvs has " + String.join(", ", ConfigChanges.SCHEDULERS));
        return name;
    }

    private static Protocol protocol(String name) throws ValueException {
        String p = Values.choice(name, "a protocol", "TCP", "UDP", "SCTP");
        if (p.equals("SCTP")) throw new ValueException("SCTP is not supported by jlvs's health checks yet; use TCP or UDP");
        return Protocol.valueOf(p);
    }

    /** lvs_method NAT | DR | TUN [ipip | gue port N | gre] [csum | nocsum | remcsum]. */
    private static void method(Statement s, VirtualServerBlock vs) throws ValueException {
        if (s.argCount() == 0) throw new ValueException("missing value");
        String kind = Values.choice(s.arg(0), "a forwarding method", "NAT", "DR", "TUN");
        vs.method = switch (kind) {
            case "NAT" -> ForwardMethod.MASQ;
            case "DR" -> ForwardMethod.ROUTE;
            default -> ForwardMethod.TUNNEL;
        };
        vs.tunType = null;
        vs.tunPort = 0;
        vs.tunCsum = null;
        if (vs.method != ForwardMethod.TUNNEL) {
            s.requireArgs(1, 1);
            return;
        }
        int i = 1;
        vs.tunType = s.argCount() > 1 ? Values.choice(s.arg(1), "a tunnel type", "ipip", "gue", "gre") : "ipip";
        if (s.argCount() > 1) i++;
        if (vs.tunType.equals("gue")) {
            if (s.argCount() < i + 2 || !s.arg(i).equals("port")) throw new ValueException("gue needs 'port N'");
            vs.tunPort = (int) Values.integer(s.arg(i + 1), 1, 65535);
            i += 2;
        }
        if (!vs.tunType.equals("ipip")) {
            vs.tunCsum = "nocsum";
            if (s.argCount() > i) vs.tunCsum = Values.choice(s.arg(i++), "a tunnel checksum option", "csum", "nocsum", "remcsum");
        }
        if (s.argCount() > i) throw new ValueException("unexpected '" + s.arg(i) + "'");
    }
}
