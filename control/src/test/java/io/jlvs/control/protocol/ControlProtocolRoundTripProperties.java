package io.jlvs.control.protocol;

import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.VrrpStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.model.ConnectionRow;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.Timeouts;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.command.RealServerSpec;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.Timeouts;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.MarkRule;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceHealth;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.Provide;

/** decode(encode(x)) equals x, and consumes exactly what was encoded, for every request and reply type. */
class ControlProtocolRoundTripProperties {

    // ---- requests

    @Property(tries = 300)
    void runRequestsRoundTrip(@ForAll("commands") AdmCommand command) throws IOException {
        assertRequestRoundTrips(new ControlRequest.Run(command));
    }

    @Property(tries = 100)
    void restoreRequestsRoundTrip(@ForAll("restores") ControlRequest.Restore restore) throws IOException {
        assertRequestRoundTrips(restore);
    }

    @Property(tries = 100)
    void drainRequestsRoundTrip(@ForAll("drains") ControlRequest.Drain drain) throws IOException {
        assertRequestRoundTrips(drain);
    }

    @Property(tries = 5)
    void statusAndReloadRequestsRoundTrip(@ForAll boolean status) throws IOException {
        assertRequestRoundTrips(status ? new ControlRequest.Status() : new ControlRequest.Reload());
    }

    @Property(tries = 4)
    void directorDrainRequestsRoundTrip(@ForAll boolean drain) throws IOException {
        assertRequestRoundTrips(new ControlRequest.DirectorDrain(drain));
    }

    // ---- replies

    @Property(tries = 50)
    void bgpRowsRoundTrip(@ForAll("texts") String text, @ForAll boolean drained,
                          @ForAll @IntRange(min = 0, max = 5) int vips) throws IOException {
        List<BgpStatus.Vip> rows = new java.util.ArrayList<>();
        for (int i = 0; i < vips; i++) rows.add(new BgpStatus.Vip("10.0.0." + i, (i & 1) == 0, text));
        assertReplyRoundTrips(new ControlReply.Bgp(new BgpStatus("bird", text, drained,
                List.of(text, "peer1 BGP --- up"), drained ? text : "", rows)));
    }

    @Property(tries = 100)
    void healthRowsRoundTrip(@ForAll("healthRows") ControlReply.Health h) throws IOException {
        assertReplyRoundTrips(h);
    }

    @Property(tries = 50)
    void noticesRoundTrip(@ForAll("texts") String message) throws IOException {
        assertReplyRoundTrips(new ControlReply.Notice(message));
    }

