package io.jlvs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status, drain and reload requests reach the operations; their answers and refusals reach the client. */
class ClusterOperationsTest {
    private static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, 0, Addresses.mappedLo(0x0A000064), 80);
    private static final long RS = Addresses.mappedLo(0xAC100002);

    private final List<String> calls = new ArrayList<>();
    private final ClusterOperations operations = new ClusterOperations() {
        public List<ServiceHealth> status() {
            return List.of(new ServiceHealth(WEB, "10.0.0.100 80", 2, 0, 1, false, true, List.of(
                    new ServerHealth(0, RS, 80, ServerState.DOWN, 1_000, 1, -1, false, "TCP_CHECK 172.16.0.2:80",
                            "connection refused", 61_000, 1_500_000, 0, 0, 0))));
        }

        public void drain(ServiceKey s, long hi, long lo, int p) throws AdmException {
            if (lo != RS) throw AdmException.refused("No such destination");
            calls.add("drain " + StatusTable.serviceName(s) + " " + StatusTable.endpoint(hi, lo, p));
        }

        public void undrain(ServiceKey s, long hi, long lo, int p) {
            calls.add("undrain " + StatusTable.endpoint(hi, lo, p));
        }

        public List<String> reload() throws AdmException {
            throw AdmException.refused("keepalived.conf:3: lb_algo: unknown scheduler 'xx'");
        }
    };

    private List<ControlReply> handle(ControlRequest request) throws IOException {
        AdmExecutor executor = new AdmExecutor(new FakeDirectorRuntime());
        executor.setOperations(operations);
        List<ControlReply> replies = new ArrayList<>();
        executor.handle(request, replies::add);
        return replies;
    }

    @Test
    void statusAnswersOneHealthRowPerServiceThenSuccess() throws IOException {
        List<ControlReply> replies = handle(new ControlRequest.Status());
        assertEquals(2, replies.size());
        assertEquals(operations.status().getFirst(), ((ControlReply.Health) replies.get(0)).service());
        assertEquals(new ControlReply.Outcome(0), replies.get(1));
    }

    @Test
    void drainAndUndrainReachTheOperationsWithTheParsedTarget() throws Exception {
        assertEquals(List.of(new ControlReply.Outcome(0)),
                handle(OperationArgs.drain("10.0.0.100:80", "172.16.0.2", false, false, true)));
        handle(OperationArgs.drain("10.0.0.100:80", "172.16.0.2:80", false, false, false));
        assertEquals(List.of("drain TCP  10.0.0.100:80 172.16.0.2:80", "undrain 172.16.0.2:80"), calls);
    }

    @Test
    void aRefusedDrainIsAFailureWithTheMessage() throws Exception {
        List<ControlReply> replies = handle(OperationArgs.drain("10.0.0.100:80", "172.16.0.9:80", false, false, true));
        assertEquals(new ControlReply.Failure("No such destination", AdmException.REFUSED), replies.get(0));
        assertEquals(new ControlReply.Outcome(AdmException.REFUSED), replies.get(1));
    }

    @Test
    void aRefusedReloadCarriesTheFileAndLine() throws IOException {
        List<ControlReply> replies = handle(new ControlRequest.Reload());
        assertEquals(new ControlReply.Failure("keepalived.conf:3: lb_algo: unknown scheduler 'xx'",
                AdmException.REFUSED), replies.get(0));
    }

    @Test
    void withoutOperationsDrainAndReloadAreRefusedAndStatusIsEmpty() throws Exception {
        List<ControlReply> replies = new ArrayList<>();
        AdmExecutor executor = new AdmExecutor(new FakeDirectorRuntime());
        executor.handle(new ControlRequest.Reload(), replies::add);
        executor.handle(new ControlRequest.Status(), replies::add);
        assertEquals(List.of(new ControlReply.Failure("this jlvs runs without the health engine", AdmException.REFUSED),
                new ControlReply.Outcome(AdmException.REFUSED), new ControlReply.Outcome(0)), replies);
    }

    @Test
    void drainTargetsAreParsedAsIpvsadmWritesThem() throws Exception {
        ControlRequest.Drain d = OperationArgs.drain("[2001:db8::1]:53", "[2001:db8::2]", true, false, true);
        assertEquals(Protocol.UDP, d.service().protocol());
        assertEquals(53, d.port());
        assertEquals(7, OperationArgs.drain("7", "172.16.0.2:80", false, true, true).service().fwmark());
        AdmException bad = assertThrows(AdmException.class,
                () -> OperationArgs.drain("10.0.0.100", "172.16.0.2", false, false, true));
        assertEquals("invalid service 10.0.0.100: expected VIP:PORT", bad.getMessage());
        assertThrows(AdmException.class, () -> OperationArgs.drain("10.0.0.100:80", "[2001:db8::2]:80", false, false, true));
        assertThrows(AdmException.class, () -> OperationArgs.drain("0", "172.16.0.2:80", false, true, true));
    }

    @Test
    void changeAppliesAnEditAndSkipsTheRuntimeWhenNothingChanged() throws AdmException {
        FakeDirectorRuntime runtime = new FakeDirectorRuntime();
        AdmExecutor executor = new AdmExecutor(runtime);
        IpvsConfig after = executor.change(c -> c.withService(io.jlvs.control.model.ServiceConfig.of(WEB, "rr")));
        assertTrue(runtime.config().hasService(WEB));
        assertEquals(after, executor.config());
        IpvsConfig same = executor.change(c -> c);
        assertEquals(after, same);
    }

    @Test
    void statusTableShowsStateReasonWeightAndQuorum() {
        String table = StatusTable.format(operations.status(), 121_000);
        assertEquals("""
                TCP  10.0.0.100:80  virtual_server 10.0.0.100 80  quorum 2: LOST, live weight 1, sorry server serving
                  Server         State  For    Weight  ActConn  InActConn  Last check
                  172.16.0.2:80  DOWN   2m00s  -/1     0        0          TCP_CHECK 172.16.0.2:80: connection refused (1.5 ms, 1m00s ago)
                """, table);
    }
}
