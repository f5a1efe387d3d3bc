package io.jlvs.health.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits keepalived.conf into words the way keepalived reads it, line by line: {@code #} and {@code !} start a
 * comment outside double quotes, double quotes group words, {@code {} and {@code }} are words of their own,
 * {@code $NAME=value} lines define parameters expanded in later lines, and a line {@code include PATTERN} is
 * replaced by the words of the files it names (an include cycle or a pattern matching nothing is an error).
 */
final class ConfigLexer {
    private final Diagnostics diagnostics;
    private final Definitions definitions = new Definitions();
    private final Deque<Path> reading = new ArrayDeque<>();
    private final List<Word> words = new ArrayList<>();

    private ConfigLexer(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The words of file and of everything it includes, each with the file and line it was written on. */
    static List<Word> read(Path file, Diagnostics diagnostics) {
        ConfigLexer lexer = new ConfigLexer(diagnostics);
        try {
            lexer.readFile(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            diagnostics.error(new Source(file, 0), "cannot read: " + reason(e));
        }
        return lexer.words;
    }

    private void readFile(Path file, List<String> lines) {
        reading.push(realPath(file));
        for (int i = 0; i < lines.size(); i++) {
            Source source = new Source(file, i + 1);
            String line = lines.get(i);
            if (definitions.define(line, source, diagnostics)) continue;
            List<Word> lineWords = split(definitions.expand(stripComment(line), source, diagnostics), source);
            if (!lineWords.isEmpty() && !lineWords.getFirst().quoted() && lineWords.getFirst().text().equals("include")) {
                include(lineWords, source);
            } else {
                words.addAll(lineWords);
            }
        }
        reading.pop();
    }

    private void include(List<Word> line, Source source) {
        if (line.size() != 2) {
            diagnostics.error(source, line.size() < 2 ? "include: missing file name" : "include: takes one file pattern");
            return;
        }
        String pattern = line.get(1).text();
        List<Path> files;
        try {
            files = IncludeResolver.resolve(source.file(), pattern);
        } catch (ValueException e) {
            diagnostics.error(source, "include: " + e.getMessage());
            return;
        }
        for (Path included : files) {
            if (reading.contains(realPath(included))) {
                diagnostics.error(source, "include: " + included + " is already being read (include cycle)");
                continue;
            }
            try {
                readFile(included, Files.readAllLines(included, StandardCharsets.UTF_8));
            } catch (IOException e) {
                diagnostics.error(source, "include: cannot read " + included + ": " + reason(e));
            }
        }
    }

    /** The line up to its first # or ! outside double quotes. */
    static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted && (c == '#' || c == '!')) return line.substring(0, i);
        }
        return line;
    }

    private List<Word> split(String line, Source source) {
        List<Word> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false, quotedWord = false, inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuotes) {
                if (c == '"') inQuotes = false;
                else current.append(c);
            } else if (c == '"') {
                inQuotes = true;
                inWord = true;
                quotedWord = true;
            } else if (Character.isWhitespace(c) || c == '{' || c == '}') {
                if (inWord) out.add(new Word(current.toString(), source, quotedWord));
                current.setLength(0);
                inWord = false;
                quotedWord = false;
                if (c == '{' || c == '}') out.add(new Word(String.valueOf(c), source, false));
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (inQuotes) diagnostics.error(source, "unterminated quoted string");
        if (inWord) out.add(new Word(current.toString(), source, quotedWord));
        return out;
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}
