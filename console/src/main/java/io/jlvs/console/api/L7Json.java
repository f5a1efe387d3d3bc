package io.jlvs.console.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Options;
import io.jlvs.control.l7.L7ProxyFigures;
import io.jlvs.control.l7.L7Rule;
import io.jlvs.control.l7.L7Server;
import io.jlvs.control.l7.L7Service;
import io.jlvs.control.l7.L7SplicerFigures;
import io.jlvs.control.protocol.ControlReply;

import java.util.List;

/** The JSON of layer-7 services (docs/api.md): settings, servers, rules with their hits, and the counters. */
final class L7Json {
    private L7Json() {}

    static ObjectNode services(List<ControlReply.L7ServiceRow> rows) {
        ObjectNode root = JsonViews.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("services");
        for (ControlReply.L7ServiceRow row : rows) list.add(service(row));
        return root;
    }

    static ObjectNode service(ControlReply.L7ServiceRow row) {
        L7Service s = row.service();
        L7Counters c = row.counters();
        ObjectNode o = JsonViews.MAPPER.createObjectNode();
        o.put("ident", s.ident());
        o.put("state", s.started() ? "started" : "stopped");
        o.put("listen", s.listen().toString());
        o.put("scheduler", s.scheduler().schedulerName());
        L7Options options = s.options();
        o.put("xff", options.forwardedFor());
        o.put("proxyProtocol", options.proxyProtocol().text() == null ? "none" : options.proxyProtocol().text());
        o.put("source", options.sourceText());
        o.put("splice", options.splice().text() == null ? "auto" : options.splice().text());
        ArrayNode servers = o.putArray("servers");
        for (int i = 0; i < s.servers().size(); i++) {
            L7Server server = s.servers().get(i);
            ObjectNode n = servers.addObject();
            n.put("address", server.endpoint().toString());
            n.put("weight", server.weight());
            n.put("activeConnections", c.serverConnections(i));
        }
        ArrayNode rules = o.putArray("rules");
        for (int i = 0; i < s.rules().size(); i++) {
            L7Rule r = s.rules().get(i);
            ObjectNode n = rules.addObject();
            n.put("index", i);
            n.put("pattern", r.pattern());
            n.put("header", r.header());
            n.put("match", r.matchGroup());
            n.put("server", r.server().toString());
            n.put("hits", c.ruleHits(i));
        }
        o.set("counters", counters(c.proxy()));
        L7SplicerFigures sp = c.splicer();
        ObjectNode splicer = o.putObject("splicer");
        splicer.put("mode", sp.mode().isEmpty() ? null : sp.mode());
        splicer.put("pairs", sp.pairs());
        splicer.put("sockhashEntries", sp.sockhashEntries());
        return o;
    }

    private static ObjectNode counters(L7ProxyFigures p) {
        ObjectNode o = JsonViews.MAPPER.createObjectNode();
        o.put("accepted", p.accepted());
        o.put("spliced", p.spliced());
        o.put("splicedNow", p.splicedNow());
        ObjectNode answered = o.putObject("answered");
        for (int status : L7ProxyFigures.STATUSES) answered.put(Integer.toString(status), p.answered(status));
        o.put("slowHeadsClosed", p.slowHeads());
        return o;
    }

    /** The server of a service whose address is written as given (ADDRESS:PORT). */
    static ObjectNode server(ObjectNode service, String address) throws ApiException {
        for (var n : service.get("servers")) {
            if (n.get("address").asText().equals(address)) return (ObjectNode) n;
        }
        throw ApiException.notFound("no such server in " + service.get("ident").asText() + ": " + address);
    }
}
