package io.jlvs.control;

import io.jlvs.control.OptionTable.Opt;
import java.util.EnumSet;
import java.util.List;

/** ipvsadm's tunnel_types_v_options: which --tun-* options each tunnel type needs or forbids. */
final class TunnelOptions {
    static final List<String> TYPES = List.of("ipip", "gue", "gre");
    private static final Opt[] COLUMNS = {Opt.TUN_PORT, Opt.TUN_NOCSUM, Opt.TUN_CSUM, Opt.TUN_REMCSUM};
    // columns: tun-port tun-nocsum tun-csum tun-remcsum; '+' required, 'x' illegal, '1' exclusive
    private static final String[] ROWS = {"xxxx", "+111", "x111"};

    private TunnelOptions() {}

    static void check(String type, EnumSet<Opt> options) throws AdmException {
        String row = ROWS[TYPES.indexOf(type)];
        Opt firstExclusive = null;
        for (int j = 0; j < COLUMNS.length; j++) {
            Opt opt = COLUMNS[j];
            char rule = row.charAt(j);
            if (!options.contains(opt)) {
                if (rule == '+')
                    throw AdmException.syntax("You need to supply the '" + opt.optName + "' option for the '" + type + "' tunnel type");
            } else {
                if (rule == 'x')
                    throw AdmException.syntax("Illegal '" + opt.optName + "' option with the '" + type + "' tunnel type");
                if (rule == '1') {
                    if (firstExclusive == null) {
                        firstExclusive = opt;
                        continue;
                    }
                    throw AdmException.syntax("The option '" + opt.optName + "' conflicts with the '"
                            + firstExclusive.optName + "' option in the '" + type + "' tunnel type");
                }
            }
        }
    }
}
