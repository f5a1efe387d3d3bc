package io.jlvs.health.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups words into statements: a keyword takes the words after it on the same line, and a following
 * {@code {} (on that line or the next) opens its block up to the matching {@code }}. A brace that is never closed
 * is an error at the line that opened it; a closing brace without an opening one is an error at its line.
 */
final class StatementParser {
    private final List<Word> words;
    private final Diagnostics diagnostics;
    private int next;

    private StatementParser(List<Word> words, Diagnostics diagnostics) {
        this.words = words;
        this.diagnostics = diagnostics;
    }

    static List<Statement> parse(List<Word> words, Diagnostics diagnostics) {
        StatementParser parser = new StatementParser(words, diagnostics);
        List<Statement> top = new ArrayList<>();
        while (parser.next < words.size()) {
            Word w = words.get(parser.next);
            if (w.isCloseBrace()) {
                diagnostics.error(w.source(), "unexpected '}' without a matching '{'");
                parser.next++;
            } else {
                parser.statementsUntilClose(top);
            }
        }
        return top;
    }

    /** Reads statements into out until a '}' (left unread) or the end; returns whether a '}' stopped it. */
    private boolean statementsUntilClose(List<Statement> out) {
        while (next < words.size()) {
            Word w = words.get(next);
            if (w.isCloseBrace()) return true;
            if (w.isOpenBrace()) {
                diagnostics.error(w.source(), "unexpected '{' without a keyword before it");
                next++;
                block(w, "'{'");
                continue;
            }
            next++;
            List<Word> args = new ArrayList<>();
            while (next < words.size() && !words.get(next).isBrace()
                    && words.get(next).source().equals(w.source())) {
                args.add(words.get(next++));
            }
            List<Statement> block = null;
            if (next < words.size() && words.get(next).isOpenBrace()) {
                Word open = words.get(next++);
                block = block(open, w.text());
            }
            out.add(new Statement(w, args, block));
        }
        return false;
    }

    private List<Statement> block(Word open, String owner) {
        List<Statement> block = new ArrayList<>();
        if (statementsUntilClose(block)) {
            next++;
        } else {
            diagnostics.error(open.source(), owner + ": '{' is never closed");
        }
        return block;
    }
}
