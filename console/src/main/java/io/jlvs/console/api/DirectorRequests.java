package io.jlvs.console.api;

import io.jlvs.console.ServiceIds;
import io.jlvs.control.AdmException;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.IpvsadmParser;
import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.model.ConnectionRow;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.VrrpStatus;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP surface's way into the director: every read and every change is a control request run by the same
 * {@link AdmExecutor} as jlvsadm's, so the API, jlvsadm and a reload see and change one state through one
 * validation. Changes are built as jlvsadm command lines and parsed by jlvsadm's parser.
 */
public final class DirectorRequests {
    private static final ListFormat STATS_AND_RATES = new ListFormat(true, true, true, false, false, false, true, false);

    private final AdmExecutor executor;

    public DirectorRequests(AdmExecutor executor) {
        this.executor = executor;
    }

    public AdmExecutor executor() { return executor; }

    /** Every service with its servers, counters and rates, in configuration order (as -L --nosort). */
    public List<ControlReply.ServiceRow> services() {
        List<ControlReply.ServiceRow> rows = new ArrayList<>();
        run(new ControlRequest.Run(new AdmCommand.List(AdmCommand.ListWhat.ALL, null, STATS_AND_RATES)), reply -> {
            if (reply instanceof ControlReply.ServiceTable t) rows.addAll(t.services());
        });
        return rows;
    }

    /** The service of an id, with its servers and counters. */
    public ControlReply.ServiceRow service(String id) throws ApiException {
        ServiceKey key = serviceKey(id);
        for (ControlReply.ServiceRow row : services()) {
            if (row.service().key().equals(key)) return row;
        }
        throw ApiException.notFound("no such service: " + id);
    }

    /** The key of a service id, parsed by jlvsadm's parser (a malformed address gets ipvsadm's message). */
    public ServiceKey serviceKey(String id) throws ApiException {
        try {
            AdmCommand command = IpvsadmParser.parse(argv(ServiceIds.options(id), "-L", "-n"));
            return ((AdmCommand.List) command).service();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (AdmException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** A server endpoint of a service, as jlvsadm -d parses it: {addrHi, addrLo, port}. */
    public long[] serverEndpoint(String serviceId, String server) throws ApiException {
        try {
            AdmCommand command = IpvsadmParser.parse(argv(ServiceIds.options(serviceId), "-d", "-r", server));
            AdmCommand.DeleteServer d = (AdmCommand.DeleteServer) command;
            return new long[] {d.addrHi(), d.addrLo(), d.port()};
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (AdmException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * Runs one jlvsadm command line. A syntax error or a refusal throws ApiException 400 with ipvsadm's message and
     * the command; nothing changed then.
     */
    public void change(List<String> argv) throws ApiException {
        String[] args = argv.toArray(String[]::new);
        String shown = IpvsadmParser.PROGRAM + " " + String.join(" ", argv);
        AdmCommand command;
        try {
            command = IpvsadmParser.parse(args);
        } catch (AdmException e) {
            throw new ApiException(400, e.getMessage(), shown);
        }
        List<String> failures = new ArrayList<>();
        run(new ControlRequest.Run(command), reply -> {
            if (reply instanceof ControlReply.Failure f) failures.add(f.message());
        });
        if (!failures.isEmpty()) throw new ApiException(400, String.join("\n", failures), shown);
    }

    /** jlvs drain or undrain of one server; refused (400) without the health engine. */
    public void drain(String serviceId, String server, boolean drain) throws ApiException {
        ServiceKey key = serviceKey(serviceId);
        long[] endpoint = serverEndpoint(serviceId, server);
        List<String> failures = new ArrayList<>();
        run(new ControlRequest.Drain(key, endpoint[0], endpoint[1], (int) endpoint[2], drain), reply -> {
            if (reply instanceof ControlReply.Failure f) failures.add(f.message());
        });
        if (!failures.isEmpty()) {
            throw new ApiException(400, String.join("\n", failures),
                    "jlvs " + (drain ? "drain " : "undrain ") + serviceId + " " + server);
        }
    }

    /** What `jlvs status` shows: VRRP instances and services' health. */
    public record Status(List<VrrpStatus> vrrp, List<ServiceHealth> services) {}

    public Status status() {
        List<VrrpStatus> vrrp = new ArrayList<>();
        List<ServiceHealth> services = new ArrayList<>();
        run(new ControlRequest.Status(), reply -> {
            if (reply instanceof ControlReply.Vrrp v) vrrp.add(v.instance());
            if (reply instanceof ControlReply.Health h) services.add(h.service());
        });
        return new Status(vrrp, services);
    }

    /** Visits every connection entry, as -L -c streams them. */
    public void forEachConnection(Consumer<ConnectionRow> visitor) {
        run(new ControlRequest.Run(new AdmCommand.List(AdmCommand.ListWhat.CONNECTIONS, null, ListFormat.NUMERIC)),
                reply -> {
                    if (reply instanceof ControlReply.ConnectionBatch b) b.rows().forEach(visitor);
                });
    }

    /** jlvsadm -S -n as it prints it. */
    public String rules() {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        executor.execute(new String[] {"-S", "-n"}, out, err);
        return out.toString();
    }

    private void run(ControlRequest request, Consumer<ControlReply> replies) {
        try {
            executor.handle(request, replies::accept);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command's first word, the service's options, then the rest: the order of jlvsadm's usage. */
    private static String[] argv(String[] service, String command, String... rest) {
        String[] all = new String[1 + service.length + rest.length];
        all[0] = command;
        System.arraycopy(service, 0, all, 1, service.length);
        System.arraycopy(rest, 0, all, 1 + service.length, rest.length);
        return all;
    }
}
