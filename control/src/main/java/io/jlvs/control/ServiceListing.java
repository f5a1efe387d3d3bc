package io.jlvs.control;

import io.jlvs.control.command.ListFormat;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.protocol.ControlReply.RealServerRow;
import io.jlvs.control.protocol.ControlReply.ServiceRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ipvsadm's service listings (-L with every column variant) and rules (-S), byte for byte as its print_title and
 * print_service_entry print them, from the rows the daemon sends.
 */
final class ServiceListing {
    static final String VERSION = "1.2.1";

    /** ipvs_cmp_dests: family, address, port. */
    private static final Comparator<RealServerRow> DEST_ORDER = Comparator
            .comparingInt((RealServerRow d) -> d.server().isV4() ? 4 : 6)
            .thenComparing((a, b) -> Long.compareUnsigned(a.server().addrHi(), b.server().addrHi()))
            .thenComparing((a, b) -> Long.compareUnsigned(a.server().addrLo(), b.server().addrLo()))
            .thenComparingInt(d -> d.server().port());

    private static final String[] TUN_FLAGS = {"-c", "+c", "r+c"};
    private static final String[] TUN_FLAG_OPTS = {"--tun-nocsum", "--tun-csum", "--tun-remcsum"};

    private final ListFormat format;
    private final boolean rule;
    private final AddressNames names;
    private final StringBuilder sb = new StringBuilder(256);

    ServiceListing(ListFormat format, boolean rule, NameResolver resolver) {
        this.format = format;
        this.rule = rule;
        this.names = new AddressNames(resolver, format.numeric());
    }

    /** ipvsadm's list_all (-L) or, with rule, its -S. */
    void listAll(int connectionTableSize, List<ServiceRow> services, Appendable out) throws IOException {
        if (!rule) {
            out.append("IP Virtual Server version ").append(VERSION).append(" (size=")
               .append(Integer.toString(connectionTableSize)).append(")\n");
        }
        List<ServiceRow> entries = new ArrayList<>(services);
        if (!format.noSort()) entries.sort(Comparator.comparing(e -> e.service().key(), ServiceKey.IPVSADM_ORDER));
        title(out);
        for (ServiceRow e : entries) entry(e, out);
    }

    /** ipvsadm's list_service (-L -t addr:port): the title and one service, no version header. */
    void listOne(ServiceRow entry, Appendable out) throws IOException {
        title(out);
        entry(entry, out);
    }

