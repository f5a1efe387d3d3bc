package io.jlvs.health.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.control.AdmException;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.health.check.CheckResult;
import io.jlvs.health.check.Checker;
import io.jlvs.health.check.CheckerFactory;
import io.jlvs.health.config.CheckEndpoint;
import io.jlvs.health.config.CheckTiming;
import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.config.FlapPolicy;
import io.jlvs.health.config.GlobalDefs;
import io.jlvs.health.config.KeepalivedConfig;
import io.jlvs.health.config.RealServer;
import io.jlvs.health.config.Script;
import io.jlvs.health.config.Source;
import io.jlvs.health.config.VirtualServer;
import io.jlvs.health.script.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on virtual time with scripted checkers: keepalived's transitions, quorum, drains and reloads. */
class HealthEngineTest {
    static final Source SRC = new Source(Path.of("keepalived.conf"), 1);
    static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, 0, Addresses.mappedLo(0x0A000064), 80);
    static final ServiceKey ADM = ServiceKey.of(Protocol.TCP, 0, Addresses.mappedLo(0x0A000064), 443);
    static final Duration LOOP = Duration.ofSeconds(1), RETRY_DELAY = Duration.ofMillis(500);

    final ManualScheduler loop = new ManualScheduler();
    final FakeState state = new FakeState();
    final Map<Integer, FakeChecker> checkers = new HashMap<>();
    final List<String> scripts = new ArrayList<>();
    HealthEngine engine;

    // ---- transitions

    @Test
    void aServerGoesDownAfterRetryPlusOneFailuresSpacedByDelayBeforeRetryAndUpAfterOneSuccess() throws Exception {
        start(vs(opts(), server(2, 1, false), server(3, 1, false)));
        loop.advance(Duration.ofSeconds(2));
        checker(2).up = false;
        awaitState(2, ServerState.DOWN);
        List<Long> failures = checker(2).failureTimes;
        assertEquals(3, failures.size(), "retry 2: three failed checks");
        assertEquals(500, failures.get(1) - failures.get(0), "a retry comes delay_before_retry later");
        assertEquals(500, failures.get(2) - failures.get(1));
        assertEquals(List.of(3), ports(), "removed from the service");
        checker(2).up = true;
        loop.advance(LOOP);
        assertEquals(List.of(2, 3), ports(), "one success brings it back");
    }

    @Test
    void alphaStartsServersDownUntilTheirFirstSuccess() throws Exception {
        start(vs(opts().withAlpha(), server(2, 1, false)));
        assertEquals(List.of(), ports(), "not in the service before a check");
        loop.advance(Duration.ofSeconds(3)); // the first checks are spread over 3 s
        assertEquals(List.of(2), ports());
    }

    @Test
    void inhibitOnFailureKeepsTheServerAtWeightZero() throws Exception {
        start(vs(opts(), server(2, 4, true)));
        checker(2).up = false;
        awaitState(2, ServerState.DOWN);
        assertEquals(0, weight(2), "quiescent, not removed");
    }

    @Test
    void aDynamicWeightFromTheCheckerSetsTheWeight() throws Exception {
        start(vs(opts(), server(2, 1, false)));
        checker(2).dynamicWeight = 7;
        loop.advance(Duration.ofSeconds(4)); // past the first checks' 3 s spread
        assertEquals(7, weight(2));
    }

    @Test
    void everyCheckerOfAServerMustPass() throws Exception {
        RealServer two = new RealServer(SRC, rs(2, 1), false, null, null, List.of(tcp(2), tcp(102)));
        start(vs(opts(), two));
        checker(102).up = false;
        awaitState(2, ServerState.DOWN);
        assertTrue(checker(2).up, "the other checker passes");
    }

    // ---- quorum and the sorry server

    @Test
    void losingQuorumBringsTheSorryServerAndRegainingItRemovesItWithHysteresis() throws Exception {
        start(vs(opts().withQuorum(2, 1).withSorry(9), server(2, 1, false), server(3, 1, false), server(4, 1, false)));
        checker(2).up = false;
        checker(3).up = false;
        awaitState(2, ServerState.DOWN);
        awaitState(3, ServerState.DOWN);
        assertEquals(List.of(4), ports(), "live weight 1 is not below 2 - 1: quorum holds");
        checker(4).up = false;
        awaitState(4, ServerState.DOWN);
        assertEquals(List.of(9), ports(), "quorum lost: the sorry server serves");
        assertEquals(List.of("quorum_down"), scriptsNamed("quorum"));
        checker(2).up = true;
        checker(3).up = true;
        awaitState(2, ServerState.UP);
        awaitState(3, ServerState.UP);
        assertEquals(List.of(2, 3, 9), ports(), "live weight 2 is below 2 + 1: the sorry server stays");
        assertEquals(0, weight(2), "the real servers wait at weight 0 while the sorry server serves");
        checker(4).up = true;
        awaitState(4, ServerState.UP);
        assertEquals(List.of(2, 3, 4), ports(), "quorum regained at 3");
        assertEquals(1, weight(2));
        assertEquals(List.of("quorum_down", "quorum_up"), scriptsNamed("quorum"));
    }

    @Test
    void sorryServerInhibitKeepsItAtWeightZeroWhileQuorumHolds() throws Exception {
        start(vs(opts().withQuorum(1, 0).withSorry(9).withSorryInhibit(), server(2, 1, false)));
        assertEquals(List.of(2, 9), ports());
        assertEquals(0, weight(9));
    }

    @Test
    void omegaRunsNotifyDownAndQuorumDownAtClose() throws Exception {
        start(vs(opts().withOmega().withQuorum(1, 0), server(2, 1, false)));
        engine.close();
        assertEquals(List.of("notify_down 2", "quorum_down"), scripts);
    }

    @Test
    void notifyScriptsRunOnTransitions() throws Exception {
        start(vs(opts(), server(2, 1, false)));
        checker(2).up = false;
        awaitState(2, ServerState.DOWN);
        checker(2).up = true;
        awaitState(2, ServerState.UP);
        assertEquals(List.of("notify_down 2", "notify_up 2"), scriptsNamed("notify"));
    }

    // ---- flap damping and maintenance

    @Test
    void aFlappingServerIsHeldDownWithAHoldThatDoubles() throws Exception {
        FlapPolicy flap = new FlapPolicy(2, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(40));
        start(new GlobalDefs("t", false, null, flap), vs(opts(), server(2, 1, false)));
        checker(2).up = false;
        awaitState(2, ServerState.DOWN);
        checker(2).up = true;
        awaitState(2, ServerState.UP);
        checker(2).up = false;
        awaitState(2, ServerState.HELD); // the third change in the window
        checker(2).up = true;
        loop.advance(Duration.ofSeconds(5));
        ServerHealth held = row(2);
        assertEquals(10_000, held.heldUntilMillis() - held.sinceMillis(), "the first hold");
        assertFalse(ports().contains(2), "held down");
        loop.advance(Duration.ofSeconds(11));
        assertEquals(ServerState.UP, row(2).state(), "released after the hold");
    }

    @Test
    void aMaintenanceFileForcesTheServerDownUntilRemoved(@TempDir Path dir) throws Exception {
        engine = new HealthEngine(state, factory(), scriptRunner(), loop, new HealthOptions(dir, loop.clock));
        loop.runDue();
        engine.load(config(vs(opts(), server(2, 1, false))));
        Path file = Files.createFile(dir.resolve("172.16.0.2:80"));
        loop.advance(Duration.ofMillis(1100));
        assertEquals(ServerState.MAINTENANCE, row(2).state());
        assertEquals(List.of(), ports());
        Files.delete(file);
        loop.advance(Duration.ofMillis(1100));
        assertEquals(List.of(2), ports());
    }

    // ---- drains

    @Test
    void aDrainedServerStaysDrainedAcrossTransitionsAndReloadsUntilUndrained() throws Exception {
        VirtualServer v = vs(opts(), server(2, 3, false), server(3, 1, false));
        start(v);
        engine.drain(WEB, 0, Addresses.mappedLo(0xAC100002), 80);
        assertEquals(0, weight(2));
        checker(2).up = false;
        awaitState(2, ServerState.DOWN);
        checker(2).up = true;
        awaitState(2, ServerState.UP);
        assertEquals(0, weight(2), "still drained after coming back");
        engine.load(config(v));
        assertEquals(0, weight(2), "still drained after a reload");
        assertTrue(row(2).drained());
        engine.undrain(WEB, 0, Addresses.mappedLo(0xAC100002), 80);
        assertEquals(3, weight(2));
    }

    @Test
    void drainAndUndrainWorkOnJlvsadmServicesAndRefuseUnknownOnes() throws Exception {
        start(vs(opts(), server(2, 1, false)));
        state.config = state.config.withService(ServiceConfig.of(ADM, "rr"))
                .withRealServer(ADM, RealServerConfig.of(0, Addresses.mappedLo(0xAC100007), 443, ForwardMethod.MASQ, 5));
        engine.drain(ADM, 0, Addresses.mappedLo(0xAC100007), 443);
        assertEquals(0, state.config.realServers(ADM).getFirst().weight());
        ServerHealth r = engine.status().get(1).servers().getFirst();
        assertEquals(ServerState.UNCHECKED, r.state());
        assertTrue(r.drained());
        assertEquals(5, r.configuredWeight());
        engine.undrain(ADM, 0, Addresses.mappedLo(0xAC100007), 443);
        assertEquals(5, state.config.realServers(ADM).getFirst().weight());
        AdmException e = assertThrows(AdmException.class, () -> engine.drain(ADM, 0, Addresses.mappedLo(1), 443));
        assertEquals("No such destination", e.getMessage());
        ServiceKey none = ServiceKey.of(Protocol.UDP, 0, Addresses.mappedLo(1), 53);
        assertEquals("No such service", assertThrows(AdmException.class, () -> engine.drain(none, 0, 1, 53)).getMessage());
    }

    // ---- reloads

    @Test
    void aReloadKeepsHealthChangesWeightsInPlaceAddsRemovesAndLeavesJlvsadmServicesAlone() throws Exception {
        start(vs(opts(), server(2, 1, false), server(3, 1, false), server(4, 1, false)));
        state.config = state.config.withService(ServiceConfig.of(ADM, "rr"));
        checker(3).up = false;
        awaitState(3, ServerState.DOWN);
        long downSince = row(3).sinceMillis();
        checker(3).up = true; // the checker would pass now, but the state stays until it says so
        engine.load(config(vs(opts(), server(2, 5, false), server(3, 1, false), server(5, 1, false))));
        assertEquals(List.of(2, 5), ports(), "4 removed, 5 added, 3 still down");
        assertEquals(5, weight(2), "the weight changed in place");
        assertEquals(downSince, row(3).sinceMillis(), "3 kept its state");
        assertTrue(state.config.hasService(ADM), "jlvsadm's service untouched");
        loop.advance(Duration.ofSeconds(3)); // a reload's first checks are spread over 3 s
        assertEquals(List.of(2, 3, 5), ports(), "3 back when its check passes");
    }

    @Test
    void aRefusedChangeLeavesTheStateAndTheEngineAsTheyWere() throws Exception {
        start(vs(opts(), server(2, 1, false)));
        IpvsConfig before = state.config;
        state.refuse = true;
        assertThrows(AdmException.class, () -> engine.load(config(vs(opts(), server(3, 1, false)))));
        assertEquals(before, state.config);
        assertEquals(List.of(Addresses.mappedLo(0xAC100002)), engine.status().getFirst().servers().stream()
                .map(ServerHealth::addrLo).toList(), "the engine still runs the old servers");
        state.refuse = false;
        checker(2).up = false;
        awaitState(2, ServerState.DOWN);
        assertEquals(List.of(), ports(), "and still checks them");
    }

    @Test
    void statusShowsTheLastCheckItsReasonAndTheQuorum() throws Exception {
        start(vs(opts().withQuorum(2, 0), server(2, 1, false), server(3, 1, false)));
        checker(3).up = false;
        awaitState(3, ServerState.DOWN);
        ServiceHealth s = engine.status().getFirst();
        assertEquals("10.0.0.100 80", s.virtualServer());
        assertFalse(s.quorumHeld());
        assertEquals(1, s.liveWeight());
        ServerHealth r = row(3);
        assertEquals("connection refused", r.lastResult());
        assertEquals("FAKE 3", r.checker());
        assertEquals(-1, r.weight());
    }

    // ---- fixtures

    private void start(VirtualServer v) throws AdmException {
        start(new GlobalDefs("t", false, null, FlapPolicy.OFF), v);
    }

    private void start(GlobalDefs global, VirtualServer v) throws AdmException {
        engine = new HealthEngine(state, factory(), scriptRunner(), loop, new HealthOptions(null, loop.clock));
        loop.runDue();
        engine.load(new KeepalivedConfig(global, List.of(v), List.of()));
    }

    private static KeepalivedConfig config(VirtualServer v) {
        return new KeepalivedConfig(new GlobalDefs("t", false, null, FlapPolicy.OFF), List.of(v), List.of());
    }

    private void awaitState(int k, ServerState expected) {
        for (int i = 0; i < 100 && row(k).state() != expected; i++) loop.advance(Duration.ofMillis(100));
        assertEquals(expected, row(k).state(), "server " + k);
    }

    private ServerHealth row(int k) {
        for (ServiceHealth s : engine.status()) {
            for (ServerHealth r : s.servers()) if (r.addrLo() == Addresses.mappedLo(0xAC100000 + k)) return r;
        }
        throw new AssertionError("no server " + k);
    }

    /** The last octets of WEB's real servers in force, in order. */
    private List<Integer> ports() {
        return state.config.realServers(WEB).stream().map(r -> (int) (r.addrLo() & 0xFF)).sorted().toList();
    }

    private int weight(int k) {
        return state.config.realServers(WEB).stream().filter(r -> (r.addrLo() & 0xFF) == k).findFirst()
                .orElseThrow().weight();
    }

    private List<String> scriptsNamed(String prefix) {
        return scripts.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    private FakeChecker checker(int id) {
        return checkers.get(id);
    }

    static RealServerConfig rs(int k, int weight) {
        return RealServerConfig.of(0, Addresses.mappedLo(0xAC100000 + k), 80, ForwardMethod.MASQ, weight);
    }

    static CheckerSpec tcp(int id) {
        return new CheckerSpec.Tcp(new Source(Path.of("keepalived.conf"), id), CheckEndpoint.DEFAULT,
                new CheckTiming(LOOP, Duration.ofSeconds(1), 2, RETRY_DELAY, Duration.ZERO, false));
    }

    static RealServer server(int k, int weight, boolean inhibit) {
        return new RealServer(SRC, rs(k, weight), inhibit, script("notify_up " + k), script("notify_down " + k),
                List.of(tcp(k)));
    }

    static Script script(String line) {
        return new Script(line, List.of(line.split(" ")), null);
    }

    /** Virtual-server options a test changes. */
    record Opts(boolean alpha, boolean omega, int quorum, int hysteresis, int sorry, boolean sorryInhibit) {
        Opts withAlpha() { return new Opts(true, omega, quorum, hysteresis, sorry, sorryInhibit); }

        Opts withOmega() { return new Opts(alpha, true, quorum, hysteresis, sorry, sorryInhibit); }

        Opts withQuorum(int q, int h) { return new Opts(alpha, omega, q, h, sorry, sorryInhibit); }

        Opts withSorry(int k) { return new Opts(alpha, omega, quorum, hysteresis, k, sorryInhibit); }

        Opts withSorryInhibit() { return new Opts(alpha, omega, quorum, hysteresis, sorry, true); }
    }

    static Opts opts() {
        return new Opts(false, false, 1, 0, 0, false);
    }

    static VirtualServer vs(Opts o, RealServer... servers) {
        return new VirtualServer(SRC, "10.0.0.100 80", List.of(ServiceConfig.of(WEB, "rr")), LOOP, o.alpha(),
                o.omega(), o.quorum(), o.hysteresis(), script("quorum_up"), script("quorum_down"),
                o.sorry() == 0 ? null : rs(o.sorry(), 1), o.sorryInhibit(), List.of(servers));
    }

    private CheckerFactory factory() {
        return (spec, realServer) -> {
            FakeChecker c = new FakeChecker(spec.source().line(), loop);
            checkers.put(spec.source().line(), c);
            return c;
        };
    }

    private ScriptRunner scriptRunner() {
        return (script, args, timeout) -> {
            scripts.add(script.commandLine());
            return CompletableFuture.completedFuture(new ScriptRunner.ScriptOutcome(0, false, null));
        };
    }

    /** A checker whose verdict the test sets; it records when it failed. */
    static final class FakeChecker implements Checker {
        final int id;
        final ManualScheduler loop;
        volatile boolean up = true;
        volatile int dynamicWeight = -1;
        final List<Long> failureTimes = new ArrayList<>();

        FakeChecker(int id, ManualScheduler loop) {
            this.id = id;
            this.loop = loop;
        }

        @Override
        public CompletableFuture<CheckResult> check() {
            if (!up) failureTimes.add(loop.nowMillis());
            return CompletableFuture.completedFuture(up ? new CheckResult(true, "connected", 1000, dynamicWeight)
                    : CheckResult.down("connection refused", 1000));
        }

        @Override
        public String describe() { return "FAKE " + id; }
    }

    /** The desired state as AdmExecutor.change keeps it, able to refuse. */
    static final class FakeState implements DesiredState {
        IpvsConfig config = IpvsConfig.empty();
        boolean refuse;

        @Override
        public IpvsConfig current() { return config; }

        @Override
        public IpvsConfig change(UnaryOperator<IpvsConfig> edit) throws AdmException {
            IpvsConfig next = edit.apply(config);
            if (refuse) throw AdmException.refused("refused by the test");
            config = next;
            return next;
        }
    }
}
