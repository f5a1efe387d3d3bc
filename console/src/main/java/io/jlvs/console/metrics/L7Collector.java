package io.jlvs.console.metrics;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.l7.L7Command;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7ProxyFigures;
import io.jlvs.control.l7.L7Rule;
import io.jlvs.control.l7.L7Service;
import io.jlvs.control.l7.L7SplicerFigures;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layer-7 proxy's families, from one {@code tcpvsadm -L -n --stats} request per scrape: per service what the
 * proxy did with its connections, the hits of each rule and the active connections of each server, and per splicer
 * (by mode: services of one mode share one) the pairs it carries and its sockhash entries. A director without the
 * proxy has none of these families. Labels are bounded by the configuration: services, rules, servers, modes.
 */
final class L7Collector {
    private static final ControlRequest LIST = new ControlRequest.L7(new L7Command.List(null, true, true));

    static final CounterFamily ACCEPTED = new CounterFamily("jlvs_l7_accepted_connections",
            "Connections the layer-7 service accepted.", null);
    static final CounterFamily SPLICED = new CounterFamily("jlvs_l7_spliced_connections",
            "Connections of the layer-7 service handed to the splicer after their request head.", null);
    static final GaugeFamily SPLICED_NOW = new GaugeFamily("jlvs_l7_spliced_active_connections",
            "Connections of the layer-7 service spliced now.");
    static final CounterFamily REFUSED = new CounterFamily("jlvs_l7_refused_connections",
            "Connections the proxy answered itself, by status: 400 malformed head, 431 head too large, "
                    + "502 server refused, 503 no server, 504 server did not answer.", null);
    static final CounterFamily SLOW_HEADS = new CounterFamily("jlvs_l7_slow_heads_closed",
            "Connections closed because their request head did not arrive within the head timeout.", null);
    static final CounterFamily RULE_HITS = new CounterFamily("jlvs_l7_rule_hits",
            "Requests the content rule placed, by the rule's index in the service and its server.", null);
    static final GaugeFamily SERVER_ACTIVE = new GaugeFamily("jlvs_l7_server_active_connections",
            "Connections of the layer-7 service to the server now.");
    static final GaugeFamily SPLICER_PAIRS = new GaugeFamily("jlvs_l7_splicer_pairs",
            "Connection pairs the splicer of a mode carries now (the mode in force, after any fallback).");
    static final GaugeFamily SOCKHASH_ENTRIES = new GaugeFamily("jlvs_l7_splicer_sockhash_entries",
            "Entries in the sockmap splicer's sockhashes (0 for the other modes).");

    private final AdmExecutor executor;
    private final ScrapeProblems problems;

    L7Collector(AdmExecutor executor, ScrapeProblems problems) {
        this.executor = executor;
        this.problems = problems;
    }

    void families(List<MetricSnapshot> families) {
        List<ControlReply.L7ServiceRow> rows = rows();
        if (rows == null) return;
        try {
            int n = rows.size();
            CounterFamily.Samples accepted = ACCEPTED.samples(n);
            CounterFamily.Samples spliced = SPLICED.samples(n);
            GaugeFamily.Samples splicedNow = SPLICED_NOW.samples(n);
            CounterFamily.Samples refused = REFUSED.samples(5 * n);
            CounterFamily.Samples slow = SLOW_HEADS.samples(n);
            CounterFamily.Samples hits = RULE_HITS.samples(n);
            GaugeFamily.Samples active = SERVER_ACTIVE.samples(n);
            Map<String, L7SplicerFigures> splicers = new LinkedHashMap<>();
            for (ControlReply.L7ServiceRow row : rows) {
                L7Service s = row.service();
                L7Counters c = row.counters();
                L7ProxyFigures p = c.proxy();
                Labels service = Labels.of("service", s.ident());
                accepted.add(service, p.accepted());
                spliced.add(service, p.spliced());
                splicedNow.add(service, p.splicedNow());
                for (int status : L7ProxyFigures.STATUSES) {
                    refused.add(Labels.of("service", s.ident(), "status", Integer.toString(status)), p.answered(status));
                }
                slow.add(service, p.slowHeads());
                for (int i = 0; i < s.rules().size(); i++) {
                    L7Rule r = s.rules().get(i);
                    hits.add(Labels.of("rule", Integer.toString(i), "server", r.server().toString(), "service",
                            s.ident()), c.ruleHits(i));
                }
                for (int i = 0; i < s.servers().size(); i++) {
                    active.add(Labels.of("server", s.servers().get(i).endpoint().toString(), "service", s.ident()),
                            c.serverConnections(i));
                }
                if (!c.splicer().mode().isEmpty()) splicers.putIfAbsent(c.splicer().mode(), c.splicer());
            }
            GaugeFamily.Samples pairs = SPLICER_PAIRS.samples(splicers.size());
            GaugeFamily.Samples entries = SOCKHASH_ENTRIES.samples(splicers.size());
            for (L7SplicerFigures f : splicers.values()) {
                pairs.add(Labels.of("mode", f.mode()), f.pairs());
                entries.add(Labels.of("mode", f.mode()), f.sockhashEntries());
            }
            families.add(accepted.snapshot(problems));
            families.add(spliced.snapshot(problems));
            families.add(splicedNow.snapshot(problems));
            families.add(refused.snapshot(problems));
            families.add(slow.snapshot(problems));
            families.add(hits.snapshot(problems));
            families.add(active.snapshot(problems));
            families.add(pairs.snapshot(problems));
            families.add(entries.snapshot(problems));
        } catch (RuntimeException e) {
            problems.report("the layer-7 proxy's counters could not be read", e);
        }
    }

    /** The services with their figures; null when the director runs no proxy or the listing failed (reported). */
    private List<ControlReply.L7ServiceRow> rows() {
        List<ControlReply> replies = new ArrayList<>(2);
        try {
            executor.handle(LIST, replies::add);
        } catch (IOException | RuntimeException e) {
            problems.report("the layer-7 listing failed", e);
            return null;
        }
        for (ControlReply r : replies) {
            if (r instanceof ControlReply.L7Table t) return t.services();
        }
        // a Failure: this director runs without the layer-7 proxy, which is no problem of the scrape
        return null;
    }
}
