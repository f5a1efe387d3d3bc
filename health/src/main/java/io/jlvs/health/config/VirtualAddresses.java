package io.jlvs.health.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of virtual_ipaddress (IPv4 or IPv6 addresses; {@link VrrpInstanceBlock} refuses mixing them) and virtual_ipaddress_excluded:
 * {@code ADDR[/PREFIX] [brd X] [dev IF] [scope S] [label L] [no_track] [preferred_lft V] ...}. The device is kept
 * (default: the instance's interface); brd, scope, label and the flags concern addresses held by the kernel, which
 * jlvs's VIPs are not, and are read and dropped. A fault is reported at its own line.
 */
final class VirtualAddresses {
    private VirtualAddresses() {}

    static List<VrrpInstanceConfig.VirtualAddress> read(Statement block) throws ValueException {
        List<VrrpInstanceConfig.VirtualAddress> out = new ArrayList<>();
        for (Statement line : block.block()) out.add(address(line));
        return out;
    }

    private static VrrpInstanceConfig.VirtualAddress address(Statement line) throws ValueException {
        if (line.block() != null) throw new ValueException(line.source(), line.name() + ": takes no { } block");
        String text = line.name();
        int slash = text.indexOf('/');
        InetAddress address = ip(line.source(), slash < 0 ? text : text.substring(0, slash));
        int bits = address instanceof Inet4Address ? 32 : 128;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = (int) Values.integer(text.substring(slash + 1), 0, bits);
            } catch (ValueException e) {
                throw new ValueException(line.source(), text + ": prefix " + e.getMessage());
            }
        }
        String device = null;
        for (int i = 0; i < line.argCount(); i++) {
            String option = line.arg(i);
            switch (option) {
                case "dev" -> device = valueAfter(line, i++);
                case "brd", "broadcast", "scope", "label", "preferred_lft", "peer", "track_group" -> valueAfter(line, i++);
                case "no_track", "home", "-nodad", "nodad", "noprefixroute", "autojoin" -> { }
                default -> throw new ValueException(line.source(), text + ": unknown option '" + option + "'");
            }
        }
        return new VrrpInstanceConfig.VirtualAddress(address, prefix, device);
    }

    private static String valueAfter(Statement line, int i) throws ValueException {
        if (i + 1 >= line.argCount())
            throw new ValueException(line.source(), line.name() + ": " + line.arg(i) + " needs a value");
        return line.arg(i + 1);
    }

    /** An IPv4 or IPv6 literal; at says where it was written (null: the statement's own line). */
    static InetAddress ip(Source at, String text) throws ValueException {
        try {
            return IpAddress.parse(text).inet();
        } catch (ValueException e) {
            throw new ValueException(at, e.getMessage());
        }
    }

    /** An IPv4 literal; at says where it was written (null: the statement's own line). */
    static InetAddress ipv4(Source at, String text) throws ValueException {
        IpAddress a;
        try {
            a = IpAddress.parse(text);
        } catch (ValueException e) {
            throw new ValueException(at, e.getMessage());
        }
        if (a.af() != 4) throw new ValueException(at, text + ": an IPv4 address is needed here");
        InetAddress inet = a.inet();
        if (!(inet instanceof Inet4Address)) throw new ValueException(at, text + " is not an IPv4 address");
        return inet;
    }
}
