package io.jlvs.console.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.console.ServiceIds;
import io.jlvs.control.model.ConnectionRow;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.protocol.ControlReply;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON objects of docs/api.md, built from the control plane's rows. */
public final class JsonViews {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonViews() {}

    /** The health of every server by service and endpoint, for joining onto the listing's rows. */
    public static Map<ServiceKey, Map<String, ServerHealth>> healthIndex(List<ServiceHealth> services) {
        Map<ServiceKey, Map<String, ServerHealth>> index = new HashMap<>();
        for (ServiceHealth s : services) {
            Map<String, ServerHealth> servers = index.computeIfAbsent(s.key(), k -> new HashMap<>());
            for (ServerHealth h : s.servers()) servers.put(ServiceIds.endpoint(h.addrHi(), h.addrLo(), h.port()), h);
        }
        return index;
    }

    public static ObjectNode service(ControlReply.ServiceRow row, Map<String, ServerHealth> health) {
        ServiceConfig c = row.service();
        ServiceKey k = c.key();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", ServiceIds.id(k));
        o.put("protocol", k.isFwmark() ? "fwm" : k.protocol().name().toLowerCase(Locale.ROOT));
        if (!k.isFwmark()) o.put("address", ServiceIds.endpoint(k.addrHi(), k.addrLo(), k.port()));
        o.put("fwmark", Integer.toUnsignedLong(k.fwmark()));
        o.put("family", k.af() == 4 ? "inet" : "inet6");
        o.put("scheduler", c.scheduler());
        ArrayNode flags = o.putArray("flags");
        c.schedFlags().stream().sorted().forEach(flags::add);
        o.put("persistent", c.persistTimeout());
        o.put("netmask", c.netmaskPrefix());
        o.put("pe", c.pe());
        o.put("onePacket", c.onePacket());
        o.put("synproxy", c.synproxy());
        o.set("stats", counters(row.stats()));
        o.set("rates", rates(row.stats()));
        ArrayNode servers = o.putArray("servers");
        for (ControlReply.RealServerRow s : row.servers()) {
            servers.add(server(s, health == null ? null : health.get(endpoint(s.server()))));
        }
        return o;
    }

    public static ObjectNode server(ControlReply.RealServerRow row, ServerHealth health) {
        RealServerConfig d = row.server();
        RealServerStats s = row.stats();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("address", endpoint(d));
        o.put("method", method(d.method()));
        o.put("weight", d.weight());
        o.put("upperThreshold", d.upperThreshold());
        o.put("lowerThreshold", d.lowerThreshold());
        if (d.method() == ForwardMethod.TUNNEL) {
            o.put("tunType", d.tunType());
            o.put("tunPort", d.tunPort());
            o.put("tunCsum", d.tunCsum());
        }
        o.put("activeConnections", s.activeConns());
        o.put("inactiveConnections", s.inactiveConns());
        o.set("stats", counters(s.conns(), s.inPackets(), s.outPackets(), s.inBytes(), s.outBytes()));
        o.set("rates", counters(s.cps(), s.inPps(), s.outPps(), s.inBps(), s.outBps()));
        if (health != null) o.set("health", health(health));
        return o;
    }

    public static ObjectNode health(ServerHealth h) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("state", h.state().name());
        o.put("since", h.sinceMillis());
        o.put("configuredWeight", h.configuredWeight());
        o.put("drained", h.drained());
        o.put("checker", h.checker());
        o.put("lastResult", h.lastResult());
        return o;
    }

    public static ObjectNode counters(ServiceStats s) {
        return counters(s.conns(), s.inPackets(), s.outPackets(), s.inBytes(), s.outBytes());
    }

    public static ObjectNode rates(ServiceStats s) {
        return counters(s.cps(), s.inPps(), s.outPps(), s.inBps(), s.outBps());
    }

    private static ObjectNode counters(long conns, long inPackets, long outPackets, long inBytes, long outBytes) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("connections", conns);
        o.put("packetsIn", inPackets);
        o.put("packetsOut", outPackets);
        o.put("bytesIn", inBytes);
        o.put("bytesOut", outBytes);
        return o;
    }

    public static ObjectNode connection(ConnectionRow r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("protocol", r.protocol());
        o.put("state", r.state());
        o.put("expires", r.expireSeconds());
        o.put("client", ServiceIds.endpoint(r.clientHi(), r.clientLo(), r.clientPort()));
        o.put("virtual", ServiceIds.endpoint(r.virtualHi(), r.virtualLo(), r.virtualPort()));
        o.put("server", ServiceIds.endpoint(r.realHi(), r.realLo(), r.realPort()));
        if (r.peName() != null) {
            o.put("pe", r.peName());
            o.put("peData", r.peData());
        }
        return o;
    }

    public static String endpoint(RealServerConfig d) {
        return ServiceIds.endpoint(d.addrHi(), d.addrLo(), d.port());
    }

    /** ipvsadm's names of the forwarding methods, as jlvsadm -L prints them in lower case. */
    public static String method(ForwardMethod m) {
        return switch (m) {
            case MASQ -> "masq";
            case ROUTE -> "route";
            case TUNNEL -> "tunnel";
            default -> m.name().toLowerCase(Locale.ROOT);
        };
    }
}
