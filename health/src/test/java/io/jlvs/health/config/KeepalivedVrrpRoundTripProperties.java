package io.jlvs.health.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generated valid vrrp_instance blocks parse back to the values written, with keepalived 2.2.7's completion: a
 * MASTER without priority has 255, no state starts as MASTER only at 255, nopreempt is cleared at 255 and with
 * MASTER, preempt_delay with MASTER or nopreempt.
 */
class KeepalivedVrrpRoundTripProperties {
    record Election(Optional<String> state, Optional<Integer> priority, boolean nopreempt, int preemptDelay) {}

    record Instance(int routerId, int version, int advertCentis, Election election, List<Integer> addressBytes,
                    List<Integer> trackWeights) {}

    @Provide
    Arbitrary<List<Instance>> instances() {
        Arbitrary<Election> election = Combinators.combine(Arbitraries.of("MASTER", "BACKUP").optional(),
                Arbitraries.integers().between(1, 255).optional(), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 1000)).as(Election::new);
        Arbitrary<Instance> instance = Arbitraries.of(2, 3).flatMap(v -> Combinators.combine(
                Arbitraries.integers().between(1, 255),
                Arbitraries.just(v),
                v == 2 ? Arbitraries.integers().between(1, 255).map(s -> s * 100)
                        : Arbitraries.integers().between(1, 4095),
                election,
                Arbitraries.integers().between(1, 254).list().ofMinSize(1).ofMaxSize(4).uniqueElements(),
                Arbitraries.integers().between(-253, 253).list().ofMaxSize(3))
                .as(Instance::new));
        return instance.list().ofMinSize(1).ofMaxSize(4).uniqueElements(Instance::routerId)
                .filter(l -> l.stream().flatMap(i -> i.addressBytes().stream()).distinct().count()
                        == l.stream().mapToLong(i -> i.addressBytes().size()).sum());
    }

    @Property(tries = 200)
    void instancesRoundTrip(@ForAll("instances") List<Instance> instances) throws IOException, ConfigException {
        StringBuilder text = new StringBuilder();
        for (Instance i : instances) {
            Election e = i.election();
            text.append("vrrp_instance VI_").append(i.routerId()).append(" {\n")
                .append("  interface eth0\n  virtual_router_id ").append(i.routerId()).append('\n')
                .append("  version ").append(i.version()).append('\n')
                .append("  advert_int ").append(BigDecimal.valueOf(i.advertCentis(), 2).stripTrailingZeros()
                        .toPlainString()).append('\n');
            e.state().ifPresent(s -> text.append("  state ").append(s).append('\n'));
            e.priority().ifPresent(p -> text.append("  priority ").append(p).append('\n'));
            if (e.nopreempt()) text.append("  nopreempt\n");
            if (e.preemptDelay() > 0) text.append("  preempt_delay ").append(e.preemptDelay()).append('\n');
            text.append("  virtual_ipaddress {\n");
            for (int b : i.addressBytes()) text.append("    10.0.0.").append(b).append("/24\n");
            text.append("  }\n  track_interface {\n");
            for (int t = 0; t < i.trackWeights().size(); t++)
                text.append("    eth").append(t + 1).append(" weight ").append(i.trackWeights().get(t)).append('\n');
            text.append("  }\n}\n");
        }
        Path dir = Files.createTempDirectory("keepalived");
        try {
            List<VrrpInstanceConfig> parsed = ConfigFiles.parse(dir, text.toString()).vrrpInstances();
            assertEquals(instances.size(), parsed.size());
            for (int n = 0; n < instances.size(); n++) {
                Instance i = instances.get(n);
                Election e = i.election();
                VrrpInstanceConfig c = parsed.get(n);
                boolean stateMaster = e.state().map("MASTER"::equals).orElse(false);
                int priority = e.priority().orElse(stateMaster ? 255 : 100);
                boolean master = e.state().isPresent() ? stateMaster : priority == 255;
                boolean nopreempt = e.nopreempt() && priority != 255 && !master;
                int delay = master || nopreempt ? 0 : e.preemptDelay();
                assertEquals(List.of("VI_" + i.routerId(), i.routerId(), i.version(), i.advertCentis(), priority,
                                master, nopreempt, delay),
                        List.of(c.name(), c.virtualRouterId(), c.version(), c.advertIntervalCentis(), c.priority(),
                                c.initialMaster(), c.nopreempt(), c.preemptDelaySeconds()));
                List<VrrpInstanceConfig.VirtualAddress> addresses = new java.util.ArrayList<>();
                for (int b : i.addressBytes())
                    addresses.add(new VrrpInstanceConfig.VirtualAddress(InetAddress.getByName("10.0.0." + b), 24, null));
                assertEquals(addresses, c.virtualAddresses());
                List<VrrpInstanceConfig.TrackedInterface> tracked = new java.util.ArrayList<>();
                for (int t = 0; t < i.trackWeights().size(); t++)
                    tracked.add(new VrrpInstanceConfig.TrackedInterface("eth" + (t + 1), i.trackWeights().get(t)));
                assertEquals(tracked, c.trackInterfaces());
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
