package io.jlvs.control.l7;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid layer-7 configurations and commands, for the property tests. */
public final class L7Arbitraries {
    private L7Arbitraries() {}

    public static Arbitrary<String> idents() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('0', '9', '_', '-', '.').ofMinLength(1)
                .ofMaxLength(L7Service.MAX_IDENT);
    }

    public static Arbitrary<L7Endpoint> endpoints() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 65535)).as(L7Endpoint::new);
    }

    public static Arbitrary<L7Options> options() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(L7Options.ProxyProtocol.class),
                Arbitraries.integers().map(OptionalInt::of).injectNull(0.5), Arbitraries.of(L7Options.Splice.class),
                checks())
                .as((xff, pp, source, splice, check) -> new L7Options(xff, pp,
                        source == null ? OptionalInt.empty() : source, splice, check));
    }

    /** Valid check settings of every kind, the default among them. */
    public static Arbitrary<L7Check> checks() {
        Arbitrary<L7Check> any = Combinators.combine(Arbitraries.of(L7Check.Kind.class), Arbitraries.of("/", "/health", "/a/b?c=d"),
                Arbitraries.of(0, 200, 204, 301, 599), Arbitraries.integers().between(1, L7Check.MAX_INTERVAL),
                Arbitraries.integers().between(1, L7Check.MAX_TIMEOUT),
                Arbitraries.integers().between(0, L7Check.MAX_RETRIES))
                .as((kind, path, status, interval, timeout, retries) -> kind == L7Check.Kind.HTTP
                        ? new L7Check(kind, path, status, interval, timeout, retries)
                        : new L7Check(kind, null, 0, interval, timeout, retries));
        return Arbitraries.oneOf(Arbitraries.just(L7Check.DEFAULT), any);
    }

    /** Patterns a config file holds as written: no quote, no trailing backslash. */
    public static Arbitrary<String[]> patternsWithGroups() {
        return Arbitraries.of(new String[] {".*", "0"}, new String[] {"^/.*", "0"}, new String[] {"/images/.*", "0"},
                new String[] {"^/users/([^/]+)/", "1"}, new String[] {"(a|b)(c+)", "2"}, new String[] {"\\.jpg$", "0"},
                new String[] {"^api\\.", "0"}, new String[] {"x{2,3} y", "0"});
    }

    /**
     * A valid service: distinct servers, and rules that each target one of them, built through L7Changes so
     * that the rules are in the order L7Changes keeps.
     */
    public static Arbitrary<L7Service> services() {
        Arbitrary<List<L7Server>> servers = Combinators.combine(endpoints(), Arbitraries.integers().between(0, 65535))
                .as(L7Server::new).list().ofMaxSize(4).uniqueElements(L7Server::endpoint);
        Arbitrary<List<Object[]>> ruleSeeds = Combinators.combine(patternsWithGroups(),
                Arbitraries.of("Host", "User-Agent").injectNull(0.6), Arbitraries.integers().between(0, 99),
                Arbitraries.of(true, false))
                .as((p, h, pick, useGroup) -> new Object[] {p, h, pick, useGroup}).list().ofMaxSize(5);
        return Combinators.combine(idents(), endpoints(), Arbitraries.of(L7Scheduler.class),
                        Arbitraries.of(L7Service.State.class), options(), servers, ruleSeeds)
                .as((ident, listen, sched, state, opts, srv, seeds) -> {
                    L7ServiceBuilder b = new L7ServiceBuilder(ident).listen(listen).scheduler(sched).state(state).options(opts);
                    srv.forEach(b::server);
                    L7ConfigBuilder config = new L7ConfigBuilder().put(b);
                    if (!srv.isEmpty()) {
                        for (Object[] seed : seeds) {
                            String[] p = (String[]) seed[0];
                            int group = (Boolean) seed[3] ? Integer.parseInt(p[1]) : 0;
                            L7Endpoint target = srv.get((Integer) seed[2] % srv.size()).endpoint();
                            try {
                                L7Changes.apply(config, new L7Command.AddRule(ident,
                                        new L7Rule(p[0], (String) seed[1], group, target)));
                            } catch (L7Exception e) {
                                // a duplicate rule, or another match number for the same match: left out
                            }
                        }
                    }
                    return config.build().services().getFirst();
                });
    }

    /** Services with distinct idents and listen ports, as a config that L7Changes would accept. */
    public static Arbitrary<L7Config> configs() {
        return services().list().ofMaxSize(4).uniqueElements(L7Service::ident).map(list -> {
            List<L7Service> services = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                L7Service s = list.get(i);
                services.add(new L7Service(s.ident(), new L7Endpoint(s.listen().address(), 1000 + i), s.scheduler(),
                        s.state(), s.options(), s.servers(), s.rules()));
            }
            return new L7Config(services);
        });
    }

    public static Arbitrary<L7Rule> rules() {
        return Combinators.combine(Arbitraries.strings().ofMaxLength(20), Arbitraries.strings().ofMaxLength(10).injectNull(0.5),
                Arbitraries.integers().between(0, L7Rule.MAX_MATCH_GROUP), endpoints()).as(L7Rule::new);
    }

    public static Arbitrary<L7ServiceSettings> settings() {
        return Combinators.combine(endpoints(), Arbitraries.strings().ofMaxLength(16), options()).as(L7ServiceSettings::new);
    }

    /** Every command, with any field values the records accept (the wire carries what a client sends). */
    public static Arbitrary<L7Command> commands() {
        Arbitrary<String> ident = Arbitraries.strings().ofMaxLength(20);
        Arbitrary<L7Server> server = Combinators.combine(endpoints(), Arbitraries.integers().between(0, 65535)).as(L7Server::new);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(ident, settings()).as(L7Command.AddService::new),
                Combinators.combine(ident, settings()).as(L7Command.EditService::new),
                ident.map(L7Command.DeleteService::new),
                Arbitraries.just(new L7Command.Flush()),
                Combinators.combine(ident, server).as(L7Command.AddServer::new),
                Combinators.combine(ident, server).as(L7Command.EditServer::new),
                Combinators.combine(ident, endpoints()).as(L7Command.DeleteServer::new),
                Combinators.combine(ident, rules()).as(L7Command.AddRule::new),
                Combinators.combine(ident, rules()).as(L7Command.DeleteRule::new),
                ident.injectNull(0.5).map(L7Command.Start::new),
                ident.injectNull(0.5).map(L7Command.Stop::new),
                configs().map(L7Command.Load::new),
                Combinators.combine(ident.injectNull(0.5), Arbitraries.of(true, false)).as(L7Command.List::new),
                ident.map(L7Command.LoadFile::new),
                Arbitraries.just(new L7Command.Help()),
                Arbitraries.just(new L7Command.Version())));
    }
}
