package io.jlvs.console.api;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.l7.L7Command;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.TcpvsadmParser;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP surface's way into the layer-7 proxy, as {@link DirectorRequests} is into the data plane: reads are
 * tcpvsadm -L --stats requests, changes are tcpvsadm command lines parsed by tcpvsadm's parser, and both run
 * through the same {@link AdmExecutor} as tcpvsadm's requests through the control socket.
 */
public final class TcpvsRequests {
    private final AdmExecutor executor;

    public TcpvsRequests(AdmExecutor executor) {
        this.executor = executor;
    }

    /** Every layer-7 service with its figures, in configuration order; 503 when the daemon runs no proxy. */
    public List<ControlReply.L7ServiceRow> services() throws ApiException {
        return list(null);
    }

    /** One service with its figures; 404 when there is none of that ident. */
    public ControlReply.L7ServiceRow service(String ident) throws ApiException {
        String error = io.jlvs.control.l7.L7Service.identError(ident);
        if (error != null) throw ApiException.notFound("no such layer-7 service: " + ident + " (" + error + ")");
        List<ControlReply.L7ServiceRow> rows = list(ident);
        if (rows.isEmpty()) throw ApiException.notFound("no such layer-7 service: " + ident);
        return rows.getFirst();
    }

    private List<ControlReply.L7ServiceRow> list(String ident) throws ApiException {
        List<ControlReply.L7ServiceRow> rows = new ArrayList<>();
        List<ControlReply.Failure> failures = new ArrayList<>();
        run(new L7Command.List(ident, true, true), reply -> {
            if (reply instanceof ControlReply.L7Table t) rows.addAll(t.services());
            if (reply instanceof ControlReply.Failure f) failures.add(f);
        });
        if (!failures.isEmpty()) {
            ControlReply.Failure f = failures.getFirst();
            if (f.exitCode() == L7Exception.LIST_FAILED) throw ApiException.notFound("no such layer-7 service: " + ident);
            throw new ApiException(503, f.message());
        }
        return rows;
    }

    /**
     * Runs one tcpvsadm command line. A syntax error or a refusal throws ApiException 400 with tcpvsadm's message
     * and the command; nothing changed then.
     */
    public void change(List<String> argv) throws ApiException {
        String shown = TcpvsadmParser.PROGRAM + " " + String.join(" ", argv);
        L7Command command;
        try {
            command = TcpvsadmParser.parse(argv.toArray(String[]::new));
        } catch (L7Exception e) {
            throw new ApiException(400, e.getMessage(), shown);
        }
        if (!command.changesConfig()) throw new IllegalArgumentException("not a change: " + shown);
        List<String> failures = new ArrayList<>();
        run(command, reply -> {
            if (reply instanceof ControlReply.Failure f) failures.add(f.message());
        });
        if (!failures.isEmpty()) throw new ApiException(400, String.join("\n", failures), shown);
    }

    private void run(L7Command command, java.util.function.Consumer<ControlReply> replies) {
        try {
            executor.handle(new ControlRequest.L7(command), replies::accept);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
