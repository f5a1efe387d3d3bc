package io.jlvs.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The daemon's log lines ({@code jlvs daemon --log-format}): text, "HH:mm:ss.SSS LEVEL Class: message", for a
 * terminal or journald (which stamps each line itself); or json, one JSON object per line (logback's JsonEncoder:
 * timestamp, level, loggerName, threadName, formattedMessage, throwable) for log shippers.
 */
public enum LogFormat {
    TEXT, JSON;

    public static LogFormat parse(String name) {
        for (LogFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) return f;
        }
        throw new IllegalArgumentException("the log format must be text or json, not '" + name + "'");
    }

    /** Switches the standard-output appender of logback.xml to this format (text is what the file sets). */
    public void apply() {
        if (this == TEXT) return;
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (!(root instanceof ch.qos.logback.classic.Logger logback)
                || !(logback.getAppender("STDOUT") instanceof ConsoleAppender<ILoggingEvent> stdout)) {
            root.warn("the logging backend is not logback with its STDOUT appender: --log-format {} has no effect",
                    name().toLowerCase(Locale.ROOT));
            return;
        }
        LoggerContext context = logback.getLoggerContext();
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        stdout.stop();
        stdout.setEncoder(encoder);
        stdout.start();
    }
}
