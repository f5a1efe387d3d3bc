package io.jlvs.console.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.control.model.ConnectionRow;
import io.jlvs.control.model.ServiceKey;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * GET /api/v1/connections: the entries that match every filter given, one page of them, and how many matched in
 * all. The table is visited once per request, as -L -c visits it, and only the page is kept.
 */
final class ConnectionQuery {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> PARAMETERS = Set.of("service", "server", "client", "state", "offset", "limit");

    private final ServiceKey service;
    private final long[] server;
    private final long[] client;
    private final boolean clientPortGiven;
    private final String state;
    private final int offset;
    private final int limit;

    private ConnectionQuery(ServiceKey service, long[] server, long[] client, boolean clientPortGiven, String state,
                            int offset, int limit) {
        this.service = service;
        this.server = server;
        this.client = client;
        this.clientPortGiven = clientPortGiven;
        this.state = state;
        this.offset = offset;
        this.limit = limit;
    }

    static ConnectionQuery parse(Map<String, String> query, DirectorRequests director) throws ApiException {
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.badRequest("unknown parameter '" + name + "' (known: client, limit, offset, "
                        + "server, service, state)");
            }
        }
        ServiceKey service = null;
        String serviceId = query.get("service");
        if (serviceId != null) {
            service = director.serviceKey(serviceId);
            if (service.isFwmark()) {
                throw ApiException.badRequest("connections cannot be filtered by a fwmark service (an entry "
                        + "carries no mark); filter by server or client instead");
            }
        }
        long[] server = null;
        if (query.get("server") != null) server = director.serverEndpoint("tcp/0.0.0.0:1", query.get("server"));
        long[] client = null;
        boolean clientPort = false;
        String c = query.get("client");
        if (c != null) {
            // [v6]:port and v4:port carry a port; a bare v4 or v6 address (with or without brackets) does not.
            clientPort = c.startsWith("[") ? c.contains("]:") : c.indexOf(':') >= 0 && c.indexOf(':') == c.lastIndexOf(':');
            client = director.serverEndpoint("tcp/0.0.0.0:1", clientPort ? c : hostOnly(c));
        }
        String state = query.get("state") == null ? null : query.get("state").toUpperCase(Locale.ROOT);
        int offset = number(query, "offset", 0, Integer.MAX_VALUE, 0);
        int limit = number(query, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        return new ConnectionQuery(service, server, client, clientPort, state, offset, limit);
    }

    /** An address without a port, given the port 0 so that jlvsadm's parser reads it as an endpoint. */
    private static String hostOnly(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        return a.contains(":") ? "[" + a + "]:0" : a + ":0";
    }

    private static int number(Map<String, String> query, String name, int min, int max, int otherwise)
            throws ApiException {
        String v = query.get(name);
        if (v == null) return otherwise;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("parameter '" + name + "' must be an integer from " + min + " to " + max);
    }

    ObjectNode run(DirectorRequests director) {
        ObjectNode root = JsonViews.MAPPER.createObjectNode();
        ArrayNode rows = JsonViews.MAPPER.createArrayNode();
        long[] matched = {0};
        director.forEachConnection(row -> {
            if (!matches(row)) return;
            long n = matched[0]++;
            if (n >= offset && n < (long) offset + limit) rows.add(JsonViews.connection(row));
        });
        root.put("total", matched[0]);
        root.put("offset", offset);
        root.put("limit", limit);
        root.set("connections", rows);
        return root;
    }

    private boolean matches(ConnectionRow r) {
        if (service != null) {
            if (!r.protocol().equals(service.protocol().name()) || r.virtualHi() != service.addrHi()
                    || r.virtualLo() != service.addrLo() || r.virtualPort() != service.port()) return false;
        }
        if (server != null && (r.realHi() != server[0] || r.realLo() != server[1] || r.realPort() != server[2])) {
            return false;
        }
        if (client != null) {
            if (r.clientHi() != client[0] || r.clientLo() != client[1]) return false;
            if (clientPortGiven && r.clientPort() != client[2]) return false;
        }
        return state == null || r.state().equals(state);
    }
}
