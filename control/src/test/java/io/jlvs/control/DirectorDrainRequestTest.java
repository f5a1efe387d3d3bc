package io.jlvs.control;

import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** `jlvs director drain|undrain` reach the operations, and `jlvs status` carries the BGP state before the services. */
class DirectorDrainRequestTest {
    private final List<String> calls = new ArrayList<>();
    private boolean drained;

    /** Operations with a BGP announcement: drain and undrain recorded, the state reported. */
    private final ClusterOperations announcing = new ClusterOperations() {
        public List<ServiceHealth> status() { return List.of(); }

        public Optional<BgpStatus> bgpStatus() {
            return Optional.of(new BgpStatus("bird", "/etc/bird/jlvs-vips.conf", drained, List.of(), "", List.of()));
        }

        public void drainDirector(boolean drain) {
            calls.add(drain ? "drain" : "undrain");
            drained = drain;
        }

        public void drain(ServiceKey s, long hi, long lo, int p) {}

        public void undrain(ServiceKey s, long hi, long lo, int p) {}

        public List<String> reload() { return List.of(); }
    };

    private static List<ControlReply> handle(ClusterOperations operations, ControlRequest request) throws IOException {
        AdmExecutor executor = new AdmExecutor(new FakeDirectorRuntime());
        executor.setOperations(operations);
        List<ControlReply> replies = new ArrayList<>();
        executor.handle(request, replies::add);
        return replies;
    }

    @Test
    void drainAndUndrainReachTheAnnouncementAndStatusShowsIt() throws IOException {
        assertEquals(List.of(new ControlReply.Outcome(0)), handle(announcing, new ControlRequest.DirectorDrain(true)));
        List<ControlReply> status = handle(announcing, new ControlRequest.Status());
        assertEquals(2, status.size());
        assertEquals(true, ((ControlReply.Bgp) status.getFirst()).status().drained());
        handle(announcing, new ControlRequest.DirectorDrain(false));
        assertEquals(false, ((ControlReply.Bgp) handle(announcing, new ControlRequest.Status()).getFirst()).status()
                .drained());
        assertEquals(List.of("drain", "undrain"), calls);
    }

    @Test
    void aDirectorWithoutBgpRefusesTheDrainAndReportsNoBgpState() throws IOException {
        List<ControlReply> replies = handle(ClusterOperations.NONE, new ControlRequest.DirectorDrain(true));
        assertEquals(List.of(new ControlReply.Failure("this jlvs announces no VIPs (start it with --bgp)",
                AdmException.REFUSED), new ControlReply.Outcome(AdmException.REFUSED)), replies);
        assertEquals(List.of(new ControlReply.Outcome(0)), handle(ClusterOperations.NONE, new ControlRequest.Status()));
    }
}
