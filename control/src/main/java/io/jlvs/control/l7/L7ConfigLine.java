package io.jlvs.control.l7;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of one config file line, as KTCPVS's tokenizer splits them: separated by white space, a word in double
 * quotes may hold spaces (a backslash before a quote keeps both, for the pattern), and a word that starts with '#'
 * outside quotes starts a comment to the end of the line.
 */
record L7ConfigLine(int number, List<String> words) {
    L7ConfigLine {
        words = List.copyOf(words);
    }

    /** The words of text; an unterminated quote is an error in words. */
    static L7ConfigLine split(int number, String text) throws IllegalArgumentException {
        List<String> words = new ArrayList<>();
        int i = 0, n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') break;
            StringBuilder word = new StringBuilder();
            if (c == '"') {
                i++;
                while (true) {
                    if (i >= n) throw new IllegalArgumentException("unterminated quoted string");
                    char q = text.charAt(i++);
                    if (q == '"') break;
                    word.append(q);
                    if (q == '\\' && i < n && text.charAt(i) == '"') word.append(text.charAt(i++));
                }
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) word.append(text.charAt(i++));
            }
            words.add(word.toString());
        }
        return new L7ConfigLine(number, words);
    }

    boolean isEmpty() { return words.isEmpty(); }

    int size() { return words.size(); }

    String word(int i) { return words.get(i); }

    /** Whether word i is keyword, compared without case as KTCPVS does. */
    boolean is(int i, String keyword) {
        return i < words.size() && words.get(i).equalsIgnoreCase(keyword);
    }
}
