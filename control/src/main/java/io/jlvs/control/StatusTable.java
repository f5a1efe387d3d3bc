package io.jlvs.control;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.VrrpStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * `jlvs status` for a person: per service a title line (protocol, address, the virtual_server it comes from, the
 * quorum) and a table of its servers (state and for how long, weight in force and configured, connections, the
 * last check and its reason), numeric addresses, columns aligned.
 */
public final class StatusTable {
    private static final String[] HEADERS = {"Server", "State", "For", "Weight", "ActConn", "InActConn", "Last check"};

    private StatusTable() {}

    /**
     * The VRRP instances: "VRRP VI_1 (group G) eth0 vrid 51 v3: MASTER for 2m10s, priority 150 (base 150), master
     * 10.0.0.2, since: higher priority ..." and the addresses; nothing when there is none.
     */
    public static String formatVrrp(List<VrrpStatus> instances, long nowMillis) {
        StringBuilder out = new StringBuilder();
        for (VrrpStatus v : instances) {
            out.append("VRRP ").append(v.instance());
            if (!v.group().isEmpty()) out.append(" (group ").append(v.group()).append(')');
            out.append("  ").append(v.interfaceName()).append(" vrid ").append(v.virtualRouterId()).append(" v")
                    .append(v.version()).append(": ").append(v.state());
            if (v.sinceMillis() > 0) out.append(" for ").append(duration(nowMillis - v.sinceMillis()));
            out.append(", priority ").append(v.effectivePriority());
            if (v.effectivePriority() != v.priority()) out.append(" (base ").append(v.priority()).append(')');
            if (!v.master().isEmpty()) out.append(", master ").append(v.master());
            out.append('\n');
            if (!v.reason().isEmpty()) out.append("  because: ").append(v.reason()).append('\n');
            out.append("  addresses: ").append(v.addresses()).append("  adverts sent ").append(v.advertsSent())
                    .append(", received ").append(v.advertsReceived()).append(", dropped ")
                    .append(v.advertsDropped()).append('\n');
        }
        return out.toString();
    }

    /**
     * The BGP announcement: "BGP (bird, include /etc/bird/jlvs-vips.conf): announcing" or "drained", the routing
     * daemon's sessions, then one line per VIP, announced or withdrawn and why.
     */
    public static String formatBgp(BgpStatus bgp) {
        StringBuilder out = new StringBuilder();
        out.append("BGP (").append(bgp.daemon()).append(", include ").append(bgp.include()).append("): ")
                .append(bgp.drained() ? "director drained, every VIP withdrawn" : "announcing").append('\n');
        if (!bgp.problem().isEmpty()) out.append("  problem: ").append(bgp.problem()).append('\n');
        for (String session : bgp.sessions()) out.append("  session ").append(session).append('\n');
        for (BgpStatus.Vip v : bgp.vips()) {
            out.append("  ").append(v.address()).append(" ").append(v.announced() ? "announced" : "withdrawn");
            if (!v.reason().isEmpty()) out.append(": ").append(v.reason());
            out.append('\n');
        }
        return out.toString();
    }

    public static String format(List<ServiceHealth> services, long nowMillis) {
        StringBuilder out = new StringBuilder();
        if (services.isEmpty()) return "no services\n";
        for (ServiceHealth s : services) {
            if (!out.isEmpty()) out.append('\n');
            out.append(title(s)).append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADERS);
            for (ServerHealth r : s.servers()) rows.add(row(r, nowMillis));
            appendAligned(out, rows);
        }
        return out.toString();
    }

    /** "TCP  10.0.0.1:80  virtual_server 10.0.0.1 80  quorum 2 (hysteresis 0): held, live weight 3". */
    static String title(ServiceHealth s) {
        StringBuilder t = new StringBuilder(serviceName(s.key()));
        t.append("  ").append(s.virtualServer().isEmpty() ? "(jlvsadm)" : "virtual_server " + s.virtualServer());
        if (s.quorum() > 0) {
            t.append("  quorum ").append(s.quorum());
            if (s.hysteresis() > 0) t.append(" (hysteresis ").append(s.hysteresis()).append(')');
            t.append(": ").append(s.quorumHeld() ? "held" : "LOST").append(", live weight ").append(s.liveWeight());
            if (s.sorryActive()) t.append(", sorry server serving");
        }
        return t.toString();
    }

    /** "TCP  10.0.0.1:80", "UDP  [2001:db8::1]:53", "FWM  1". */
    public static String serviceName(ServiceKey k) {
        if (k.isFwmark()) return "FWM  " + Integer.toUnsignedString(k.fwmark()) + (k.af() == 6 ? " IPv6" : "");
        return k.protocol().name() + "  " + endpoint(k.addrHi(), k.addrLo(), k.port());
    }

    public static String endpoint(long hi, long lo, int port) {
        String a = Addresses.format(hi, lo);
        return (Addresses.isV4(hi, lo) ? a : "[" + a + "]") + ":" + port;
    }

    private static String[] row(ServerHealth r, long nowMillis) {
        String state = r.state().name() + (r.drained() ? ",DRAINED" : "");
        if (r.heldUntilMillis() > nowMillis) state += " (" + duration(r.heldUntilMillis() - nowMillis) + " left)";
        String weight = (r.weight() < 0 ? "-" : Integer.toString(r.weight())) + "/" + r.configuredWeight();
        String last = r.lastResult().isEmpty() ? "" : (r.checker().isEmpty() ? "" : r.checker() + ": ")
                + r.lastResult() + " (" + millis(r.lastCheckNanos()) + ", " + duration(nowMillis - r.lastCheckMillis())
                + " ago)";
        return new String[] {endpoint(r.addrHi(), r.addrLo(), r.port()), state,
                r.sinceMillis() == 0 ? "" : duration(nowMillis - r.sinceMillis()), weight,
                Integer.toString(r.activeConns()), Integer.toString(r.inactiveConns()), last};
    }

    private static void appendAligned(StringBuilder out, List<String[]> rows) {
        int[] width = new int[HEADERS.length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** "850ms", "12s", "5m03s", "2h04m", "3d02h". */
    static String duration(long ms) {
        if (ms < 0) ms = 0;
        if (ms < 1000) return ms + "ms";
        long s = ms / 1000;
        if (s < 60) return s + "s";
        if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
        if (s < 86400) return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        return String.format("%dd%02dh", s / 86400, (s % 86400) / 3600);
    }

    private static String millis(long nanos) {
        return nanos < 10_000_000 ? String.format("%.1f ms", nanos / 1e6) : (nanos / 1_000_000) + " ms";
    }
}
