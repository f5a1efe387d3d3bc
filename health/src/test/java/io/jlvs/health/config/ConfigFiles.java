package io.jlvs.health.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    static KeepalivedConfig parse(Path dir, String text) throws ConfigException {
        return KeepalivedParser.parse(write(dir, "keepalived.conf", text));
    }
}
