package io.jlvs.health.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Test helpers: writing configuration texts and printing messages as FILE:LINE: message with the file's name only. */
final class ConfigFiles {
    private ConfigFiles() {}

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> render(List<ConfigMessage> messages) {
        return messages.stream()
                .map(m -> m.source().file().getFileName() + ":" + m.source().line() + ": " + m.message())
                .toList();
    }

    /** The file's errors are exactly {@code expected}; it gives a configuration only when there are none. */
    static void assertErrors(Path dir, String text, List<String> expected) {
        ParseReport report = KeepalivedParser.check(write(dir, "keepalived.conf", text));
        assertEquals(expected, render(report.errors()));
        if (expected.isEmpty()) assertNotNull(report.config());
        else assertNull(report.config());
    }

    static KeepalivedConfig parse(Path dir, String text) throws ConfigException {
        return KeepalivedParser.parse(write(dir, "keepalived.conf", text));
    }
}
