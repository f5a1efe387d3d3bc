package io.jlvs.console.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.console.ServiceIds;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.VrrpStatus;

import java.time.Instant;
import java.util.List;

/**
 * `jlvs status --json`: {"vrrp": [{instance, group, interface, virtualRouterId, version, state, priority,
 * effectivePriority, master, reason, since, advertsSent, advertsReceived, advertsDropped, addresses: [...]}],
 * "services": [{protocol, address, port, fwmark, virtualServer, quorum, hysteresis,
 * liveWeight, quorumHeld, sorryActive, servers: [{address, port, state, since, weight (-1: removed),
 * configuredWeight, drained, activeConns, inactiveConns, checker, lastResult, lastCheck, lastCheckMillis,
 * heldUntil}]}]}. Times are ISO-8601 UTC, null when there is none.
 */
public final class StatusJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {}

    public static String format(List<VrrpStatus> instances, List<ServiceHealth> services) throws JsonProcessingException {
        return format(instances, null, services);
    }

    /** As {@link #format(List, List)}, with the BGP announcement (bgp: drained, problem, sessions, VIPs) when given. */
    public static String format(List<VrrpStatus> instances, BgpStatus announcement, List<ServiceHealth> services)
            throws JsonProcessingException {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode vrrp = root.putArray("vrrp");
        for (VrrpStatus v : instances) {
            ObjectNode o = vrrp.addObject();
            o.put("instance", v.instance());
            o.put("group", v.group().isEmpty() ? null : v.group());
            o.put("interface", v.interfaceName());
            o.put("virtualRouterId", v.virtualRouterId());
            o.put("version", v.version());
            o.put("state", v.state());
            o.put("priority", v.priority());
            o.put("effectivePriority", v.effectivePriority());
            o.put("master", v.master().isEmpty() ? null : v.master());
            o.put("reason", v.reason());
            o.put("since", time(v.sinceMillis()));
            o.put("advertsSent", v.advertsSent());
            o.put("advertsReceived", v.advertsReceived());
            o.put("advertsDropped", v.advertsDropped());
            ArrayNode addresses = o.putArray("addresses");
            for (String a : v.addresses().split(" ")) if (!a.isEmpty()) addresses.add(a);
        }
        if (announcement != null) {
            ObjectNode bgp = root.putObject("bgp");
            bgp.put("daemon", announcement.daemon());
            bgp.put("include", announcement.include());
            bgp.put("drained", announcement.drained());
            bgp.put("problem", announcement.problem().isEmpty() ? null : announcement.problem());
            ArrayNode sessions = bgp.putArray("sessions");
            announcement.sessions().forEach(sessions::add);
            ArrayNode vips = bgp.putArray("vips");
            for (BgpStatus.Vip v : announcement.vips()) {
                vips.addObject().put("prefix", v.address()).put("announced", v.announced()).put("reason", v.reason());
            }
        }
        ArrayNode list = root.putArray("services");
        for (ServiceHealth s : services) {
            ObjectNode o = list.addObject();
            ServiceKey k = s.key();
            o.put("id", ServiceIds.id(k));
            o.put("protocol", k.isFwmark() ? null : k.protocol().name());
            o.put("address", k.isFwmark() ? null : Addresses.format(k.addrHi(), k.addrLo()));
            o.put("port", k.port());
            o.put("fwmark", Integer.toUnsignedLong(k.fwmark()));
            o.put("family", k.af() == 4 ? "inet" : "inet6");
            o.put("virtualServer", s.virtualServer().isEmpty() ? null : s.virtualServer());
            o.put("quorum", s.quorum());
            o.put("hysteresis", s.hysteresis());
            o.put("liveWeight", s.liveWeight());
            o.put("quorumHeld", s.quorumHeld());
            o.put("sorryActive", s.sorryActive());
            ArrayNode servers = o.putArray("servers");
            for (ServerHealth r : s.servers()) {
                ObjectNode so = servers.addObject();
                so.put("address", Addresses.format(r.addrHi(), r.addrLo()));
                so.put("port", r.port());
                so.put("state", r.state().name());
                so.put("since", time(r.sinceMillis()));
                so.put("weight", r.weight());
                so.put("configuredWeight", r.configuredWeight());
                so.put("drained", r.drained());
                so.put("activeConns", r.activeConns());
                so.put("inactiveConns", r.inactiveConns());
                so.put("checker", r.checker().isEmpty() ? null : r.checker());
                so.put("lastResult", r.lastResult().isEmpty() ? null : r.lastResult());
                so.put("lastCheck", time(r.lastCheckMillis()));
                so.put("lastCheckMillis", r.lastCheckNanos() / 1e6);
                so.put("heldUntil", time(r.heldUntilMillis()));
            }
        }
        return MAPPER.writeValueAsString(root) + "\n";
    }

    private static String time(long epochMillis) {
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
