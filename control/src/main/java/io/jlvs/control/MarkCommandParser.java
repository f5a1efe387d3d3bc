package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.MarkRule;
import io.jlvs.control.model.Protocol;

/**
 * Parses the jlvs mark-rule commands, which stand in for the iptables MARK rules that feed the kernel's fwmark
 * services: {@code --mark MARK -P tcp|udp -d ADDR[/PREFIX] [--dport PORT[:PORT]]} adds a rule,
 * {@code --unmark MARK} with the same match removes it, {@code --list-marks} lists them. The match options follow
 * iptables (-P/-p protocol, -d destination, --dport), so they are parsed here and not by ipvsadm's option table,
 * where -d means delete-server.
 */
final class MarkCommandParser {
    private MarkCommandParser() {}

    /** Whether argv (without the program name) is a mark command. */
    static boolean handles(String[] argv) {
        if (argv.length == 0) return false;
        String first = optionName(argv[0]);
        return first.equals("--mark") || first.equals("--unmark") || first.equals("--list-marks");
    }

    static AdmCommand parse(String[] argv) throws AdmException {
        String command = optionName(argv[0]);
        if (command.equals("--list-marks")) {
            if (argv.length > 1) throw AdmException.syntax("--list-marks takes no options");
            return new AdmCommand.ListMarks();
        }
        int i = 0;
        String markText = null, protocolText = null, destinationText = null, portText = null;
        while (i < argv.length) {
            String raw = argv[i];
            String name = optionName(raw);
            String value;
            int eq = argv[i].indexOf('=');
            if (argv[i].startsWith("--") && eq > 0) {
                value = argv[i].substring(eq + 1);
                i++;
            } else {
                if (i + 1 >= argv.length) throw AdmException.syntax("option " + name + " requires an argument");
                value = argv[i + 1];
                i += 2;
            }
            switch (name) {
                case "--mark", "--unmark" -> {
                    if (markText != null) throw AdmException.syntax("multiple marks specified");
                    if (!name.equals(command)) throw AdmException.syntax("--mark and --unmark in one command");
                    markText = value;
                }
                case "-P", "-p", "--protocol" -> protocolText = once(protocolText, value, "protocol");
                case "-d", "--destination" -> destinationText = once(destinationText, value, "destination");
                case "--dport", "--destination-port" -> portText = once(portText, value, "destination port");
                default -> throw AdmException.syntax("invalid option `" + raw + "' for " + command
                        + " (takes -P tcp|udp -d ADDR[/PREFIX] [--dport PORT[:PORT]]; ADDR IPv4 or IPv6)");
            }
        }
        if (protocolText == null) throw AdmException.syntax(command + " needs -P tcp|udp");
        if (destinationText == null) throw AdmException.syntax(command + " needs -d ADDR[/PREFIX]");
        MarkRule rule = rule(markText, protocolText, destinationText, portText);
        return command.equals("--mark") ? new AdmCommand.AddMarkRule(rule) : new AdmCommand.RemoveMarkRule(rule);
    }

    private static MarkRule rule(String markText, String protocolText, String destinationText, String portText)
            throws AdmException {
        int mark = AddressArgs.parseNumber(markText, 1, Integer.MAX_VALUE);
        if (mark < 0) {
            long unsigned;
            try {
                unsigned = Long.parseLong(markText);
            } catch (NumberFormatException e) {
                unsigned = -1;
            }
            if (unsigned <= 0 || unsigned > 0xFFFF_FFFFL)
                throw AdmException.syntax("invalid fwmark value `" + markText + "' specified");
            mark = (int) unsigned;
        }
        Protocol protocol = switch (protocolText.toLowerCase()) {
            case "tcp", "6" -> Protocol.TCP;
            case "udp", "17" -> Protocol.UDP;
            default -> throw AdmException.syntax("mark rules match tcp or udp, not `" + protocolText + "'");
        };
        int slash = destinationText.indexOf('/');
        String host = slash < 0 ? destinationText : destinationText.substring(0, slash);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        long address = Addresses.parseV4(host);
        long[] v6 = new long[2];
        boolean ipv6 = address < 0 && Addresses.parseV6(host, v6);
        if (address < 0 && !ipv6) {
            throw AdmException.syntax("illegal IPv4 or IPv6 destination `" + destinationText + "'");
        }
        int maxPrefix = ipv6 ? 128 : 32;
        int prefix = maxPrefix;
        if (slash >= 0) {
            prefix = AddressArgs.parseNumber(destinationText.substring(slash + 1), 0, maxPrefix);
            if (prefix < 0) throw AdmException.syntax("illegal prefix length in `" + destinationText + "'");
        }
        int from = 0, to = 65535;
        if (portText != null) {
            int colon = portText.indexOf(':');
            from = AddressArgs.parseNumber(colon < 0 ? portText : portText.substring(0, colon), 0, 65535);
            to = colon < 0 ? from : AddressArgs.parseNumber(portText.substring(colon + 1), 0, 65535);
            if (from < 0 || to < 0 || from > to) throw AdmException.syntax("illegal port range `" + portText + "'");
        }
        return ipv6 ? new MarkRule(mark, protocol, 6, v6[0], v6[1], prefix, from, to)
                : new MarkRule(mark, protocol, (int) address, prefix, from, to);
    }

    private static String once(String previous, String value, String what) throws AdmException {
        if (previous != null) throw AdmException.syntax("multiple " + what + "s specified");
        return value;
    }

    private static String optionName(String arg) {
        int eq = arg.indexOf('=');
        return arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
    }
}
