package io.jlvs.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.jlvs.console.RecentEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the daemon's log events at INFO and above into the console's recent events, so that the console shows
 * the same events as the log (changes, health transitions, VRRP states, refusals).
 */
final class ConsoleLogAppender extends AppenderBase<ILoggingEvent> {
    private final RecentEvents events;

    private ConsoleLogAppender(RecentEvents events) {
        this.events = events;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.INFO)) return;
        String name = e.getLoggerName();
        events.add(e.getTimeStamp(), e.getLevel().toString(), name.substring(name.lastIndexOf('.') + 1),
                e.getFormattedMessage());
    }

    /** Attaches an appender to the root logger (when logback is the backend) and returns it, or null. */
    static ConsoleLogAppender attach(RecentEvents events) {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (!(root instanceof ch.qos.logback.classic.Logger logback)) return null;
        ConsoleLogAppender appender = new ConsoleLogAppender(events);
        appender.setContext(logback.getLoggerContext());
        appender.setName("console");
        appender.start();
        logback.addAppender(appender);
        return appender;
    }

    void detach() {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) logback.detachAppender(this);
        stop();
    }
}
