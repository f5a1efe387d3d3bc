package io.jlvs.console.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.control.l7.L7Options;
import io.jlvs.control.l7.L7Rule;
import io.jlvs.control.l7.L7Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tcpvsadm command line a layer-7 REST change stands for. An edit is written out in full, the body's fields
 * over the settings in force, so that a field left out keeps its value (tcpvsadm's -E would reset it). Values are
 * passed on as written: tcpvsadm's parser checks them and its message is the answer.
 */
final class TcpvsArgs {
    static final Set<String> SERVICE_FIELDS = Set.of("ident", "listen", "scheduler", "xff", "proxyProtocol", "source",
            "splice");
    static final Set<String> SERVER_FIELDS = Set.of("address", "weight");
    static final Set<String> RULE_FIELDS = Set.of("pattern", "header", "match", "server");

    private TcpvsArgs() {}

    static String ident(ObjectNode body) throws ApiException {
        String ident = new JsonFields(body, SERVICE_FIELDS).text("ident", null);
        if (ident == null) throw ApiException.badRequest("field 'ident' is required");
        return ident;
    }

    /** -A -i IDENT [-l LISTEN] [-s SCHEDULER] [service options]. */
    static List<String> addService(ObjectNode body) throws ApiException {
        JsonFields f = new JsonFields(body, SERVICE_FIELDS);
        List<String> argv = command("-A", ident(body));
        String listen = f.text("listen", null);
        if (listen != null) add(argv, "-l", listen);
        String scheduler = f.text("scheduler", null);
        if (scheduler != null) add(argv, "-s", scheduler);
        options(f, argv, L7Options.DEFAULT);
        return argv;
    }

    /** -E with every setting: the body's over those of current. */
    static List<String> editService(L7Service current, ObjectNode body) throws ApiException {
        JsonFields f = new JsonFields(body, SERVICE_FIELDS);
        if (f.has("ident") && !f.text("ident", "").equals(current.ident())) {
            throw ApiException.badRequest("field 'ident' cannot change; delete the service and add the new one");
        }
        List<String> argv = command("-E", current.ident());
        add(argv, "-l", f.text("listen", current.listen().toString()));
        add(argv, "-s", f.text("scheduler", current.scheduler().schedulerName()));
        options(f, argv, current.options());
        return argv;
    }

    private static void options(JsonFields f, List<String> argv, L7Options current) throws ApiException {
        if (f.bool("xff", current.forwardedFor())) argv.add("--xff");
        String proxyProtocol = f.text("proxyProtocol", current.proxyProtocol().text());
        if (proxyProtocol != null && !proxyProtocol.equals("none")) add(argv, "--proxy-protocol", proxyProtocol);
        String source = f.text("source", current.sourceText());
        if (source != null && !source.isEmpty()) add(argv, "--source", source);
        String splice = f.text("splice", current.splice().text());
        if (splice != null && !splice.equals("auto")) add(argv, "--splice", splice);
    }

    /** -a -i IDENT -r ADDRESS:PORT [-w WEIGHT]. */
    static List<String> addServer(String ident, ObjectNode body) throws ApiException {
        JsonFields f = new JsonFields(body, SERVER_FIELDS);
        String address = f.text("address", null);
        if (address == null) throw ApiException.badRequest("field 'address' is required (ADDRESS:PORT)");
        List<String> argv = command("-a", ident);
        add(argv, "-r", address);
        if (f.has("weight")) add(argv, "-w", Long.toString(f.integer("weight", 0)));
        return argv;
    }

    /** -d -i IDENT -r ADDRESS:PORT. */
    static List<String> deleteServer(String ident, String address) {
        List<String> argv = command("-d", ident);
        add(argv, "-r", address);
        return argv;
    }

    /** --add-rule -i IDENT [--header NAME] -p PATTERN [-m MATCH] -r ADDRESS:PORT. */
    static List<String> addRule(String ident, ObjectNode body) throws ApiException {
        JsonFields f = new JsonFields(body, RULE_FIELDS);
        String pattern = f.text("pattern", null);
        String server = f.text("server", null);
        if (pattern == null || server == null) throw ApiException.badRequest("fields 'pattern' and 'server' are required");
        List<String> argv = command("--add-rule", ident);
        String header = f.text("header", null);
        if (header != null) add(argv, "--header", header);
        add(argv, "-p", pattern);
        if (f.has("match")) add(argv, "-m", Long.toString(f.integer("match", 0)));
        add(argv, "-r", server);
        return argv;
    }

    /** --del-rule for a rule in force: its header, pattern and server. */
    static List<String> deleteRule(String ident, L7Rule rule) {
        List<String> argv = command("--del-rule", ident);
        if (rule.header() != null) add(argv, "--header", rule.header());
        add(argv, "-p", rule.pattern());
        add(argv, "-r", rule.server().toString());
        return argv;
    }

    /** --start or --stop -i IDENT. */
    static List<String> startOrStop(String ident, boolean start) {
        return command(start ? "--start" : "--stop", ident);
    }

    /** -D -i IDENT. */
    static List<String> deleteService(String ident) {
        return command("-D", ident);
    }

    private static List<String> command(String op, String ident) {
        List<String> argv = new ArrayList<>();
        argv.add(op);
        add(argv, "-i", ident);
        return argv;
    }

    private static void add(List<String> argv, String option, String value) {
        argv.add(option);
        argv.add(value);
    }
}
