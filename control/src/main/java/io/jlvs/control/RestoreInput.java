package io.jlvs.control;

import java.util.ArrayList;
import java.util.List;

/** Splits -R input into argument vectors, as ipvsadm's config_stream: words, "quoted words", # comments. */
final class RestoreInput {
    private RestoreInput() {}

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
