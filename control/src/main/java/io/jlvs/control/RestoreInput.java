package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;

import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import java.util.ArrayList;
import java.util.List;

/** Splits -R input into argument vectors, as ipvsadm's config_stream: words, "quoted words", # comments. */
final class RestoreInput {
    private RestoreInput() {}

    /**
     * Parses -R input into the request the daemon runs: the commands of its lines in order. As ipvsadm, a line
     * with bad syntax ends the input: the lines before it are still applied, then its error is reported.
     */
    static ControlRequest.Restore parse(String text) {
        List<AdmCommand> commands = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            List<String> words = words(line);
            if (words.isEmpty()) continue;
            try {
                commands.add(IpvsadmParser.parseRestoreLine(words.toArray(String[]::new)));
            } catch (AdmException e) {
                return new ControlRequest.Restore(commands, new ControlReply.Failure(e.getMessage(), e.exitCode()));
            }
        }
        return new ControlRequest.Restore(commands, null);
    }

    /** The words of one line, without a leading "ipvsadm" (or any path ending in ipvsadm/jlvsadm). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false, quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') quoted = false;
                else w.append(c);
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else if (c == '#' && !inWord) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(w.toString());
        if (!words.isEmpty() && (words.getFirst().endsWith("ipvsadm") || words.getFirst().endsWith("jlvsadm")))
            words.removeFirst();
        return words;
    }
}
