package io.jlvs.console.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.console.ServiceIds;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The jlvsadm command line a REST change stands for. An edit is written out in full, the body's fields over the
 * settings in force, so that a field left out keeps its value (ipvsadm's -E and -e would reset it).
 */
final class AdmArgs {
    static final Set<String> SERVICE_FIELDS = Set.of("protocol", "address", "fwmark", "family", "scheduler",
            "flags", "persistent", "netmask", "pe", "onePacket", "synproxy", "id");
    static final Set<String> SERVER_FIELDS = Set.of("address", "method", "weight", "upperThreshold",
            "lowerThreshold", "tunType", "tunPort", "tunCsum");

    private AdmArgs() {}

    /** The service id a create body names: protocol and address, or fwmark (and family inet6 for IPv6). */
    static String serviceId(JsonFields f) throws ApiException {
        String protocol = f.text("protocol", null);
        if (protocol == null) throw ApiException.badRequest("field 'protocol' is required (tcp, udp, sctp or fwm)");
        if (protocol.equals("fwm")) {
            if (!f.has("fwmark")) throw ApiException.badRequest("field 'fwmark' is required for protocol fwm");
            boolean v6 = "inet6".equals(f.text("family", "inet"));
            return (v6 ? "fwm6/" : "fwm/") + f.integer("fwmark", 0);
        }
        String address = f.text("address", null);
        if (address == null) throw ApiException.badRequest("field 'address' is required (ADDRESS:PORT)");
        return protocol + "/" + address;
    }

    static List<String> addService(ObjectNode body) throws ApiException {
        JsonFields f = new JsonFields(body, SERVICE_FIELDS);
        String id = serviceId(f);
        List<String> argv = command("-A", id);
        argv.add("-s");
        argv.add(f.text("scheduler", "wlc"));
        serviceOptions(f, argv, 0, null, null, false, false, List.of(), id.startsWith("fwm6/") || id.contains("["));
        return argv;
    }

    static List<String> editService(String id, ServiceConfig current, ObjectNode body) throws ApiException {
        JsonFields f = new JsonFields(body, SERVICE_FIELDS);
        List<String> argv = command("-E", id);
        argv.add("-s");
        argv.add(f.text("scheduler", current.scheduler()));
        Integer prefix = current.netmaskPrefix() == (current.key().af() == 4 ? 32 : 128) ? null : current.netmaskPrefix();
        serviceOptions(f, argv, current.persistTimeout(), prefix, current.pe(), current.onePacket(),
                current.synproxy(), List.copyOf(current.schedFlags()), current.key().af() == 6);
        return argv;
    }

    private static void serviceOptions(JsonFields f, List<String> argv, int persistent, Integer netmask, String pe,
                                       boolean onePacket, boolean synproxy, List<String> flags, boolean v6)
            throws ApiException {
        long timeout = f.integer("persistent", persistent);
        if (timeout > 0) {
            argv.add("-p");
            argv.add(Long.toString(timeout));
        }
        Long prefix = f.has("netmask") ? Long.valueOf(f.integer("netmask", 0)) : netmask == null ? null : (long) netmask;
        if (prefix != null) {
            argv.add("-M");
            argv.add(v6 ? Long.toString(prefix) : dottedMask(prefix));
        }
        String engine = f.text("pe", pe);
        if (engine != null && !engine.isEmpty()) {
            argv.add("--pe");
            argv.add(engine);
        }
        if (f.bool("onePacket", onePacket)) argv.add("-o");
        if (f.bool("synproxy", synproxy)) argv.add("--synproxy");
        List<String> schedFlags = f.strings("flags", flags);
        if (!schedFlags.isEmpty()) {
            argv.add("-b");
            argv.add(String.join(",", schedFlags));
        }
    }

    /** An IPv4 prefix length as ipvsadm's -M takes it; a length out of range is left for the parser to refuse. */
    private static String dottedMask(long prefix) throws ApiException {
        if (prefix < 0 || prefix > 32) throw ApiException.badRequest("field 'netmask' must be a prefix length 0..32");
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return Addresses.formatV4(mask);
    }

    static List<String> addServer(String serviceId, ObjectNode body) throws ApiException {
        JsonFields f = new JsonFields(body, SERVER_FIELDS);
        String address = f.text("address", null);
        if (address == null) throw ApiException.badRequest("field 'address' is required (ADDRESS:PORT)");
        List<String> argv = command("-a", serviceId);
        serverOptions(f, argv, address, null, 1, 0, 0, null, 0, null);
        return argv;
    }

    static List<String> editServer(String serviceId, RealServerConfig current, ObjectNode body) throws ApiException {
        JsonFields f = new JsonFields(body, SERVER_FIELDS);
        String address = JsonViews.endpoint(current);
        if (f.has("address") && !f.text("address", "").equals(address)) {
            throw ApiException.badRequest("field 'address' cannot change; delete the server and add the new one");
        }
        List<String> argv = command("-e", serviceId);
        serverOptions(f, argv, address, current.method(), current.weight(), current.upperThreshold(),
                current.lowerThreshold(), current.tunType(), current.tunPort(), current.tunCsum());
        return argv;
    }

    private static void serverOptions(JsonFields f, List<String> argv, String address, ForwardMethod method,
                                      int weight, int upper, int lower, String tunType, int tunPort, String tunCsum)
            throws ApiException {
        argv.add("-r");
        argv.add(address);
        String m = f.text("method", method == null ? null : JsonViews.method(method));
        String methodSwitch = null;
        if (m != null) {
            methodSwitch = switch (m) {
                case "masq", "masquerading", "nat" -> "-m";
                case "route", "gatewaying", "dr", "local" -> "-g";
                case "tunnel", "ipip", "tun" -> "-i";
                default -> throw ApiException.badRequest("field 'method' must be masq, route or tunnel, not '" + m + "'");
            };
            argv.add(methodSwitch);
        }
        argv.add("-w");
        argv.add(Long.toString(f.integer("weight", weight)));
        long x = f.integer("upperThreshold", upper);
        long y = f.integer("lowerThreshold", lower);
        if (x != 0) {
            argv.add("-x");
            argv.add(Long.toString(x));
        }
        if (y != 0) {
            argv.add("-y");
            argv.add(Long.toString(y));
        }
        String type = f.text("tunType", tunType);
        if (type != null && "-i".equals(methodSwitch)) {
            argv.add("--tun-type");
            argv.add(type);
            long port = f.integer("tunPort", tunPort);
            if (port != 0) {
                argv.add("--tun-port");
                argv.add(Long.toString(port));
            }
            String csum = f.text("tunCsum", tunCsum);
            if (csum != null) argv.add("--tun-" + csum);
        }
    }

    private static List<String> command(String op, String serviceId) throws ApiException {
        List<String> argv = new ArrayList<>();
        argv.add(op);
        try {
            argv.addAll(List.of(ServiceIds.options(serviceId)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return argv;
    }
}
