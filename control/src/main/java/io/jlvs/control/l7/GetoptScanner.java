package io.jlvs.control.l7;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into options the way glibc's getopt_long does for tcpvsadm: words that are not options
 * are set aside (permuted to the end) and kept as leftovers, "--" ends the options, short options cluster (-Ln,
 * -iweb), a required value is the rest of the word or the next word whatever it starts with, long options take
 * "=value" or the next word and may be abbreviated to a unique prefix. Errors carry getopt's own message.
 */
final class GetoptScanner {
    /** An option: long name, short letter (0: none), whether it takes a value. */
    record Def(String longName, char shortName, boolean hasValue) {}

    /** One option with its value (null when it takes none), or an error (def null), or the end (both null). */
    record Token(Def def, String value, String error) {
        boolean isEnd() { return def == null && error == null; }

        boolean isError() { return error != null; }
    }

    private final String program;
    private final List<Def> defs;
    private final String[] argv;
    private final List<String> leftover = new ArrayList<>();
    private int next;
    private String cluster;
    private int clusterPos;

    GetoptScanner(String program, List<Def> defs, String[] argv) {
        this.program = program;
        this.defs = defs;
        this.argv = argv;
    }

    /** The words that were not options, in order; complete once next() returned the end. */
    List<String> leftover() { return leftover; }

    Token next() {
        if (cluster != null) return nextShort();
        while (next < argv.length) {
            String word = argv[next++];
            if (word.equals("--")) {
                while (next < argv.length) leftover.add(argv[next++]);
                break;
            }
            if (word.length() < 2 || word.charAt(0) != '-') {
                leftover.add(word);
                continue;
            }
            if (word.startsWith("--")) return longOption(word);
            cluster = word;
            clusterPos = 1;
            return nextShort();
        }
        return new Token(null, null, null);
    }

    private Token longOption(String word) {
        int eq = word.indexOf('=');
        String name = eq < 0 ? word.substring(2) : word.substring(2, eq);
        String value = eq < 0 ? null : word.substring(eq + 1);
        Def def = null;
        List<Def> candidates = new ArrayList<>();
        for (Def d : defs) {
            if (d.longName() == null) continue;
            if (d.longName().equals(name)) {
                def = d;
                break;
            }
            if (d.longName().startsWith(name)) candidates.add(d);
        }
        if (def == null && candidates.size() == 1) def = candidates.getFirst();
        if (def == null && candidates.size() > 1) {
            StringBuilder message = new StringBuilder(program + ": option '--" + name + "' is ambiguous; possibilities:");
            for (Def d : candidates) message.append(" '--").append(d.longName()).append('\'');
            return error(message.toString());
        }
        if (def == null) return error(program + ": unrecognized option '--" + name + "'");
        if (!def.hasValue() && value != null)
            return error(program + ": option '--" + def.longName() + "' doesn't allow an argument");
        if (def.hasValue() && value == null) {
            if (next >= argv.length) return error(program + ": option '--" + def.longName() + "' requires an argument");
            value = argv[next++];
        }
        return new Token(def, value, null);
    }

    private Token nextShort() {
        String word = cluster;
        char c = word.charAt(clusterPos++);
        boolean last = clusterPos >= word.length();
        Def def = null;
        for (Def d : defs) {
            if (d.shortName() == c) def = d;
        }
        if (def == null) {
            if (last) cluster = null;
            return error(program + ": invalid option -- '" + c + "'");
        }
        String value = null;
        if (def.hasValue()) {
            if (!last) {
                value = word.substring(clusterPos);
            } else if (next < argv.length) {
                value = argv[next++];
            } else {
                cluster = null;
                return error(program + ": option requires an argument -- '" + c + "'");
            }
            last = true;
        }
        if (last) cluster = null;
        return new Token(def, value, null);
    }

    private static Token error(String message) {
        return new Token(null, null, message);
    }
}
