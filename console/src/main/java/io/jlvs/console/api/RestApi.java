package io.jlvs.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.RecentEvents;
import io.jlvs.console.ServiceIds;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.protocol.ControlReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The calls of /api/v1 (docs/api.md). Paths arrive split into percent-decoded segments after "/api/v1/"; a write
 * is logged with the client, the command it ran and the outcome.
 */
public final class RestApi {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

    private final DirectorRequests director;
    private final StatsView stats;
    private final RecentEvents log;
    private final L7Api l7;

    public RestApi(DirectorRequests director, DataPlaneTelemetry telemetry, RecentEvents log) {
        this.director = director;
        this.stats = new StatsView(director, telemetry);
        this.log = log;
        this.l7 = new L7Api(new TcpvsRequests(director.executor()));
    }

    public StatsView stats() { return stats; }

    /**
     * Answers one call; never throws for a bad request.
     *
     * @param segments the path after /api/v1/, split on '/' and decoded
     * @param query    the query parameters (first value of each)
     * @param client   who asked, for the log of writes
     */
    public ApiResponse handle(String method, List<String> segments, Map<String, String> query, byte[] body,
                              String client) {
        try {
            return route(method, segments, query, body, client);
        } catch (ApiException e) {
            if (!method.equals("GET")) LOG.info("http {}: {} /api/v1/{} refused: {}", client, method,
                    String.join("/", segments), e.getMessage());
            return ApiResponse.error(e);
        }
    }