    @Property(tries = 50)
    void vrrpRowsRoundTrip(@ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 255) int vrid,
                           @ForAll @IntRange(min = 0, max = 255) int priority, @ForAll long count) throws IOException {
        assertReplyRoundTrips(new ControlReply.Vrrp(new VrrpStatus(text, "", "eth" + vrid, vrid, 2 + (vrid & 1),
                "MASTER", priority, 255 - priority, "10.0.0." + vrid, text, count, count, count >>> 1, 7, text)));
    }

    @Property(tries = 100)
    void failuresRoundTrip(@ForAll("failures") ControlReply.Failure f) throws IOException {
        assertReplyRoundTrips(f);
    }

    @Property(tries = 50)
    void outcomesRoundTrip(@ForAll int exitCode) throws IOException {
        assertReplyRoundTrips(new ControlReply.Outcome(exitCode));
    }

    @Property(tries = 100)
    void serviceTablesRoundTrip(@ForAll("serviceTables") ControlReply.ServiceTable t) throws IOException {
        assertReplyRoundTrips(t);
    }

    @Property(tries = 100)
    void markRulesRoundTrip(@ForAll("markRuleLists") List<MarkRule> rules) throws IOException {
        assertReplyRoundTrips(new ControlReply.MarkRules(rules));
    }

    @Property(tries = 20)
    void connectionHeadersRoundTrip(@ForAll boolean numeric, @ForAll boolean peColumns) throws IOException {
        assertReplyRoundTrips(new ControlReply.ConnectionsHeader(numeric, peColumns));
    }

    @Property(tries = 100)
    void connectionBatchesRoundTrip(@ForAll("connectionBatches") ControlReply.ConnectionBatch b) throws IOException {
        assertReplyRoundTrips(b);
    }

    @Property(tries = 50)
    void timeoutsRoundTrip(@ForAll @IntRange(min = 0) int tcp, @ForAll @IntRange(min = 0) int tcpFin,
                           @ForAll @IntRange(min = 0) int udp) throws IOException {
        assertReplyRoundTrips(new ControlReply.TimeoutValues(new Timeouts(tcp, tcpFin, udp)));
    }

    @Property(tries = 100)
    void sysctlValuesRoundTrip(@ForAll("sysctlValues") ControlReply.SysctlValues v) throws IOException {
        assertReplyRoundTrips(v);
    }

    @Property(tries = 100)
    void syncDaemonsRoundTrip(@ForAll("syncDaemons") ControlReply.SyncDaemons d) throws IOException {
        assertReplyRoundTrips(d);
    }

    @Property(tries = 10)
    void usageRoundTrips(@ForAll boolean versionOnly) throws IOException {
        assertReplyRoundTrips(new ControlReply.Usage(versionOnly));
    }

    private static void assertRequestRoundTrips(ControlRequest request) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ControlProtocol.writeRequest(new DataOutputStream(bytes), request);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
        assertEquals(request, ControlProtocol.readRequest(new DataInputStream(in)));
        assertEquals(0, in.available(), "the frame is consumed exactly");
    }

    private static void assertReplyRoundTrips(ControlReply reply) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ControlProtocol.writeReply(new DataOutputStream(bytes), reply);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
        assertEquals(reply, ControlProtocol.readReply(new DataInputStream(in)));
        assertEquals(0, in.available(), "the frame is consumed exactly");
    }

    // ---- generators

    static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff').ofMaxLength(24);
    }

    static Arbitrary<String> optionalText() {
        return text().injectNull(0.3);
    }

    static Arbitrary<ServiceKey> serviceKeys() {
        Arbitrary<ServiceKey> addressed = Combinators.combine(Arbitraries.of(Protocol.class), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.integers().between(0, 65535), Arbitraries.of(4, 6))
                .as((p, hi, lo, port, af) -> new ServiceKey(p, hi, lo, port, 0, af));
        Arbitrary<ServiceKey> marked = Combinators.combine(Arbitraries.integers().filter(m -> m != 0), Arbitraries.of(4, 6))
                .as(ServiceKey::ofFwmark);
        return Arbitraries.oneOf(addressed, marked);
    }

    static Arbitrary<ServiceConfig> serviceConfigs() {
        Arbitrary<List<String>> flags = Arbitraries.of("sh-fallback", "sh-port", "mh-fallback", "mh-port", "flag-1",
                "flag-2", "flag-3").list().uniqueElements().ofMaxSize(3);
        return Combinators.combine(serviceKeys(), text(), flags, Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.longs(), Arbitraries.longs(), optionalText(), Arbitraries.of(true, false))
                .as((key, sched, f, persist, hi, lo, pe, ops) ->
                        new ServiceConfig(key, sched, new HashSet<>(f), persist, hi, lo, pe, ops))
                .flatMap(c -> Combinators.combine(Arbitraries.of(false, true), localAddresses(), Arbitraries.of(false, true),
                                localAddresses6())
                        .as((synproxy, pool, sloppy, pool6) -> new ServiceConfig(c.key(), c.scheduler(), c.schedFlags(),
                                c.persistTimeout(), c.netmaskHi(), c.netmaskLo(), c.pe(), c.onePacket(), synproxy,
                                pool, sloppy, pool6)));
    }

    static Arbitrary<List<Integer>> localAddresses() {
        return Arbitraries.integers().list().uniqueElements().ofMaxSize(3);
    }

    static Arbitrary<List<io.jlvs.control.model.Ipv6Address>> localAddresses6() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(io.jlvs.control.model.Ipv6Address::new)
                .list().uniqueElements().ofMaxSize(3);
    }

    static Arbitrary<RealServerSpec> realServerSpecs() {
        Arbitrary<ForwardMethod> method = Arbitraries.of(ForwardMethod.class).injectNull(0.3);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers(), method,
                Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers(), optionalText())
                .flatAs((hi, lo, port, m, w, up, low, tunType) -> Combinators.combine(Arbitraries.integers(),
                        optionalText(), Arbitraries.of(true, false))
                        .flatAs((tunPort, csum, opts) -> Arbitraries.of(true, false).map(proxy ->
                                new RealServerSpec(hi, lo, port, m, w, up, low, tunType, tunPort, csum, opts, proxy))));
    }

    static Arbitrary<RealServerConfig> realServerConfigs() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 65535),
                Arbitraries.of(ForwardMethod.class), Arbitraries.integers().between(0, 65535), Arbitraries.integers(),
                Arbitraries.integers(), optionalText())
                .flatAs((hi, lo, port, m, w, up, low, tunType) -> Combinators.combine(Arbitraries.integers(), optionalText())
                        .flatAs((tunPort, csum) -> Arbitraries.of(true, false).map(proxy ->
                                new RealServerConfig(hi, lo, port, m, w, up, low, tunType, tunPort, csum, proxy))));
    }

    static Arbitrary<MarkRule> markRules() {
        return Combinators.combine(Arbitraries.integers().filter(m -> m != 0), Arbitraries.of(Protocol.class),
                Arbitraries.of(4, 6), Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 128),
                Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535))
                .as((mark, p, af, hi, lo, prefix, a, b) -> new MarkRule(mark, p, af, hi, lo,
                        af == 4 ? prefix % 33 : prefix, Math.min(a, b), Math.max(a, b)));
    }

    static Arbitrary<ListFormat> listFormats() {
        return Arbitraries.integers().between(0, 255).map(b -> new ListFormat((b & 1) != 0, (b & 2) != 0,
                (b & 4) != 0, (b & 8) != 0, (b & 16) != 0, (b & 32) != 0, (b & 64) != 0, (b & 128) != 0));
    }

    @Provide
    Arbitrary<AdmCommand> commands() {
        Arbitrary<Integer> ints = Arbitraries.integers();
        return Arbitraries.oneOf(List.of(
                serviceConfigs().map(AdmCommand.AddService::new),
                serviceConfigs().map(AdmCommand.EditService::new),
                serviceKeys().map(AdmCommand.DeleteService::new),
                Arbitraries.just(new AdmCommand.Clear()),
                Combinators.combine(serviceKeys(), realServerSpecs()).as(AdmCommand.AddServer::new),
                Combinators.combine(serviceKeys(), realServerSpecs()).as(AdmCommand.EditServer::new),
                Combinators.combine(serviceKeys(), Arbitraries.longs(), Arbitraries.longs(), ints).as(AdmCommand.DeleteServer::new),
                Arbitraries.just(new AdmCommand.Restore()),
                Arbitraries.of(true, false).map(AdmCommand.Save::new),
                Combinators.combine(Arbitraries.of(AdmCommand.ListWhat.class), serviceKeys().injectNull(0.5), listFormats())
                        .as(AdmCommand.List::new),
                serviceKeys().injectNull(0.5).map(AdmCommand.Zero::new),
                Combinators.combine(ints.filter(i -> i >= 0), ints.filter(i -> i >= 0), ints.filter(i -> i >= 0))
                        .as((tcp, fin, udp) -> new AdmCommand.SetTimeouts(new Timeouts(tcp, fin, udp))),
                Combinators.combine(optionalText(), optionalText(), ints, ints, optionalText(), ints, ints)
                        .as(AdmCommand.StartDaemon::new),
                optionalText().map(AdmCommand.StopDaemon::new),
                Arbitraries.just(new AdmCommand.Help()),
                Arbitraries.just(new AdmCommand.Version()),
                markRules().map(AdmCommand.AddMarkRule::new),
                markRules().map(AdmCommand.RemoveMarkRule::new),
                Arbitraries.just(new AdmCommand.ListMarks()),
                Combinators.combine(serviceKeys(), localAddresses(), localAddresses6()).as(AdmCommand.AddLocalAddresses::new),
                Combinators.combine(serviceKeys(), localAddresses(), localAddresses6())
                        .as(AdmCommand.DeleteLocalAddresses::new),
                serviceKeys().injectNull(0.5).map(AdmCommand.ListLocalAddresses::new),
                Combinators.combine(Arbitraries.of(IpvsSysctl.class).injectNull(0.3),
                        Arbitraries.integers().map(OptionalInt::of),
                        Arbitraries.of(true, false))
                        .as((knob, value, present) -> new AdmCommand.Sysctl(knob, present ? value : OptionalInt.empty()))));
    }

    @Provide
    Arbitrary<ControlReply.Failure> failures() {
        return Combinators.combine(text(), Arbitraries.integers()).as(ControlReply.Failure::new);
    }

    @Provide
    Arbitrary<ControlRequest.Restore> restores() {
        return Combinators.combine(commands().list().ofMaxSize(20), failures().injectNull(0.5))
                .as(ControlRequest.Restore::new);
    }

    @Provide
    Arbitrary<ControlReply.ServiceTable> serviceTables() {
        Arbitrary<Long> n = Arbitraries.longs();
        Arbitrary<ServiceStats> serviceStats = Combinators.combine(n, n, n, n, n, n, n, n)
                .flatAs((a, b, c, d, e, f, g, h) -> Combinators.combine(n, n)
                        .as((i, j) -> new ServiceStats(a, b, c, d, e, f, g, h, i, j)));
        Arbitrary<Integer> i32 = Arbitraries.integers();
        Arbitrary<RealServerStats> serverStats = Combinators.combine(n, n, n, n, n, n, n, n)
                .flatAs((a, b, c, d, e, f, g, h) -> Combinators.combine(n, n, i32, i32, i32)
                        .as((i, j, act, inact, pers) -> new RealServerStats(a, b, c, d, e, f, g, h, i, j, act, inact, pers)));
        Arbitrary<ControlReply.RealServerRow> servers = Combinators.combine(realServerConfigs(), serverStats)
                .as(ControlReply.RealServerRow::new);
        Arbitrary<ControlReply.ServiceRow> services = Combinators.combine(serviceConfigs(), serviceStats,
                servers.list().ofMaxSize(5)).as(ControlReply.ServiceRow::new);
        return Combinators.combine(Arbitraries.of(ControlReply.TableKind.class), listFormats(), Arbitraries.integers(),
                services.list().ofMaxSize(5)).as(ControlReply.ServiceTable::new);
    }

    @Provide
    Arbitrary<List<MarkRule>> markRuleLists() {
        return markRules().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<ControlReply.ConnectionBatch> connectionBatches() {
        Arbitrary<Long> l = Arbitraries.longs();
        Arbitrary<Integer> port = Arbitraries.integers();
        Arbitrary<String[]> engine = Arbitraries.oneOf(Arbitraries.just(new String[2]),
                text().map(data -> new String[] {"sip", data}));
        Arbitrary<ConnectionRow> entries = Combinators.combine(
                Arbitraries.of("TCP", "UDP", "SCTP", "IP"), Arbitraries.of("ESTABLISHED", "SYN_RECV", "NONE", "UDP"),
                Arbitraries.integers(), l, l, port, l, l)
                .flatAs((proto, state, expire, chi, clo, cport, vhi, vlo) -> Combinators.combine(port, l, l, port, engine)
                        .as((vport, rhi, rlo, rport, pe) -> new ConnectionRow(proto, state, expire,
                                chi, clo, cport, vhi, vlo, vport, rhi, rlo, rport, pe[0], pe[1])));
        return entries.list().ofMaxSize(50).map(ControlReply.ConnectionBatch::new);
    }

    @Provide
    Arbitrary<ControlReply.SysctlValues> sysctlValues() {
        return Combinators.combine(text(), text()).as(ControlReply.SysctlValue::new).list().ofMaxSize(8)
                .map(ControlReply.SysctlValues::new);
    }

    @Provide
    Arbitrary<ControlReply.SyncDaemons> syncDaemons() {
        return Combinators.combine(Arbitraries.of("master", "backup"), text(), Arbitraries.integers(),
                        Arbitraries.integers(), text(), Arbitraries.integers(), Arbitraries.integers())
                .as(ControlReply.SyncDaemonRow::new).list().ofMaxSize(2).map(ControlReply.SyncDaemons::new);
    }

    @Provide
    Arbitrary<String> texts() {
        return text();
    }

    @Provide
    Arbitrary<ControlRequest.Drain> drains() {
        return Combinators.combine(serviceKeys(), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.integers().between(0, 65535), Arbitraries.of(true, false)).as(ControlRequest.Drain::new);
    }

    @Provide
    Arbitrary<ControlReply.Health> healthRows() {
        Arbitrary<Long> l = Arbitraries.longs();
        Arbitrary<Integer> i = Arbitraries.integers();
        Arbitrary<Object[]> head = Combinators.combine(l, l, Arbitraries.integers().between(0, 65535),
                Arbitraries.of(ServerState.class), l, i, i, Arbitraries.of(true, false))
                .as((hi, lo, port, state, since, cw, w, drained) -> new Object[] {hi, lo, port, state, since, cw, w, drained});
        Arbitrary<ServerHealth> servers = Combinators.combine(head, text(), text(), l, l, l, i, i)
                .as((h, checker, result, at, nanos, held, act, inact) -> new ServerHealth((Long) h[0], (Long) h[1],
                        (Integer) h[2], (ServerState) h[3], (Long) h[4], (Integer) h[5], (Integer) h[6],
                        (Boolean) h[7], checker, result, at, nanos, held, act, inact));
        return Combinators.combine(serviceKeys(), text(), i, i, i, Arbitraries.of(true, false),
                        Arbitraries.of(true, false), servers.list().ofMaxSize(5))
                .as((k, vs, q, h, w, held, sorry, rs) -> new ControlReply.Health(
                        new ServiceHealth(k, vs, q, h, w, held, sorry, rs)));
    }
}
