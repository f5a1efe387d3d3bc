package io.jlvs.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLevelTest {
    @Test
    void parsesTheOptionNamesInAnyCase() {
        for (LogLevel level : LogLevel.values()) {
            assertEquals(level, LogLevel.parse(level.optionName()));
            assertEquals(level, LogLevel.parse(level.optionName().toUpperCase()));
        }
    }

    @Test
    void refusesAnUnknownNameAndSaysWhichAreAccepted() {
        var e = assertThrows(IllegalArgumentException.class, () -> LogLevel.parse("verbose"));
        assertEquals("the log level must be one of error|warn|info|debug|trace, not 'verbose'", e.getMessage());
    }

    @Test
    void applyToRootSetsTheLevelOfLoggersWithoutOneOfTheirOwn() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        try {
            LogLevel.DEBUG.applyToRoot();
            assertEquals(Level.DEBUG, root.getLevel());
            assertTrue(LoggerFactory.getLogger(Daemon.class).isDebugEnabled());
            LogLevel.ERROR.applyToRoot();
            assertFalse(LoggerFactory.getLogger(Daemon.class).isWarnEnabled());
        } finally {
            root.setLevel(before);
        }
    }
}
