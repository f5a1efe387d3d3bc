package io.jlvs.health.config;

/**
 * One word of keepalived.conf as the lexer splits it: a run of non-blank characters, a double-quoted string
 * (quotes removed), or a brace.
 *
 * @param quoted the word was (partly) written in double quotes, so it is never a brace or a keyword
 */
record Word(String text, Source source, boolean quoted) {
    boolean isOpenBrace() { return !quoted && text.equals("{"); }

    boolean isCloseBrace() { return !quoted && text.equals("}"); }

    boolean isBrace() { return isOpenBrace() || isCloseBrace(); }
}
