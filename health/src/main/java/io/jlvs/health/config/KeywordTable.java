package io.jlvs.health.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The keywords one kind of block accepts, each with what it does to the block's builder C. Applying a block
 * reports, each at its statement's line: a value the handler rejects ("KEYWORD: why"), a block where none is taken
 * or none where one is needed, keywords accepted and ignored (a warning saying why), keywords refused (an error
 * saying why), and unknown keywords (with the closest known one as a suggestion).
 *
 * @param <C> the builder the block's statements fill in
 */
final class KeywordTable<C> {
    /** What a keyword does to the builder; a ValueException rejects the statement. */
    @FunctionalInterface
    interface Handler<C> {
        void apply(Statement statement, C builder) throws ValueException;
    }

    private enum Shape { LEAF, BLOCK, ANY }

    private record Entry<C>(Shape shape, Handler<C> handler, String warning, String refusal) {}

    private final String blockName;
    private final Map<String, Entry<C>> entries = new LinkedHashMap<>();
    private Function<String, String> refusedPrefixes = keyword -> null;

    KeywordTable(String blockName) {
        this.blockName = blockName;
    }

    /** A keyword with values and no block. */
    KeywordTable<C> leaf(String keyword, Handler<C> handler) { return put(keyword, new Entry<>(Shape.LEAF, handler, null, null)); }

    /** A keyword that needs a { } block. */
    KeywordTable<C> block(String keyword, Handler<C> handler) { return put(keyword, new Entry<>(Shape.BLOCK, handler, null, null)); }

    /** A keyword accepted with or without a block and ignored, with a warning "KEYWORD: ignored, reason". */
    KeywordTable<C> ignore(String reason, String... keywords) {
        for (String k : keywords) put(k, new Entry<>(Shape.ANY, null, "ignored, " + reason, null));
        return this;
    }

    /** A keyword refused with an error "KEYWORD: reason". */
    KeywordTable<C> refuse(String reason, String... keywords) {
        for (String k : keywords) put(k, new Entry<>(Shape.ANY, null, null, reason));
        return this;
    }

    /** Refuses unlisted keywords for which reasonFor answers a reason (e.g. every vrrp_ keyword). */
    KeywordTable<C> refuseWhen(Function<String, String> reasonFor) {
        this.refusedPrefixes = reasonFor;
        return this;
    }

    /** Applies every statement of block to builder. */
    void apply(List<Statement> block, C builder, Diagnostics diagnostics) {
        for (Statement s : block) apply(s, builder, diagnostics);
    }

    void apply(Statement s, C builder, Diagnostics diagnostics) {
        Entry<C> entry = s.keyword().quoted() ? null : entries.get(s.name());
        if (entry == null) {
            String refusal = refusedPrefixes.apply(s.name());
            if (refusal != null) {
                diagnostics.error(s.source(), s.name() + ": " + refusal);
                return;
            }
            String suggestion = Suggestions.closest(s.name(), entries.keySet());
            diagnostics.error(s.source(), s.name() + ": unknown keyword in " + blockName
                    + (suggestion == null ? "" : "; did you mean " + suggestion + "?"));
            return;
        }
        if (entry.refusal() != null) {
            diagnostics.error(s.source(), s.name() + ": " + entry.refusal());
            return;
        }
        if (entry.warning() != null) {
            diagnostics.warning(s.source(), s.name() + ": " + entry.warning());
            return;
        }
        if (entry.shape() == Shape.LEAF && s.block() != null) {
            diagnostics.error(s.source(), s.name() + ": takes no { } block");
            return;
        }
        if (entry.shape() == Shape.BLOCK && s.block() == null) {
            diagnostics.error(s.source(), s.name() + ": needs a { } block");
            return;
        }
        try {
            entry.handler().apply(s, builder);
        } catch (ValueException e) {
            diagnostics.error(e.at() != null ? e.at() : s.source(), s.name() + ": " + e.getMessage());
        }
    }

    private KeywordTable<C> put(String keyword, Entry<C> entry) {
        if (entries.putIfAbsent(keyword, entry) != null)
            throw new IllegalStateException(keyword + " registered twice in " + blockName);
        return this;
    }
}
