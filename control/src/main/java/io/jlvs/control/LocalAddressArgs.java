package io.jlvs.control;

import io.jlvs.control.model.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * --laddr's argument: the local addresses a service's FullNAT connections take their source from, as a
 * comma-separated list of dotted IPv4 addresses, unicast and each given once.
 */
final class LocalAddressArgs {
    private LocalAddressArgs() {}

    static List<Integer> parse(String arg) throws AdmException {
        List<Integer> out = new ArrayList<>();
        for (String part : arg.split(",", -1)) {
            long v4 = Addresses.parseV4(part.trim());
            if (v4 < 0) throw AdmException.syntax("illegal local address specified: `" + part + "'");
            int a = (int) v4, first = a >>> 24;
            if (a == 0 || a == -1 || first == 127 || (first >= 224))
                throw AdmException.syntax("illegal local address specified: `" + part + "' is not a unicast address");
            if (out.contains(a)) throw AdmException.syntax("local address `" + part + "' given twice");
            out.add(a);
        }
        return out;
    }
}