    private void title(Appendable out) throws IOException {
        if (format.stats()) {
            columnsTitle(out, "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
        } else if (format.rate()) {
            columnsTitle(out, "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
        } else if (format.thresholds()) {
            sb.setLength(0);
            Printf.left(sb, "Prot LocalAddress:Port", 33).append(' ');
            Printf.left(sb, "Uthreshold", 10).append(' ');
            Printf.left(sb, "Lthreshold", 10).append(' ');
            Printf.left(sb, "ActiveConn", 10).append(' ');
            Printf.left(sb, "InActConn", 10).append("\n  -> RemoteAddress:Port\n");
            out.append(sb);
        } else if (format.persistentConn()) {
            sb.setLength(0);
            Printf.left(sb, "Prot LocalAddress:Port", 33).append(' ');
            Printf.left(sb, "Weight", 9).append(' ');
            Printf.left(sb, "PersistConn", 11).append(' ');
            Printf.left(sb, "ActiveConn", 10).append(' ');
            Printf.left(sb, "InActConn", 10).append("\n  -> RemoteAddress:Port\n");
            out.append(sb);
        } else if (format.tunInfo()) {
            out.append("Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
        } else if (!rule) {
            out.append("Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
    }

    private void columnsTitle(Appendable out, String... columns) throws IOException {
        sb.setLength(0);
        Printf.left(sb, "Prot LocalAddress:Port", 33);
        for (String c : columns) Printf.right(sb.append(' '), c, 8);
        out.append(sb).append("\n  -> RemoteAddress:Port\n");
    }

    private String serviceName(ServiceKey key) {
        StringBuilder n = new StringBuilder(64);
        if (key.isFwmark()) {
            if (rule) n.append("-f ").append(Integer.toUnsignedString(key.fwmark())).append(key.af() == 6 ? " -6" : "");
            else n.append("FWM  ").append(Integer.toUnsignedString(key.fwmark())).append(key.af() == 6 ? " IPv6" : "");
            return n.toString();
        }
        Protocol p = key.protocol();
        if (rule) {
            n.append(p.saveSwitch()).append(' ');
            names.append(n, key.addrHi(), key.addrLo(), key.port(), portNameProto(key));
            return n.toString();
        }
        Printf.left(n, p.listName(), 4).append(' ');
        names.append(n, key.addrHi(), key.addrLo(), key.port(), portNameProto(key));
        if (key.af() != 6 && n.length() > 33) n.setLength(33);   // ipvsadm cuts IPv4 names at 33 characters
        return n.toString();
    }

    /** Protocol for port names: TCP and UDP services only (a fwmark service reports no protocol). */
    private static String portNameProto(ServiceKey key) {
        Protocol p = key.protocol();
        if (key.isFwmark() || p == Protocol.SCTP) return null;
        return p.servicesName();
    }

    private void entry(ServiceRow entry, Appendable out) throws IOException {
        ServiceConfig se = entry.service();
        ServiceKey key = se.key();
        String svcName = serviceName(key);
        List<String> flags = SchedFlags.ordered(se.scheduler(), se.schedFlags());
        sb.setLength(0);
        if (rule) {
            sb.append("-A ").append(svcName).append(" -s ").append(se.scheduler());
            if (!flags.isEmpty()) sb.append(" -b ").append(String.join(",", flags));
            if (se.persistent()) {
                sb.append(" -p ").append(se.persistTimeout());
                appendMask(se, " -M ");
            }
            if (se.pe() != null) sb.append(" --pe ").append(se.pe());
            if (se.onePacket()) sb.append(" -o");
            if (se.synproxy()) sb.append(" --synproxy");
            if (se.sloppyTcp()) sb.append(" --sloppy-tcp");
            if (se.hasLocalAddresses()) sb.append(" --laddr ").append(localAddresses(se));
        } else if (format.stats() || format.rate()) {
            ServiceStats s = entry.stats();
            Printf.left(sb, svcName, 33);
            boolean x = format.exact();
            if (format.stats()) {
                Printf.largeNumber(sb, s.conns(), x); Printf.largeNumber(sb, s.inPackets(), x);
                Printf.largeNumber(sb, s.outPackets(), x); Printf.largeNumber(sb, s.inBytes(), x);
                Printf.largeNumber(sb, s.outBytes(), x);
            } else {
                Printf.largeNumber(sb, s.cps(), x); Printf.largeNumber(sb, s.inPps(), x);
                Printf.largeNumber(sb, s.outPps(), x); Printf.largeNumber(sb, s.inBps(), x);
                Printf.largeNumber(sb, s.outBps(), x);
            }
        } else {
            sb.append(svcName).append(' ').append(se.scheduler());
            if (!se.schedFlags().isEmpty()) sb.append(" (").append(String.join(",", flags)).append(')');
            if (se.persistent()) {
                sb.append(" persistent ").append(se.persistTimeout());
                appendMask(se, " mask ");
                if (se.pe() != null) sb.append(" pe ").append(se.pe());
            }
            if (se.onePacket()) sb.append(" ops");
            if (se.synproxy()) sb.append(" synproxy");
            if (se.sloppyTcp()) sb.append(" sloppy-tcp");
            if (se.hasLocalAddresses()) sb.append(" laddr ").append(localAddresses(se));
        }
        sb.append('\n');
        out.append(sb);

        List<RealServerRow> dests = entry.servers();
        if (!format.noSort()) {
            dests = new ArrayList<>(dests);
            dests.sort(DEST_ORDER);
        }
        String proto = portNameProto(key);
        for (RealServerRow d : dests) dest(key, svcName, proto, d.server(), d.stats(), out);
    }

    private static String localAddresses(ServiceConfig se) {
        return String.join(",", se.localAddressTexts());
    }

    /** The persistence granularity, printed only when it is not the host mask, as ipvsadm does. */
    private void appendMask(ServiceConfig se, String label) {
        if (se.key().af() == 4) {
            if (se.netmaskV4() != -1) sb.append(label).append(Addresses.formatV4(se.netmaskV4()));
        } else if (se.netmaskPrefix() != 128) {
            sb.append(label).append(se.netmaskPrefix());
        }
    }

    private void dest(ServiceKey key, String svcName, String proto, RealServerConfig d, RealServerStats s,
                      Appendable out) throws IOException {
        StringBuilder dn = names.append(new StringBuilder(48), d.addrHi(), d.addrLo(), d.port(), proto);
        if (!rule && key.af() != 6 && dn.length() > 28) dn.setLength(28);
        String dname = dn.toString();
        sb.setLength(0);
        if (rule) {
            sb.append("-a ").append(svcName).append(" -r ").append(dname).append(' ')
              .append(d.method().saveSwitch()).append(" -w ").append(d.weight());
            if (d.method() == ForwardMethod.TUNNEL) {
                String type = d.tunType() == null ? "ipip" : d.tunType();
                sb.append(" --tun-type ").append(type);
                if (type.equals("gue")) sb.append(" --tun-port ").append(d.tunPort()).append(' ').append(TUN_FLAG_OPTS[csumIndex(d)]);
                else if (type.equals("gre")) sb.append(' ').append(TUN_FLAG_OPTS[csumIndex(d)]);
            }
            if (d.proxyProtocol()) sb.append(" --proxy-protocol");
            out.append(sb.append('\n'));
            return;
        }
        sb.append("  -> ");
        boolean x = format.exact();
        if (format.stats()) {
            Printf.left(sb, dname, 28);
            Printf.largeNumber(sb, s.conns(), x); Printf.largeNumber(sb, s.inPackets(), x);
            Printf.largeNumber(sb, s.outPackets(), x); Printf.largeNumber(sb, s.inBytes(), x);
            Printf.largeNumber(sb, s.outBytes(), x);
        } else if (format.rate()) {
            Printf.left(sb, dname, 28);
            Printf.right(sb.append(' '), s.cps(), 8);
            Printf.right(sb.append(' '), s.inPps(), 8);
            Printf.right(sb.append(' '), s.outPps(), 8);
            Printf.largeNumber(sb, s.inBps(), x); Printf.largeNumber(sb, s.outBps(), x);
        } else if (format.thresholds()) {
            Printf.left(sb, dname, 28).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(d.upperThreshold()), 10).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(d.lowerThreshold()), 10).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(s.activeConns()), 10).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(s.inactiveConns()), 10);
        } else if (format.persistentConn()) {
            Printf.left(sb, dname, 28).append(' ');
            Printf.left(sb, d.weight(), 9).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(s.persistentConns()), 11).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(s.activeConns()), 10).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(s.inactiveConns()), 10);
        } else {
            Printf.left(sb, dname, 28).append(' ');
            Printf.left(sb, d.method().listName(), 7).append(' ');
            if (format.tunInfo()) Printf.left(sb, tunnelInfo(d), 13).append(' ');
            Printf.left(sb, d.weight(), 6).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(s.activeConns()), 10).append(' ');
            Printf.left(sb, Integer.toUnsignedLong(s.inactiveConns()), 10);
        }
        out.append(sb.append('\n'));
    }

    /** ipvsadm's fwd_tun_info: "ipip", "gue:PORT:FLAGS", "gre:FLAGS", or "n/a" for other methods. */
    private static String tunnelInfo(RealServerConfig d) {
        if (d.method() != ForwardMethod.TUNNEL) return "n/a";
        String type = d.tunType() == null ? "ipip" : d.tunType();
        return switch (type) {
            case "gue" -> "gue:" + d.tunPort() + ":" + TUN_FLAGS[csumIndex(d)];
            case "gre" -> "gre:" + TUN_FLAGS[csumIndex(d)];
            default -> "ipip";
        };
    }

    private static int csumIndex(RealServerConfig d) {
        if (d.tunCsum() == null) return 0;
        return switch (d.tunCsum()) {
            case "csum" -> 1;
            case "remcsum" -> 2;
            default -> 0;
        };
    }
}
