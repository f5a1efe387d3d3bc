package io.jlvs.health.config;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * keepalived's parameter substitution: a line {@code $NAME=value} defines NAME (for every later line, included
 * files too), and {@code $NAME} or {@code ${NAME}} in a later line is replaced by the value. A {@code $} not
 * followed by a name is kept as written.
 */
final class Definitions {
    private static final Pattern DEFINITION = Pattern.compile("^\\s*\\$([A-Za-z_][A-Za-z0-9_]*)\\s*=(.*)$");
    private static final Pattern REFERENCE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

    private final Map<String, String> values = new HashMap<>();

    /** Records the line as a definition and returns true, or returns false when it is not one. */
    boolean define(String line, Source source, Diagnostics diagnostics) {
        Matcher m = DEFINITION.matcher(line);
        if (!m.matches()) return false;
        values.put(m.group(1), expand(m.group(2).strip(), source, diagnostics));
        return true;
    }

    /** The line with every reference replaced; an undefined name is an error and expands to nothing. */
    String expand(String line, Source source, Diagnostics diagnostics) {
        if (line.indexOf('$') < 0) return line;
        Matcher m = REFERENCE.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = values.get(name);
            if (value == null) {
                diagnostics.error(source, "$" + name + ": not defined (define it with $" + name + "=VALUE first)");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
