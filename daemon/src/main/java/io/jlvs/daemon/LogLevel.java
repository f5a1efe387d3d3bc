package io.jlvs.daemon;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The daemon's log level ({@code jlvs daemon --log-level}): the root level of logback, the daemon's logging
 * backend. Loggers that logback.xml sets on their own (pcap4j at WARN) keep their level.
 */
public enum LogLevel {
    ERROR(Level.ERROR), WARN(Level.WARN), INFO(Level.INFO), DEBUG(Level.DEBUG), TRACE(Level.TRACE);

    /** The accepted names, as the option spells them: "error|warn|info|debug|trace". */
    public static final String NAMES = Arrays.stream(values()).map(LogLevel::optionName).collect(Collectors.joining("|"));

    private final Level logbackLevel;

    LogLevel(Level logbackLevel) {
        this.logbackLevel = logbackLevel;
    }

    /** The name on the command line: lower case. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a level name, in any case; anything else is an IllegalArgumentException naming the accepted ones. */
    public static LogLevel parse(String name) {
        for (LogLevel level : values()) {
            if (level.name().equalsIgnoreCase(name)) return level;
        }
        throw new IllegalArgumentException("the log level must be one of " + NAMES + ", not '" + name + "'");
    }

    /** Sets the root logger's level; from now on every logger without a level of its own logs at this level. */
    public void applyToRoot() {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(logbackLevel);
        } else {
            root.warn("the logging backend is not logback ({}): --log-level {} has no effect",
                    root.getClass().getName(), optionName());
        }
    }
}
