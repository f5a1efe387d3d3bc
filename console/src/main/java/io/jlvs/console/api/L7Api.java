package io.jlvs.console.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.control.l7.L7Rule;
import io.jlvs.control.l7.L7Service;
import io.jlvs.control.protocol.ControlReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The calls under /api/v1/l7 (docs/api.md): the layer-7 services with their servers, rules, hits and counters,
 * and changes written as tcpvsadm command lines.
 */
final class L7Api {
    private static final Logger LOG = LoggerFactory.getLogger(L7Api.class);

    private final TcpvsRequests proxy;

    L7Api(TcpvsRequests proxy) {
        this.proxy = proxy;
    }

    /** s: the path after /api/v1/l7/. */
    ApiResponse route(String method, List<String> s, byte[] body, String client) throws ApiException {
        if (s.isEmpty() || !s.getFirst().equals("services")) {
            throw ApiException.notFound("no such path: /api/v1/l7/" + String.join("/", s));
        }
        if (s.size() == 1) {
            return switch (method) {
                case "GET" -> ApiResponse.json(200, L7Json.services(proxy.services()));
                case "POST" -> {
                    ObjectNode o = RestApi.object(body);
                    change(TcpvsArgs.addService(o), client);
                    yield ApiResponse.json(201, serviceJson(TcpvsArgs.ident(o)));
                }
                default -> throw RestApi.notAllowed(method, "GET, POST");
            };
        }
        String ident = s.get(1);
        List<String> rest = s.subList(2, s.size());
        if (rest.isEmpty()) {
            return switch (method) {
                case "GET" -> ApiResponse.json(200, serviceJson(ident));
                case "PUT" -> {
                    L7Service current = proxy.service(ident).service();
                    change(TcpvsArgs.editService(current, RestApi.object(body)), client);
                    yield ApiResponse.json(200, serviceJson(ident));
                }
                case "DELETE" -> {
                    proxy.service(ident);
                    change(TcpvsArgs.deleteService(ident), client);
                    yield ApiResponse.noContent();
                }
                default -> throw RestApi.notAllowed(method, "GET, PUT, DELETE");
            };
        }
        return switch (rest.getFirst()) {
            case "start", "stop" -> {
                if (rest.size() != 1) throw ApiException.notFound("no such path under " + rest.getFirst());
                if (!method.equals("POST")) throw RestApi.notAllowed(method, "POST");
                proxy.service(ident);
                change(TcpvsArgs.startOrStop(ident, rest.getFirst().equals("start")), client);
                yield ApiResponse.json(200, serviceJson(ident));
            }
            case "servers" -> servers(method, ident, rest, body, client);
            case "rules" -> rules(method, ident, rest, body, client);
            default -> throw ApiException.notFound("no such path under a layer-7 service: " + rest.getFirst());
        };
    }

    private ApiResponse servers(String method, String ident, List<String> rest, byte[] body, String client)
            throws ApiException {
        if (rest.size() == 1) {
            return switch (method) {
                case "GET" -> ApiResponse.json(200, part(ident, "servers"));
                case "POST" -> {
                    proxy.service(ident);
                    ObjectNode o = RestApi.object(body);
                    List<String> argv = TcpvsArgs.addServer(ident, o);
                    change(argv, client);
                    yield ApiResponse.json(201, L7Json.server(serviceJson(ident), o.path("address").asText()));
                }
                default -> throw RestApi.notAllowed(method, "GET, POST");
            };
        }
        if (rest.size() != 2) throw ApiException.notFound("no such path under a layer-7 server");
        String address = rest.get(1);
        return switch (method) {
            case "GET" -> ApiResponse.json(200, L7Json.server(serviceJson(ident), address));
            case "DELETE" -> {
                L7Json.server(serviceJson(ident), address);
                change(TcpvsArgs.deleteServer(ident, address), client);
                yield ApiResponse.noContent();
            }
            default -> throw RestApi.notAllowed(method, "GET, DELETE");
        };
    }

    private ApiResponse rules(String method, String ident, List<String> rest, byte[] body, String client)
            throws ApiException {
        if (rest.size() == 1) {
            return switch (method) {
                case "GET" -> ApiResponse.json(200, part(ident, "rules"));
                case "POST" -> {
                    proxy.service(ident);
                    change(TcpvsArgs.addRule(ident, RestApi.object(body)), client);
                    yield ApiResponse.json(201, serviceJson(ident));
                }
                default -> throw RestApi.notAllowed(method, "GET, POST");
            };
        }
        if (rest.size() != 2) throw ApiException.notFound("no such path under a layer-7 rule");
        List<L7Rule> rules = proxy.service(ident).service().rules();
        int index;
        try {
            index = Integer.parseInt(rest.get(1));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("a rule is named by its index, not '" + rest.get(1) + "'");
        }
        if (index < 0 || index >= rules.size()) throw ApiException.notFound("no rule " + index + " in " + ident);
        return switch (method) {
            case "GET" -> ApiResponse.json(200, (ObjectNode) serviceJson(ident).get("rules").get(index));
            case "DELETE" -> {
                change(TcpvsArgs.deleteRule(ident, rules.get(index)), client);
                yield ApiResponse.noContent();
            }
            default -> throw RestApi.notAllowed(method, "GET, DELETE");
        };
    }

    private ObjectNode part(String ident, String field) throws ApiException {
        ObjectNode root = JsonViews.MAPPER.createObjectNode();
        root.set(field, serviceJson(ident).get(field));
        return root;
    }

    private ObjectNode serviceJson(String ident) throws ApiException {
        ControlReply.L7ServiceRow row = proxy.service(ident);
        return L7Json.service(row);
    }

    private void change(List<String> argv, String client) throws ApiException {
        proxy.change(argv);
        LOG.info("http {}: tcpvsadm {}", client, String.join(" ", argv));
    }
}
