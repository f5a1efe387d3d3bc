package io.jlvs.control.l7;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The checks of a rule's pattern, header name and match number; each returns the problem in words, or null. */
final class L7Patterns {
    private L7Patterns() {}

    /** Java's description of why pattern does not compile, or null when it does. */
    static String patternError(String pattern) {
        try {
            Pattern.compile(pattern);
            return null;
        } catch (PatternSyntaxException e) {
            return "invalid pattern: " + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")
                    + " in " + pattern;
        }
    }

    /** Whether the match number names a group of the (valid) pattern; null when it does. */
    static String matchGroupError(String pattern, int matchGroup) {
        int groups = Pattern.compile(pattern).matcher("").groupCount();
        if (matchGroup <= groups) return null;
        return "match number " + matchGroup + " is out of range: the pattern has "
                + (groups == 0 ? "no groups" : groups == 1 ? "1 group" : groups + " groups");
    }

    /** An HTTP field name is an RFC 9110 token; null when name is one. */
    static String headerError(String name) {
        if (name.isEmpty()) return "illegal header name specified";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!token) return "illegal header name specified";
        }
        return null;
    }

    /** The first problem of the rule's pattern, header and match number, or null. */
    static String ruleError(String pattern, String header, int matchGroup) {
        String error = patternError(pattern);
        if (error == null && header != null) error = headerError(header);
        if (error == null) error = matchGroupError(pattern, matchGroup);
        return error;
    }
}