    private ApiResponse route(String method, List<String> s, Map<String, String> query, byte[] body, String client)
            throws ApiException {
        if (s.isEmpty()) throw ApiException.notFound("no such path");
        switch (s.getFirst()) {
            case "services" -> {
                if (s.size() == 1) {
                    return switch (method) {
                        case "GET" -> ApiResponse.json(200, servicesList());
                        case "POST" -> createService(object(body), client);
                        default -> throw notAllowed(method, "GET, POST");
                    };
                }
                if (s.size() < 3) throw ApiException.notFound("no such path: a service is PROTOCOL/ADDRESS:PORT or fwm/MARK");
                String id = s.get(1) + "/" + s.get(2);
                return service(method, id, s.subList(3, s.size()), body, client);
            }
            case "l7" -> {
                return l7.route(method, s.subList(1, s.size()), body, client);
            }
            case "connections" -> {
                requireGet(method, s, 1);
                return ApiResponse.json(200, ConnectionQuery.parse(query, director).run(director));
            }
            case "stats" -> {
                requireGet(method, s, 1);
                return ApiResponse.json(200, stats.snapshot());
            }
            case "log" -> {
                requireGet(method, s, 1);
                long after = 0;
                if (query.containsKey("after")) {
                    try {
                        after = Long.parseLong(query.get("after"));
                    } catch (NumberFormatException e) {
                        throw ApiException.badRequest("parameter 'after' must be an event number");
                    }
                }
                ObjectNode root = JsonViews.MAPPER.createObjectNode();
                root.put("last", log.last());
                root.set("events", JsonViews.MAPPER.valueToTree(log.after(after)));
                return ApiResponse.json(200, root);
            }
            case "status" -> {
                requireGet(method, s, 1);
                DirectorRequests.Status st = director.status();
                try {
                    return json(StatusJson.format(st.vrrp(), st.services()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("status that cannot be written as JSON", e);
                }
            }
            case "config" -> {
                requireGet(method, s, 2);
                return switch (s.get(1)) {
                    case "ipvsadm" -> ApiResponse.text(director.rules());
                    case "keepalived" -> ApiResponse.text(KeepalivedText.render(director.executor().config()));
                    default -> throw ApiException.notFound("no such configuration view: " + s.get(1));
                };
            }
            default -> throw ApiException.notFound("no such path: /api/v1/" + String.join("/", s));
        }
    }

    private ObjectNode servicesList() {
        Map<io.jlvs.control.model.ServiceKey, Map<String, ServerHealth>> health =
                JsonViews.healthIndex(director.status().services());
        ObjectNode root = JsonViews.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("services");
        for (ControlReply.ServiceRow row : director.services()) {
            list.add(JsonViews.service(row, health.get(row.service().key())));
        }
        return root;
    }

    private ApiResponse createService(ObjectNode body, String client) throws ApiException {
        List<String> argv = AdmArgs.addService(body);
        change(argv, client);
        String id = AdmArgs.serviceId(new JsonFields(body, AdmArgs.SERVICE_FIELDS));
        return ApiResponse.json(201, serviceJson(director.service(id)));
    }

    private ApiResponse service(String method, String id, List<String> rest, byte[] body, String client)
            throws ApiException {
        if (rest.isEmpty()) {
            return switch (method) {
                case "GET" -> ApiResponse.json(200, serviceJson(director.service(id)));
                case "PUT" -> {
                    ControlReply.ServiceRow current = director.service(id);
                    change(AdmArgs.editService(id, current.service(), object(body)), client);
                    yield ApiResponse.json(200, serviceJson(director.service(id)));
                }
                case "DELETE" -> {
                    director.service(id);
                    change(List.of(concat("-D", id)), client);
                    yield ApiResponse.noContent();
                }
                default -> throw notAllowed(method, "GET, PUT, DELETE");
            };
        }
        if (!rest.getFirst().equals("servers")) throw ApiException.notFound("no such path under a service: " + rest.getFirst());
        if (rest.size() == 1) {
            return switch (method) {
                case "GET" -> {
                    ObjectNode root = JsonViews.MAPPER.createObjectNode();
                    root.set("servers", serviceJson(director.service(id)).get("servers"));
                    yield ApiResponse.json(200, root);
                }
                case "POST" -> {
                    director.service(id);
                    ObjectNode o = object(body);
                    change(AdmArgs.addServer(id, o), client);
                    yield ApiResponse.json(201, serverJson(id, o.path("address").asText()));
                }
                default -> throw notAllowed(method, "GET, POST");
            };
        }
        String server = rest.get(1);
        if (rest.size() == 3 && method.equals("POST") && (rest.get(2).equals("drain") || rest.get(2).equals("undrain"))) {
            serverConfig(id, server);
            boolean drain = rest.get(2).equals("drain");
            director.drain(id, server, drain);
            LOG.info("http {}: {} {} of {}", client, drain ? "drained" : "undrained", server, id);
            return ApiResponse.json(200, serverJson(id, server));
        }
        if (rest.size() != 2) throw ApiException.notFound("no such path under a server: " + String.join("/", rest.subList(2, rest.size())));
        return switch (method) {
            case "GET" -> ApiResponse.json(200, serverJson(id, server));
            case "PUT" -> {
                RealServerConfig current = serverConfig(id, server);
                change(AdmArgs.editServer(id, current, object(body)), client);
                yield ApiResponse.json(200, serverJson(id, server));
            }
            case "DELETE" -> {
                serverConfig(id, server);
                List<String> argv = new java.util.ArrayList<>(List.of(concat("-d", id)));
                argv.add("-r");
                argv.add(server);
                change(argv, client);
                yield ApiResponse.noContent();
            }
            default -> throw notAllowed(method, "GET, PUT, DELETE");
        };
    }

    private ObjectNode serviceJson(ControlReply.ServiceRow row) {
        Map<io.jlvs.control.model.ServiceKey, Map<String, ServerHealth>> health =
                JsonViews.healthIndex(director.status().services());
        return JsonViews.service(row, health.get(row.service().key()));
    }

    private ObjectNode serverJson(String id, String server) throws ApiException {
        ControlReply.ServiceRow row = director.service(id);
        long[] e = director.serverEndpoint(id, server);
        ObjectNode service = serviceJson(row);
        String wanted = ServiceIds.endpoint(e[0], e[1], (int) e[2]);
        for (JsonNode n : service.get("servers")) {
            if (n.get("address").asText().equals(wanted)) return (ObjectNode) n;
        }
        throw ApiException.notFound("no such server in " + id + ": " + server);
    }

    private RealServerConfig serverConfig(String id, String server) throws ApiException {
        ControlReply.ServiceRow row = director.service(id);
        long[] e = director.serverEndpoint(id, server);
        for (ControlReply.RealServerRow d : row.servers()) {
            if (d.server().sameEndpoint(e[0], e[1], (int) e[2])) return d.server();
        }
        throw ApiException.notFound("no such server in " + id + ": " + server);
    }

    private void change(List<String> argv, String client) throws ApiException {
        director.change(argv);
        LOG.info("http {}: jlvsadm {}", client, String.join(" ", argv));
    }

    private static String[] concat(String op, String id) throws ApiException {
        String[] options;
        try {
            options = ServiceIds.options(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String[] argv = new String[options.length + 1];
        argv[0] = op;
        System.arraycopy(options, 0, argv, 1, options.length);
        return argv;
    }

    static ObjectNode object(byte[] body) throws ApiException {
        if (body == null || body.length == 0) throw ApiException.badRequest("a JSON object is required as the body");
        JsonNode node;
        try {
            node = JsonViews.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body is not JSON: " + firstLine(e.getMessage()));
        }
        if (!(node instanceof ObjectNode o)) throw ApiException.badRequest("the body must be a JSON object");
        return o;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void requireGet(String method, List<String> s, int size) throws ApiException {
        if (s.size() != size) throw ApiException.notFound("no such path: /api/v1/" + String.join("/", s));
        if (!method.equals("GET")) throw notAllowed(method, "GET");
    }

    static ApiException notAllowed(String method, String allowed) {
        return new ApiException(405, method + " is not allowed here (allowed: " + allowed + ")");
    }

    private static ApiResponse json(String text) {
        return new ApiResponse(200, ApiResponse.JSON, text.getBytes(StandardCharsets.UTF_8));
    }

}
