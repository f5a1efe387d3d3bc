package io.jlvs.control;

import io.jlvs.control.l7.L7Changes;
import io.jlvs.control.l7.L7Command;
import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Operations;
import io.jlvs.control.l7.L7Service;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ReplySink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's side of tcpvsadm: a change is applied to the layer-7 state in force and handed whole to the proxy
 * (changes are serialised); -L answers with the services and their figures. Commands the client answers itself
 * (-h, -v, -f before the file is read) are refused.
 */
final class L7Requests {
    private final Object changeLock = new Object();
    private volatile L7Operations operations = L7Operations.NONE;

    void setOperations(L7Operations operations) {
        this.operations = operations;
    }

    /** Runs command, sends its rows or its failure to sink, and returns the exit code (the Outcome is the caller's). */
    int run(L7Command command, ReplySink sink) throws IOException {
        try {
            if (command.changesConfig()) {
                synchronized (changeLock) {
                    L7Config current = operations.config();
                    L7Config next = L7Changes.apply(current, command);
                    if (!next.equals(current)) operations.apply(next);
                }
                return 0;
            }
            switch (command) {
                case L7Command.List l -> sink.send(list(l));
                case L7Command.LoadFile f -> throw L7Exception.refused("a -f request carries the file's configuration");
                default -> throw L7Exception.refused("tcpvsadm answers -h and -v itself");
            }
            return 0;
        } catch (L7Exception e) {
            sink.send(new ControlReply.Failure(e.getMessage(), e.exitCode()));
            return e.exitCode();
        }
    }

    private ControlReply.L7Table list(L7Command.List l) throws L7Exception {
        L7Config config = operations.config();
        List<L7Service> services = config.services();
        if (l.ident() != null) {
            L7Service one = config.service(l.ident());
            if (one == null) throw new L7Exception("No such service", L7Exception.LIST_FAILED);
            services = List.of(one);
        }
        List<ControlReply.L7ServiceRow> rows = new ArrayList<>(services.size());
        for (L7Service s : services) rows.add(new ControlReply.L7ServiceRow(s, operations.counters(s), operations.health(s)));
        return new ControlReply.L7Table(l.ident() == null, l.numeric(), l.stats(), rows);
    }
}
