package io.jlvs.health.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Script values (notify_up, quorum_down, misc_path ...): either one word, possibly a quoted command line split into
 * arguments at blanks with double quotes grouping (keepalived's rule), or several words, each an argument.
 */
final class Scripts {
    private Scripts() {}

    static Script of(Statement s, String user) throws ValueException {
        if (s.argCount() == 0) throw new ValueException("missing script");
        List<String> argv;
        String commandLine;
        if (s.argCount() == 1) {
            commandLine = s.arg(0);
            argv = split(commandLine);
        } else {
            argv = s.args().stream().map(Word::text).toList();
            commandLine = s.args().stream().map(w -> w.text().contains(" ") ? '"' + w.text() + '"' : w.text())
                    .collect(Collectors.joining(" "));
        }
        if (argv.isEmpty()) throw new ValueException("empty script");
        return new Script(commandLine, argv, user);
    }

    /** Splits a command line at blanks; double quotes group blanks into one argument and are removed. */
    static List<String> split(String commandLine) throws ValueException {
        List<String> argv = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false, inQuotes = false;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (c == '"') {
                inQuotes = !inQuotes;
                inWord = true;
            } else if (!inQuotes && Character.isWhitespace(c)) {
                if (inWord) argv.add(current.toString());
                current.setLength(0);
                inWord = false;
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (inQuotes) throw new ValueException("unterminated quote in '" + commandLine + "'");
        if (inWord) argv.add(current.toString());
        return argv;
    }
}
