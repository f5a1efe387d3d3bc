package io.jlvs.console.api;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;

import java.util.Locale;

/**
 * The services in force as keepalived.conf {@code virtual_server} blocks, in the keywords jlvs's own parser reads
 * back. keepalived names one forwarding method per virtual server: a server whose method differs from the first
 * server's is written with a comment saying so. Health checkers are not part of the desired state and are not
 * written.
 */
final class KeepalivedText {
    private KeepalivedText() {}

    static String render(IpvsConfig config) {
        StringBuilder out = new StringBuilder();
        for (IpvsConfig.ServiceEntry entry : config.entries()) {
            if (!out.isEmpty()) out.append('\n');
            service(out, entry);
        }
        return out.toString();
    }

    private static void service(StringBuilder out, IpvsConfig.ServiceEntry entry) {
        ServiceConfig c = entry.service();
        ServiceKey k = c.key();
        out.append("virtual_server ");
        if (k.isFwmark()) out.append("fwmark ").append(Integer.toUnsignedString(k.fwmark()));
        else out.append(Addresses.format(k.addrHi(), k.addrLo())).append(' ').append(k.port());
        out.append(" {\n");
        line(out, "lb_algo " + c.scheduler());
        ForwardMethod method = entry.realServers().isEmpty() ? null : entry.realServers().getFirst().method();
        if (method != null) line(out, "lvs_method " + methodText(entry.realServers().getFirst()));
        if (!k.isFwmark()) line(out, "protocol " + k.protocol().name());
        for (String flag : c.schedFlags().stream().sorted().toList()) line(out, flag);
        if (c.persistent()) {
            line(out, "persistence_timeout " + c.persistTimeout());
            int full = k.af() == 4 ? 32 : 128;
            if (c.netmaskPrefix() != full) {
                line(out, "persistence_granularity " + (k.af() == 4
                        ? Addresses.formatV4(c.netmaskV4()) : Integer.toString(c.netmaskPrefix())));
            }
        }
        if (c.pe() != null) line(out, "persistence_engine " + c.pe());
        if (c.onePacket()) line(out, "ops");
        if (c.synproxy()) line(out, "syn_proxy");
        for (RealServerConfig d : entry.realServers()) {
            out.append('\n');
            if (d.method() != method) {
                line(out, "# forwards by " + methodText(d) + " (keepalived.conf names one method per virtual server)");
            }
            line(out, "real_server " + Addresses.format(d.addrHi(), d.addrLo()) + " " + d.port() + " {");
            out.append("        weight ").append(d.weight()).append('\n');
            if (d.upperThreshold() != 0) out.append("        uthreshold ").append(d.upperThreshold()).append('\n');
            if (d.lowerThreshold() != 0) out.append("        lthreshold ").append(d.lowerThreshold()).append('\n');
            line(out, "}");
        }
        out.append("}\n");
    }

    private static String methodText(RealServerConfig d) {
        return switch (d.method()) {
            case MASQ -> "NAT";
            case FULLNAT -> "FNAT";
            case TUNNEL -> {
                String type = d.tunType() == null ? "ipip" : d.tunType();
                String s = "TUN " + type;
                if (type.equals("gue")) s += " port " + d.tunPort();
                if (d.tunCsum() != null) s += " " + d.tunCsum().toLowerCase(Locale.ROOT);
                yield s;
            }
            default -> "DR";
        };
    }

    private static void line(StringBuilder out, String text) {
        out.append("    ").append(text).append('\n');
    }
}
