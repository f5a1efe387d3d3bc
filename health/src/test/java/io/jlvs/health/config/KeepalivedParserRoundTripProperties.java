package io.jlvs.health.config;

import io.jlvs.control.ConfigChanges;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.RealServerConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Generated valid configurations parse back to the values written. */
class KeepalivedParserRoundTripProperties {
    record Server(int lastByte, int port, int weight, int retry, long connectTimeoutMillis) {}

    record Service(int vipLastByte, int port, String scheduler, String method, long delayLoopMillis,
                   int persistence, List<Server> servers) {}

    @Provide
    Arbitrary<Service> services() {
        Arbitrary<Server> server = Combinators.combine(Arbitraries.integers().between(1, 254),
                Arbitraries.integers().between(1, 65535), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 10), Arbitraries.longs().between(1, 60_000)).as(Server::new);
        return Combinators.combine(Arbitraries.integers().between(1, 254), Arbitraries.integers().between(0, 65535),
                        Arbitraries.of(ConfigChanges.SCHEDULERS), Arbitraries.of("NAT", "DR", "TUN"),
                        Arbitraries.longs().between(1, 3_600_000), Arbitraries.integers().between(0, 100_000),
                        server.list().ofMaxSize(5).uniqueElements(Server::lastByte))
                .as(Service::new);
    }

    @Property(tries = 200)
    void valuesRoundTrip(@ForAll("services") Service s) throws IOException, ConfigException {
        StringBuilder text = new StringBuilder();
        text.append("virtual_server 10.0.0.").append(s.vipLastByte()).append(' ').append(s.port()).append(" {\n")
            .append("  lvs_sched ").append(s.scheduler()).append('\n')
            .append("  lb_kind ").append(s.method()).append('\n')
            .append("  delay_loop ").append(seconds(s.delayLoopMillis())).append('\n');
        if (s.persistence() > 0) text.append("  persistence_timeout ").append(s.persistence()).append('\n');
        for (Server r : s.servers()) {
            text.append("  real_server 10.0.1.").append(r.lastByte()).append(' ').append(r.port()).append(" {\n")
                .append("    weight ").append(r.weight()).append('\n')
                .append("    retry ").append(r.retry()).append('\n')
                .append("    TCP_CHECK {\n      connect_timeout ").append(seconds(r.connectTimeoutMillis()))
                .append("\n    }\n  }\n");
        }
        text.append("}\n");
        Path dir = Files.createTempDirectory("keepalived");
        try {
            VirtualServer vs = ConfigFiles.parse(dir, text.toString()).virtualServers().getFirst();
            assertEquals(s.scheduler(), vs.services().getFirst().scheduler());
            assertEquals(s.port(), vs.services().getFirst().key().port());
            assertEquals(s.persistence(), vs.services().getFirst().persistTimeout());
            assertEquals(Duration.ofMillis(s.delayLoopMillis()), vs.delayLoop());
            ForwardMethod method = switch (s.method()) {
                case "NAT" -> ForwardMethod.MASQ;
                case "DR" -> ForwardMethod.ROUTE;
                default -> ForwardMethod.TUNNEL;
            };
            assertEquals(s.servers().size(), vs.realServers().size());
            for (int i = 0; i < s.servers().size(); i++) {
                Server r = s.servers().get(i);
                RealServer parsed = vs.realServers().get(i);
                assertEquals(RealServerConfig.of(0, Addresses.mappedLo((int) Addresses.parseV4("10.0.1." + r.lastByte())),
                        r.port(), method, r.weight()), parsed.config());
                CheckTiming timing = parsed.checkers().getFirst().timing();
                assertEquals(r.retry(), timing.retry());
                assertEquals(Duration.ofMillis(r.connectTimeoutMillis()), timing.connectTimeout());
                assertEquals(Duration.ofMillis(s.delayLoopMillis()), timing.delayLoop());
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }
}
