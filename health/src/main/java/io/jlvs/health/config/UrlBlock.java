package io.jlvs.health.config;

import java.util.BitSet;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** An HTTP_GET / SSL_GET {@code url { }} block: path (required), digest, status_code, regex, regex_no_match, virtualhost. */
final class UrlBlock {
    private static final int MIN_STATUS = 100, MAX_STATUS = 599;

    static final KeywordTable<UrlBlock> KEYWORDS = new KeywordTable<UrlBlock>("url")
            .leaf("path", (s, u) -> u.path = s.value())
            .leaf("digest", (s, u) -> u.digest = digest(s.value()))
            .leaf("status_code", (s, u) -> u.statusCodes = statusCodes(s))
            .leaf("regex", (s, u) -> u.regex = regex(s.value()))
            .leaf("regex_no_match", (s, u) -> { s.noValue(); u.regexNoMatch = true; })
            .leaf("virtualhost", (s, u) -> u.virtualhost = s.value());

    private String path;
    private String digest;
    private BitSet statusCodes;
    private Pattern regex;
    private boolean regexNoMatch;
    private String virtualhost;

    /** The url of a url statement, or null (with the error recorded) when it has no path. */
    static CheckerSpec.UrlSpec parse(Statement s, Diagnostics diagnostics) {
        UrlBlock u = new UrlBlock();
        KEYWORDS.apply(s.block(), u, diagnostics);
        if (u.path == null) {
            diagnostics.error(s.source(), "url: missing path");
            return null;
        }
        if (u.regexNoMatch && u.regex == null) diagnostics.error(s.source(), "url: regex_no_match without a regex");
        BitSet codes = u.statusCodes;
        if (codes == null) {
            codes = new BitSet();
            codes.set(200, 300);
        }
        return new CheckerSpec.UrlSpec(u.path, u.digest, codes, u.regex, u.regexNoMatch, u.virtualhost);
    }

    private static String digest(String text) throws ValueException {
        if (!text.matches("[0-9A-Fa-f]{32}")) throw new ValueException("'" + text + "' is not an MD5 digest (32 hex digits)");
        return text.toLowerCase(Locale.ROOT);
    }

    /** Codes and ranges, separated by blanks or commas: "200-299 401", "200,301". */
    private static BitSet statusCodes(Statement s) throws ValueException {
        if (s.argCount() == 0) throw new ValueException("missing value");
        BitSet codes = new BitSet();
        for (Word w : s.args()) {
            for (String item : w.text().split(",")) {
                if (item.isEmpty()) continue;
                int dash = item.indexOf('-');
                if (dash < 0) {
                    codes.set((int) Values.integer(item, MIN_STATUS, MAX_STATUS));
                } else {
                    int from = (int) Values.integer(item.substring(0, dash), MIN_STATUS, MAX_STATUS);
                    int to = (int) Values.integer(item.substring(dash + 1), MIN_STATUS, MAX_STATUS);
                    if (to < from) throw new ValueException("range " + item + " ends before it starts");
                    codes.set(from, to + 1);
                }
            }
        }
        return codes;
    }

    private static Pattern regex(String text) throws ValueException {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new ValueException("'" + text + "' is not a regular expression: " + e.getDescription());
        }
    }
}
