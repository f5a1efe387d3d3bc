package io.jlvs.health.config;

import java.util.List;

/**
 * One statement: a keyword, the words after it on its line, and the statements of its {@code { }} block (null
 * when it has none).
 */
record Statement(Word keyword, List<Word> args, List<Statement> block) {
    Statement {
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
    }

    String name() { return keyword.text(); }

    Source source() { return keyword.source(); }

    int argCount() { return args.size(); }

    String arg(int i) { return args.get(i).text(); }

    /** The one value of the statement. */
    String value() throws ValueException {
        requireArgs(1, 1);
        return arg(0);
    }

    /** The value, or null when the statement has none. */
    String optionalValue() throws ValueException {
        requireArgs(0, 1);
        return args.isEmpty() ? null : arg(0);
    }

    /** A flag: a keyword with no value. */
    void noValue() throws ValueException {
        requireArgs(0, 0);
    }

    void requireArgs(int min, int max) throws ValueException {
        if (args.size() < min) throw new ValueException(min == 1 ? "missing value" : "missing values");
        if (args.size() > max) throw new ValueException("unexpected '" + arg(max) + "'");
    }
}
