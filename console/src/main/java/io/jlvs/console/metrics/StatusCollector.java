package io.jlvs.console.metrics;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.VrrpStatus;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The health of the services and real servers and the state of the VRRP instances, from one {@code jlvs status}
 * request per scrape. A director without the health engine or VRRP answers none, and these families stay empty.
 */
final class StatusCollector {
    private static final ControlRequest STATUS = new ControlRequest.Status();

    /** The states a VRRP instance can be in (VrrpStatus.state). */
    static final List<String> VRRP_STATES = List.of("INIT", "BACKUP", "MASTER", "FAULT", "STOPPED");
    private static final Map<String, Labels> STATE_LABELS = VRRP_STATES.stream()
            .collect(Collectors.toUnmodifiableMap(s -> s, s -> Labels.of("state", s)));

    static final GaugeFamily SERVER_UP = new GaugeFamily("jlvs_real_server_up",
            "1 when the health checks find the real server up, 0 otherwise (down, held by flap damping, in "
                    + "maintenance); servers the health engine does not check have none.");
    static final GaugeFamily QUORUM_HELD = new GaugeFamily("jlvs_service_quorum_held",
            "1 when the live servers' weights reach the service's quorum (always without a quorum), 0 otherwise.");
    static final GaugeFamily VRRP_STATE = new GaugeFamily("jlvs_vrrp_state",
            "1 for the state the VRRP instance is in, 0 for the others.");
    static final GaugeFamily VRRP_EFFECTIVE_PRIORITY = new GaugeFamily("jlvs_vrrp_effective_priority",
            "Priority the VRRP instance advertises now, tracking weights applied.");
    static final CounterFamily VRRP_ADVERTS_SENT = new CounterFamily("jlvs_vrrp_adverts_sent",
            "VRRP adverts the instance sent.", null);
    static final CounterFamily VRRP_ADVERTS_RECEIVED = new CounterFamily("jlvs_vrrp_adverts_received",
            "Valid VRRP adverts the instance received.", null);
    static final CounterFamily VRRP_ADVERTS_DROPPED = new CounterFamily("jlvs_vrrp_adverts_dropped",
            "VRRP adverts the instance received and dropped as invalid.", null);

    private final AdmExecutor executor;
    private final LabelCache labels;
    private final ScrapeProblems problems;

    StatusCollector(AdmExecutor executor, LabelCache labels, ScrapeProblems problems) {
        this.executor = executor;
        this.labels = labels;
        this.problems = problems;
    }

    /** What one status request answered: the services' health and the VRRP instances. */
    record Status(List<ServiceHealth> health, List<VrrpStatus> vrrp) {}

    /** The replies that arrived; a request that failed half way gives those it sent before. */
    Status status() {
        List<ControlReply> replies = new ArrayList<>();
        try {
            executor.handle(STATUS, replies::add);
        } catch (IOException | RuntimeException e) {
            problems.report("the status request failed", e);
        }
        List<ServiceHealth> health = new ArrayList<>();
        List<VrrpStatus> vrrp = new ArrayList<>();
        for (ControlReply r : replies) {
            switch (r) {
                case ControlReply.Health h -> health.add(h.service());
                case ControlReply.Vrrp v -> vrrp.add(v.instance());
                case ControlReply.Failure f -> problems.report("the status request failed: " + f.message());
                default -> { }
            }
        }
        return new Status(health, vrrp);
    }

    /**
     * The families of status. The servers' labels come from this scrape's listing, so it must have been labelled
     * first.
     */
    void families(Status status, List<MetricSnapshot> families) {
        try {
            healthFamilies(status.health(), families);
        } catch (RuntimeException e) {
            problems.report("the services' health could not be read", e);
        }
        try {
            vrrpFamilies(status.vrrp(), families);
        } catch (RuntimeException e) {
            problems.report("the VRRP instances could not be read", e);
        }
    }

    /**
     * The health families. The up samples of listed servers are handed over in the listing's label order (the
     * library then checks their order in one pass instead of sorting them).
     */
    private void healthFamilies(List<ServiceHealth> services, List<MetricSnapshot> families) {
        LabelCache.Known known = labels.known();
        RankedSamples serversUp = new RankedSamples(known.serverCount());
        GaugeFamily.Samples quorum = QUORUM_HELD.samples(services.size());
        int servers = 0;
        for (ServiceHealth s : services) {
            try {
                quorum.add(known.service(s.key()).service(), s.quorumHeld());
                for (ServerHealth h : s.servers()) {
                    if (h.state() == ServerState.UNCHECKED) continue;
                    serversUp.add(known.server(s.key(), h.addrHi(), h.addrLo(), h.port()),
                            h.state() == ServerState.UP ? 1 : 0);
                    servers++;
                }
            } catch (RuntimeException e) {
                problems.report("a service's health could not be read", e);
            }
        }
        GaugeFamily.Samples up = SERVER_UP.samples(servers);
        serversUp.addTo(up);
        families.add(up.snapshot(problems));
        families.add(quorum.snapshot(problems));
    }

    private void vrrpFamilies(List<VrrpStatus> instances, List<MetricSnapshot> families) {
        GaugeFamily.Samples state = VRRP_STATE.samples(instances.size() * VRRP_STATES.size());
        GaugeFamily.Samples priority = VRRP_EFFECTIVE_PRIORITY.samples(instances.size());
        CounterFamily.Samples sent = VRRP_ADVERTS_SENT.samples(instances.size());
        CounterFamily.Samples received = VRRP_ADVERTS_RECEIVED.samples(instances.size());
        CounterFamily.Samples dropped = VRRP_ADVERTS_DROPPED.samples(instances.size());
        for (VrrpStatus v : instances) {
            if (v.instance() == null) {
                problems.leftOut("VRRP instances without a name", 1);
                continue;
            }
            Labels instance = Labels.of("instance", v.instance());
            for (String s : VRRP_STATES) state.add(instance.merge(STATE_LABELS.get(s)), s.equals(v.state()));
            // A state this list does not know yet is still shown as the one in force.
            if (v.state() != null && !VRRP_STATES.contains(v.state())) {
                state.add(instance.merge(Labels.of("state", v.state())), true);
            }
            priority.add(instance, v.effectivePriority());
            sent.add(instance, v.advertsSent());
            received.add(instance, v.advertsReceived());
            dropped.add(instance, v.advertsDropped());
        }
        families.add(state.snapshot(problems));
        families.add(priority.snapshot(problems));
        families.add(sent.snapshot(problems));
        families.add(received.snapshot(problems));
        families.add(dropped.snapshot(problems));
    }
}
