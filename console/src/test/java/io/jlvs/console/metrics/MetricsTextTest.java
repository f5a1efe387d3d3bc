package io.jlvs.console.metrics;

import static io.jlvs.console.metrics.DirectorFixture.DNS;
import static io.jlvs.console.metrics.DirectorFixture.WEB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.FakeDirectorRuntime;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A scrape of two services of two servers each, parsed back, in both formats. */
class MetricsTextTest {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
            + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    private final DirectorFixture director = new DirectorFixture();

    @Test
    void theContentTypeFollowsTheAcceptHeader() {
        DirectorMetrics metrics = director.metrics();
        assertEquals(TEXT, metrics.contentType(null));
        assertEquals(TEXT, metrics.contentType("*/*"));
        assertEquals(TEXT, metrics.contentType("text/plain;version=0.0.4"));
        assertEquals(TEXT, metrics.contentType("application/vnd.google.protobuf;"
                + "proto=io.prometheus.client.MetricFamily;encoding=delimited"));
        assertEquals(OPEN_METRICS, metrics.contentType("application/openmetrics-text; version=1.0.0"));
        assertEquals(OPEN_METRICS, metrics.contentType(PROMETHEUS_ACCEPT));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = PROMETHEUS_ACCEPT)
    void servicesCountTheirConnectionsPacketsAndBytesByDirection(String accept) {
        Scrape scrape = Scrape.of(director.metrics(), accept);
        scrape.assertValue(12, "jlvs_service_connections_total", "service", "tcp/10.0.0.1:80");
        scrape.assertValue(80, "jlvs_service_packets_total", "service", "tcp/10.0.0.1:80", "direction", "in");
        scrape.assertValue(64, "jlvs_service_packets_total", "service", "tcp/10.0.0.1:80", "direction", "out");
        scrape.assertValue(6100, "jlvs_service_bytes_total", "service", "tcp/10.0.0.1:80", "direction", "in");
        scrape.assertValue(54000, "jlvs_service_bytes_total", "service", "tcp/10.0.0.1:80", "direction", "out");
        scrape.assertValue(7, "jlvs_service_connections_total", "service", "udp/[2001:db8::1]:53");
        scrape.assertValue(420, "jlvs_service_bytes_total", "service", "udp/[2001:db8::1]:53", "direction", "in");
        scrape.assertValue(1100, "jlvs_service_bytes_total", "service", "udp/[2001:db8::1]:53", "direction", "out");
        assertEquals(2, scrape.count("jlvs_service_connections_total"));
        assertEquals(4, scrape.count("jlvs_service_packets_total"));
        assertEquals(4, scrape.count("jlvs_service_bytes_total"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = PROMETHEUS_ACCEPT)
    void realServersCountTheirConnectionsPacketsAndBytesAndShowTheirWeightAndOpenConnections(String accept) {
        Scrape scrape = Scrape.of(director.metrics(), accept);
        String web = "tcp/10.0.0.1:80";
        scrape.assertValue(8, "jlvs_real_server_connections_total", "service", web, "server", "10.0.1.1:80");
        scrape.assertValue(50, "jlvs_real_server_packets_total", "service", web, "server", "10.0.1.1:80",
                "direction", "in");
        scrape.assertValue(40, "jlvs_real_server_packets_total", "service", web, "server", "10.0.1.1:80",
                "direction", "out");
        scrape.assertValue(4000, "jlvs_real_server_bytes_total", "service", web, "server", "10.0.1.1:80",
                "direction", "in");
        scrape.assertValue(36000, "jlvs_real_server_bytes_total", "service", web, "server", "10.0.1.1:80",
                "direction", "out");
        scrape.assertValue(3, "jlvs_real_server_active_connections", "service", web, "server", "10.0.1.1:80");
        scrape.assertValue(1, "jlvs_real_server_inactive_connections", "service", web, "server", "10.0.1.1:80");
        scrape.assertValue(3, "jlvs_real_server_weight", "service", web, "server", "10.0.1.1:80");
        scrape.assertValue(0, "jlvs_real_server_weight", "service", web, "server", "10.0.1.2:80");
        scrape.assertValue(0, "jlvs_real_server_active_connections", "service", web, "server", "10.0.1.2:80");
        scrape.assertValue(2, "jlvs_real_server_inactive_connections", "service", web, "server", "10.0.1.2:80");

        String dns = "udp/[2001:db8::1]:53";
        scrape.assertValue(5, "jlvs_real_server_connections_total", "service", dns, "server", "[2001:db8::2]:53");
        scrape.assertValue(800, "jlvs_real_server_bytes_total", "service", dns, "server", "[2001:db8::2]:53",
                "direction", "out");
        // A server the runtime has no statistics for yet is listed with zeros, as jlvsadm -L shows it.
        scrape.assertValue(0, "jlvs_real_server_connections_total", "service", dns, "server", "[2001:db8::3]:53");
        scrape.assertValue(0, "jlvs_real_server_active_connections", "service", dns, "server", "[2001:db8::3]:53");
        scrape.assertValue(0, "jlvs_real_server_inactive_connections", "service", dns, "server",
                "[2001:db8::3]:53");
        scrape.assertValue(2, "jlvs_real_server_weight", "service", dns, "server", "[2001:db8::3]:53");

        assertEquals(4, scrape.count("jlvs_real_server_connections_total"));
        assertEquals(8, scrape.count("jlvs_real_server_packets_total"));
        assertEquals(8, scrape.count("jlvs_real_server_bytes_total"));
        assertEquals(4, scrape.count("jlvs_real_server_active_connections"));
        assertEquals(4, scrape.count("jlvs_real_server_inactive_connections"));
        assertEquals(4, scrape.count("jlvs_real_server_weight"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = PROMETHEUS_ACCEPT)
    void theHealthEngineGivesUpAndQuorumButNothingForUncheckedServers(String accept) {
        Scrape scrape = Scrape.of(director.metrics(), accept);
        String web = "tcp/10.0.0.1:80", dns = "udp/[2001:db8::1]:53";
        scrape.assertValue(1, "jlvs_real_server_up", "service", web, "server", "10.0.1.1:80");
        scrape.assertValue(1, "jlvs_real_server_up", "service", web, "server", "10.0.1.2:80");
        scrape.assertValue(0, "jlvs_real_server_up", "service", dns, "server", "[2001:db8::2]:53");
        assertEquals(3, scrape.count("jlvs_real_server_up"), "the UNCHECKED server has no up sample");
        scrape.assertValue(1, "jlvs_service_quorum_held", "service", web);
        scrape.assertValue(0, "jlvs_service_quorum_held", "service", dns);
    }

    /** A server the health engine took out of its service (weight -1) is not listed, but its health still shows. */
    @Test
    void aServerOutOfTheListingStillShowsItsHealth() {
        long gone = Addresses.mappedLo(0x0A00_0109);
        List<ServerHealth> servers = new ArrayList<>(director.health.get(0).servers());
        servers.add(0, new ServerHealth(0, gone, 80, ServerState.DOWN,
                1L, 1, -1, false, "", "", 0, 0, 0, 0, 0));
        var web = director.health.get(0);
        director.health.set(0, new ServiceHealth(web.key(), web.virtualServer(), web.quorum(),
                web.hysteresis(), web.liveWeight(), web.quorumHeld(), web.sorryActive(), servers));
        Scrape scrape = Scrape.of(director.metrics(), null);
        scrape.assertValue(0, "jlvs_real_server_up", "service", "tcp/10.0.0.1:80", "server", "10.0.1.9:80");
        scrape.assertValue(1, "jlvs_real_server_up", "service", "tcp/10.0.0.1:80", "server", "10.0.1.1:80");
        assertEquals(4, scrape.count("jlvs_real_server_up"));
        assertEquals(4, scrape.count("jlvs_real_server_weight"), "not listed, so no weight");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = PROMETHEUS_ACCEPT)
    void vrrpInstancesShowTheirStateAsOneOfFivePriorityAndAdverts(String accept) {
        Scrape scrape = Scrape.of(director.metrics(), accept);
        for (String state : List.of("INIT", "BACKUP", "FAULT", "STOPPED")) {
            scrape.assertValue(0, "jlvs_vrrp_state", "instance", "VI_1", "state", state);
        }
        scrape.assertValue(1, "jlvs_vrrp_state", "instance", "VI_1", "state", "MASTER");
        assertEquals(5, scrape.count("jlvs_vrrp_state"));
        scrape.assertValue(110, "jlvs_vrrp_effective_priority", "instance", "VI_1");
        scrape.assertValue(42, "jlvs_vrrp_adverts_sent_total", "instance", "VI_1");
        scrape.assertValue(7, "jlvs_vrrp_adverts_received_total", "instance", "VI_1");
        scrape.assertValue(1, "jlvs_vrrp_adverts_dropped_total", "instance", "VI_1");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = PROMETHEUS_ACCEPT)
    void theDataPlaneGivesTheTableTheDropsByReasonAndTheWorkers(String accept) {
        Scrape scrape = Scrape.of(director.metrics(), accept);
        scrape.assertValue(40, "jlvs_connection_table_entries");
        scrape.assertValue(1 << 20, "jlvs_connection_table_capacity");
        scrape.assertValue(17, "jlvs_drops_total", "reason", "no_service");
        scrape.assertValue(0, "jlvs_drops_total", "reason", "standby");
        scrape.assertValue(3, "jlvs_drops_total", "reason", "ttl_expired");
        scrape.assertValue(12, "jlvs_sync_imported_connections_total", "result", "created");
        scrape.assertValue(2, "jlvs_sync_imported_connections_total", "result", "stale");
        scrape.assertValue(1000, "jlvs_worker_frames_received_total", "worker", "0");
        scrape.assertValue(1980, "jlvs_worker_frames_sent_total", "worker", "1");
        scrape.assertValue(2, "jlvs_worker_ring_drops_total", "worker", "0");
        scrape.assertValue(1, "jlvs_worker_transmit_full_total", "worker", "0");
        scrape.assertValue(0, "jlvs_worker_transmit_full_total", "worker", "1");
        scrape.assertValue(7, "jlvs_worker_afxdp_events_total", "worker", "1", "event", "rx_ring_full");
        scrape.assertValue(3, "jlvs_worker_afxdp_events_total", "worker", "1", "event", "rx_fill_ring_empty_descs");
    }

    /** Counters are counters with _total samples; gauges have none; every family has its help. */
    @Test
    void theTextFormatTypesEveryFamilyAndCountersEndInTotal() {
        Scrape scrape = Scrape.of(director.metrics(), null);
        assertEquals(25, scrape.types.size(), () -> "families: " + scrape.types.keySet());
        scrape.types.forEach((name, type) -> {
            assertTrue(name.startsWith("jlvs_"), name);
            assertTrue(scrape.text.contains("# HELP " + name + " "), () -> name + " has no help");
            assertEquals(type.equals("counter"), name.endsWith("_total"), () -> name + " is a " + type);
            assertTrue(type.equals("counter") || type.equals("gauge"), name + " is a " + type);
        });
        for (String sample : scrape.sampleNames) {
            assertTrue(scrape.types.containsKey(sample), () -> sample + " has no TYPE line");
        }
        assertFalse(scrape.text.contains("_created"), "no created timestamps");
    }

    /**
     * OpenMetrics names a counter's family without _total and its samples with it, gives the unit of the byte
     * counters, and ends with # EOF.
     */
    @Test
    void openMetricsNamesCounterFamiliesWithoutTotalAndEndsWithEof() {
        Scrape scrape = Scrape.of(director.metrics(), OPEN_METRICS);
        assertTrue(scrape.text.endsWith("# EOF\n"), "ends with # EOF");
        assertEquals(1, Pattern.compile("^# EOF$", Pattern.MULTILINE).matcher(scrape.text).results().count());
        assertEquals(25, scrape.types.size(), () -> "families: " + scrape.types.keySet());
        for (Map.Entry<String, String> family : scrape.types.entrySet()) {
            String name = family.getKey();
            assertFalse(name.endsWith("_total"), name);
            assertTrue(scrape.text.contains("# HELP " + name + " "), () -> name + " has no help");
            String sampleName = family.getValue().equals("counter") ? name + "_total" : name;
            assertTrue(scrape.count(sampleName) > 0, () -> name + " has no sample " + sampleName);
        }
        assertTrue(scrape.text.contains("# UNIT jlvs_service_bytes bytes\n"));
        assertTrue(scrape.text.contains("# UNIT jlvs_real_server_bytes bytes\n"));
        assertFalse(scrape.text.contains("_created"), "no created timestamps");
    }

    @Test
    void aDirectorWithoutHealthChecksVrrpOrDataPlaneGivesItsServicesAlone() {
        FakeDirectorRuntime runtime = new FakeDirectorRuntime();
        AdmExecutor executor = new AdmExecutor(runtime);
        executor.execute("-A -t 10.0.0.1:80 -s rr".split(" "), new StringBuilder(), new StringBuilder());
        executor.execute("-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m".split(" "), new StringBuilder(), new StringBuilder());
        Scrape scrape = Scrape.of(new DirectorMetrics(executor, DataPlaneTelemetry.NONE), null);
        scrape.assertValue(1, "jlvs_real_server_weight", "service", "tcp/10.0.0.1:80", "server", "10.0.1.1:80");
        scrape.assertValue(0, "jlvs_connection_table_entries");
        for (String absent : List.of("jlvs_real_server_up", "jlvs_service_quorum_held", "jlvs_vrrp_state",
                "jlvs_drops_total", "jlvs_worker_frames_received_total")) {
            scrape.assertAbsent(absent);
        }
    }

    @Test
    void anEmptyDirectorScrapesToTheDataPlaneAlone() {
        Scrape scrape = Scrape.of(new DirectorMetrics(new AdmExecutor(new FakeDirectorRuntime()),
                DataPlaneTelemetry.NONE), null);
        assertEquals(List.of("jlvs_connection_table_capacity", "jlvs_connection_table_entries"),
                scrape.sampleNames);
    }

    /** Every scrape lists the configuration in force: a server removed, added or reweighted shows at once. */
    @Test
    void aChangedConfigurationShowsInTheNextScrape() {
        director.health = List.of();
        DirectorMetrics metrics = director.metrics();
        Scrape.of(metrics, null);
        director.run("-d -t 10.0.0.1:80 -r 10.0.1.2:80");
        director.run("-a -t 10.0.0.1:80 -r 10.0.1.3:80 -m -w 5");
        director.run("-e -u [2001:db8::1]:53 -r [2001:db8::3]:53 -g -w 9");
        Scrape scrape = Scrape.of(metrics, null);
        assertFalse(scrape.text.contains("server=\"10.0.1.2:80\",service=\"tcp/10.0.0.1:80\"}"), scrape.text);
        scrape.assertValue(5, "jlvs_real_server_weight", "service", "tcp/10.0.0.1:80", "server", "10.0.1.3:80");
        scrape.assertValue(0, "jlvs_real_server_bytes_total", "service", "tcp/10.0.0.1:80", "server",
                "10.0.1.3:80", "direction", "in");
        scrape.assertValue(9, "jlvs_real_server_weight", "service", "udp/[2001:db8::1]:53", "server",
                "[2001:db8::3]:53");
        assertEquals(4, scrape.count("jlvs_real_server_weight"));

        director.run("-D -u [2001:db8::1]:53");
        scrape = Scrape.of(metrics, null);
        assertEquals(1, scrape.count("jlvs_service_connections_total"));
        assertEquals(2, scrape.count("jlvs_real_server_weight"));
    }

    /** Counters read at scrape time: a second scrape shows the new values. */
    @Test
    void countersAreReadAtEveryScrape() {
        DirectorMetrics metrics = director.metrics();
        Scrape.of(metrics, null).assertValue(12, "jlvs_service_connections_total", "service", "tcp/10.0.0.1:80");
        director.runtime.setServiceStats(WEB, new ServiceStats(13, 81, 65, 6200, 55000, 0, 0, 0, 0, 0));
        director.telemetry.noServiceDrops = 18;
        Scrape scrape = Scrape.of(metrics, null);
        scrape.assertValue(13, "jlvs_service_connections_total", "service", "tcp/10.0.0.1:80");
        scrape.assertValue(18, "jlvs_drops_total", "reason", "no_service");
    }

    @Test
    void aFailingStatusLeavesTheListingAndTheDataPlane() {
        director.statusFailure = new IllegalStateException("health engine stopped");
        Scrape scrape = Scrape.of(director.metrics(), null);
        scrape.assertAbsent("jlvs_real_server_up");
        scrape.assertValue(12, "jlvs_service_connections_total", "service", "tcp/10.0.0.1:80");
        scrape.assertValue(17, "jlvs_drops_total", "reason", "no_service");
        // The VRRP instances were sent before the services' health failed.
        scrape.assertValue(1, "jlvs_vrrp_state", "instance", "VI_1", "state", "MASTER");
    }

    @Test
    void aFailingDataPlaneReadLeavesTheOtherFamilies() {
        director.telemetry.workersFailure = new IllegalStateException("worker gone");
        Scrape scrape = Scrape.of(director.metrics(), null);
        scrape.assertAbsent("jlvs_worker_frames_received_total");
        scrape.assertValue(17, "jlvs_drops_total", "reason", "no_service");
        scrape.assertValue(40, "jlvs_connection_table_entries");
        scrape.assertValue(12, "jlvs_service_connections_total", "service", "tcp/10.0.0.1:80");
    }

    @Test
    void aFailingListingLeavesTheStatusAndTheDataPlane() {
        AdmExecutor broken = new AdmExecutor(new UnreadableStatsRuntime(director.runtime));
        broken.setOperations(director.operations());
        Scrape scrape = Scrape.of(new DirectorMetrics(broken, director.telemetry), null);
        scrape.assertAbsent("jlvs_service_connections_total");
        scrape.assertAbsent("jlvs_real_server_weight");
        scrape.assertValue(1, "jlvs_real_server_up", "service", "tcp/10.0.0.1:80", "server", "10.0.1.1:80");
        scrape.assertValue(17, "jlvs_drops_total", "reason", "no_service");
    }

    /** A count below zero cannot be a counter's: that sample is left out, the rest of its family stays. */
    @Test
    void aNegativeCountIsLeftOutOfItsFamilyAlone() {
        director.runtime.setServiceStats(DNS, new ServiceStats(-1, 7, 7, 420, 1100, 0, 0, 0, 0, 0));
        Scrape scrape = Scrape.of(director.metrics(), null);
        assertEquals(1, scrape.count("jlvs_service_connections_total"));
        scrape.assertValue(12, "jlvs_service_connections_total", "service", "tcp/10.0.0.1:80");
        scrape.assertValue(7, "jlvs_service_packets_total", "service", "udp/[2001:db8::1]:53", "direction", "in");
    }

    /** IPv4 and IPv6 firewall-mark services of one mark are two services: fwm/MARK and fwm6/MARK. */
    @Test
    void theIpv4AndIpv6FwmarkServicesOfOneMarkAreTwoServices() {
        director.run("-A -f 7 -s rr");
        director.run("-A -f 7 -6 -s rr");
        Scrape scrape = Scrape.of(director.metrics(), null);
        assertEquals(4, scrape.count("jlvs_service_connections_total"));
        scrape.assertValue(0, "jlvs_service_connections_total", "service", "fwm/7");
        scrape.assertValue(0, "jlvs_service_connections_total", "service", "fwm6/7");
    }
}
