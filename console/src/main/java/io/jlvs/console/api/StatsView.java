package io.jlvs.console.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.ServiceIds;
import io.jlvs.control.protocol.ControlReply;

/**
 * The body of GET /api/v1/stats and of the event stream's {@code stats} events: the counters and rates of every
 * service and server, the connection table's occupancy and the drops by reason.
 */
public final class StatsView {
    private final DirectorRequests director;
    private final DataPlaneTelemetry telemetry;

    public StatsView(DirectorRequests director, DataPlaneTelemetry telemetry) {
        this.director = director;
        this.telemetry = telemetry;
    }

    public ObjectNode snapshot() {
        ObjectNode root = JsonViews.MAPPER.createObjectNode();
        root.put("time", System.currentTimeMillis());
        ObjectNode table = root.putObject("table");
        table.put("entries", telemetry.tableEntries());
        table.put("capacity", telemetry.tableCapacity());
        ArrayNode services = root.putArray("services");
        for (ControlReply.ServiceRow row : director.services()) {
            ObjectNode s = services.addObject();
            s.put("id", ServiceIds.id(row.service().key()));
            s.set("stats", JsonViews.counters(row.stats()));
            s.set("rates", JsonViews.rates(row.stats()));
            ArrayNode servers = s.putArray("servers");
            for (ControlReply.RealServerRow d : row.servers()) {
                ObjectNode o = JsonViews.server(d, null);
                o.remove(java.util.List.of("method", "upperThreshold", "lowerThreshold", "tunType", "tunPort", "tunCsum"));
                servers.add(o);
            }
        }
        ObjectNode drops = root.putObject("drops");
        telemetry.forEachDrop(drops::put);
        return root;
    }
}
