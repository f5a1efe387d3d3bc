package io.jlvs.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a command line into options the way popt does for ipvsadm: clustered short options (-Ln, -At addr,
 * -p360), long options with "=value" or a separate value, optional values (-p [timeout]) taken from the next word
 * only when it does not start with '-', and words that are not options kept aside (poptGetArg).
 */
final class OptionScanner {
    enum ArgKind { NONE, REQUIRED, OPTIONAL }

    /** An option definition: long name, short letter (0 = none), value kind. */
    record Def(String longName, char shortName, ArgKind arg) {}

    /** The result of one step: an option with its value (null when none), or the end, or an error. */
    record Token(Def def, String value, String raw, String error) {
        boolean isEnd() { return def == null && error == null; }
        boolean isError() { return error != null; }
    }

    static final String BAD_OPTION = "unknown option";
    static final String NO_ARG = "missing argument";
    static final String UNWANTED_ARG = "option does not take an argument";

    /** Definitions indexed once: by long name, and by short letter (ASCII). */
    static final class Index {
        private final Map<String, Def> byLong = new HashMap<>();
        private final Def[] byShort = new Def[128];

        Index(List<Def> defs) {
            for (Def d : defs) {
                byLong.putIfAbsent(d.longName(), d);
                if (d.shortName() != 0) byShort[d.shortName()] = d;
            }
        }
    }

    private final Index defs;
    private final String[] argv;
    private final List<String> leftover = new ArrayList<>();
    private int next;
    private String cluster;      // the word being read as clustered short options
    private int clusterPos;
    private boolean onlyArgs;    // after "--"

    OptionScanner(Index defs, String[] argv) {
        this.defs = defs;
        this.argv = argv;
    }

    /** Words that were not options, in order (valid once next() returned the end). */
    List<String> leftover() { return leftover; }

    Token next() {
        if (cluster != null) return nextShort();
        while (next < argv.length) {
            String word = argv[next++];
            if (onlyArgs || word.length() < 2 || word.charAt(0) != '-') {
                leftover.add(word);
                continue;
            }
            if (word.equals("--")) {
                onlyArgs = true;
                continue;
            }
            if (word.startsWith("--")) return longOption(word);
            cluster = word;
            clusterPos = 1;
            return nextShort();
        }
        return new Token(null, null, null, null);
    }

    private Token longOption(String word) {
        int eq = word.indexOf('=');
        String name = eq < 0 ? word.substring(2) : word.substring(2, eq);
        Def def = defs.byLong.get(name);
        if (def == null) return new Token(null, null, word, BAD_OPTION);
        String value = eq < 0 ? null : word.substring(eq + 1);
        switch (def.arg()) {
            case NONE -> {
                if (value != null) return new Token(null, null, word, UNWANTED_ARG);
            }
            case REQUIRED -> {
                if (value == null) {
                    if (next >= argv.length) return new Token(null, null, word, NO_ARG);
                    value = argv[next++];
                }
            }
            case OPTIONAL -> {
                if (value == null && next < argv.length && !argv[next].startsWith("-")) value = argv[next++];
            }
        }
        return new Token(def, value, word, null);
    }

    private Token nextShort() {
        String word = cluster;
        char c = word.charAt(clusterPos++);
        boolean last = clusterPos >= word.length();
        Def def = c < 128 ? defs.byShort[c] : null;
        if (def == null) {
            cluster = null;
            return new Token(null, null, word, BAD_OPTION);
        }
        String value = null;
        if (def.arg() != ArgKind.NONE) {
            if (!last) {
                value = word.substring(clusterPos);
                last = true;
            } else if (def.arg() == ArgKind.REQUIRED) {
                if (next >= argv.length) {
                    cluster = null;
                    return new Token(null, null, word, NO_ARG);
                }
                value = argv[next++];
            } else if (next < argv.length && !argv[next].startsWith("-")) {
                value = argv[next++];
            }
        }
        if (last) cluster = null;
        return new Token(def, value, word, null);
    }
}
