package io.jlvs.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jlvs.console.RecentEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --log-format json writes one JSON object per event; the console's appender sees the same events. */
class LogFormatTest {
    private final PrintStream stdout = System.out;

    /** The test-jars' logback-test.xml sets WARN; these tests log at INFO, as the daemon does by default. */
    @org.junit.jupiter.api.BeforeEach
    void infoLevel() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.jlvs")).setLevel(ch.qos.logback.classic.Level.INFO);
    }

    /** The encoder the standard-output appender had, put back after each test. */
    private ch.qos.logback.core.encoder.Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder;

    @org.junit.jupiter.api.BeforeEach
    void rememberEncoder() {
        encoder = stdoutAppender() == null ? null : stdoutAppender().getEncoder();
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        var appender = stdoutAppender();
        if (appender != null && encoder != null) {
            appender.stop();
            appender.setEncoder(encoder);
            appender.start();
        }
    }

    @SuppressWarnings("unchecked")
    private static ch.qos.logback.core.ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> stdoutAppender() {
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        return root.getAppender("STDOUT") instanceof ch.qos.logback.core.ConsoleAppender<?> c
                ? (ch.qos.logback.core.ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>) c : null;
    }

    @Test
    void jsonIsOneObjectPerLineWithTheMessageAndLevel() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogFormat.JSON.apply();
        LoggerFactory.getLogger("io.jlvs.daemon.Probe").info("service {} added", "TCP 10.0.0.1:80");
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode event = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("service TCP 10.0.0.1:80 added", event.get("formattedMessage").asText());
        assertEquals("INFO", event.get("level").asText());
        assertEquals("io.jlvs.daemon.Probe", event.get("loggerName").asText());
    }

    @Test
    void theConsoleSeesTheEventsTheLogShowsFromInfoUp() {
        RecentEvents events = new RecentEvents();
        ConsoleLogAppender appender = ConsoleLogAppender.attach(events);
        try {
            LoggerFactory.getLogger("io.jlvs.health.engine.HealthEngine").info("real server {} DOWN", "10.0.1.2:80");
            LoggerFactory.getLogger("io.jlvs.health.engine.HealthEngine").debug("a detail the log does not show");
        } finally {
            appender.detach();
        }
        assertEquals(1, events.after(0).size());
        RecentEvents.Event e = events.after(0).getFirst();
        assertEquals("HealthEngine", e.source());
        assertEquals("real server 10.0.1.2:80 DOWN", e.message());
        assertEquals("INFO", e.level());
    }

    @Test
    void anUnknownFormatIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("xml"));
        assertTrue(e.getMessage().contains("text or json"));
    }
}
