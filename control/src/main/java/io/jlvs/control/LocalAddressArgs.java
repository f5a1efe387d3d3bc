package io.jlvs.control;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.Ipv6Address;
import java.util.ArrayList;
import java.util.List;

/**
 * --laddr's argument: the local addresses a service's FullNAT connections take their source from, as a
 * comma-separated list of unicast addresses of one family (dotted IPv4 or IPv6, brackets optional), each given once.
 */
final class LocalAddressArgs {
    private LocalAddressArgs() {}

    /** The addresses of one --laddr, in the order given: IPv4 ones or IPv6 ones, never both. */
    record Pool(List<Integer> v4, List<Ipv6Address> v6) {
        static final Pool EMPTY = new Pool(List.of(), List.of());

        boolean isEmpty() { return v4.isEmpty() && v6.isEmpty(); }

        /** 4 or 6; 0 when empty. */
        int af() { return !v4.isEmpty() ? 4 : !v6.isEmpty() ? 6 : 0; }
    }

    static Pool parse(String arg) throws AdmException {
        List<Integer> v4s = new ArrayList<>();
        List<Ipv6Address> v6s = new ArrayList<>();
        long[] v6 = new long[2];
        for (String part : arg.split(",", -1)) {
            String text = part.trim();
            if (text.startsWith("[") && text.endsWith("]")) text = text.substring(1, text.length() - 1);
            long v4 = Addresses.parseV4(text);
            if (v4 >= 0) {
                int a = (int) v4, first = a >>> 24;
                if (a == 0 || a == -1 || first == 127 || (first >= 224))
                    throw AdmException.syntax("illegal local address specified: `" + part + "' is not a unicast address");
                if (v4s.contains(a)) throw AdmException.syntax("local address `" + part + "' given twice");
                v4s.add(a);
            } else if (Addresses.parseV6(text, v6)) {
                Ipv6Address a = new Ipv6Address(v6[0], v6[1]);
                if (!unicastV6(a))
                    throw AdmException.syntax("illegal local address specified: `" + part + "' is not a unicast address");
                if (v6s.contains(a)) throw AdmException.syntax("local address `" + part + "' given twice");
                v6s.add(a);
            } else {
                throw AdmException.syntax("illegal local address specified: `" + part + "'");
            }
        }
        if (!v4s.isEmpty() && !v6s.isEmpty())
            throw AdmException.syntax("--laddr takes addresses of one family (IPv4 or IPv6), not both");
        return new Pool(v4s, v6s);
    }

    /** Not unspecified, loopback, IPv4-mapped, link-local (fe80::/10) or multicast (ff00::/8). */
    private static boolean unicastV6(Ipv6Address a) {
        long hi = a.hi(), lo = a.lo();
        if (hi == 0 && (lo == 0 || lo == 1)) return false;
        if (Addresses.isV4(hi, lo)) return false;
        int top = (int) (hi >>> 48);
        return (top & 0xFF00) != 0xFF00 && (top & 0xFFC0) != 0xFE80;
    }
}
