package io.jlvs.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.net.URL;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logback.xml that ships in the daemon's jar: it parses, logs at INFO and keeps pcap4j at WARN. */
class LogbackConfigurationTest {
    @Test
    void theDaemonsLogbackXmlConfiguresWithoutErrors() throws Exception {
        URL config = Daemon.class.getResource("/logback.xml");
        assertNotNull(config, "logback.xml on the daemon's class path");
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
        List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() >= Status.WARN).toList();
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(Level.INFO, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.WARN, context.getLogger("org.pcap4j.core.PcapHandle").getEffectiveLevel());
        assertTrue(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT") != null);
        context.stop();
    }
}
