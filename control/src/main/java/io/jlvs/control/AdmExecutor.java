package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.l7.L7Operations;
import io.jlvs.control.model.ConnectionRow;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;

import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.IpvsConfigBuilder;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.VrrpStatus;
import io.jlvs.control.protocol.ControlProtocol;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import io.jlvs.control.protocol.ReplySink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs typed control requests against a {@link DirectorRuntime}: changes the desired state and hands the whole
 * new state to the runtime (which applies only the difference), or answers with rows. The daemon runs the
 * requests jlvsadm sends; {@link #execute} runs a command line in-process (parse, run, format) as jlvsadm would
 * print it. Changes are serialised; listings read an immutable snapshot and may run alongside.
 */
public final class AdmExecutor {
    private final DirectorRuntime runtime;
    private final NameResolver resolver;
    private final Object changeLock = new Object();
    private volatile ClusterOperations operations = ClusterOperations.NONE;
    private final L7Requests l7 = new L7Requests();

    public AdmExecutor(DirectorRuntime runtime) {
        this(runtime, NameResolver.system());
    }

    /** What answers status, drain and reload requests (the daemon's health engine); none by default. */
    public void setOperations(ClusterOperations operations) {
        this.operations = operations;
    }

    /** What answers tcpvsadm's requests (the daemon's layer-7 proxy); none by default. */
    public void setL7Operations(L7Operations operations) {
        l7.setOperations(operations);
    }

    /** resolver names addresses and ports in the listings that {@link #execute} prints. */
    public AdmExecutor(DirectorRuntime runtime, NameResolver resolver) {
        this.runtime = runtime;
        this.resolver = resolver;
    }

    /**
     * Applies edit to the desired state in force and hands the result to the runtime, serialised with every other
     * change (the health checks, drains and reloads change the state through here, as jlvsadm does). Returns the
     * state applied; a refusal leaves the previous state in force.
     */
    public IpvsConfig change(UnaryOperator<IpvsConfig> edit) throws AdmException {
        synchronized (changeLock) {
            IpvsConfig next = edit.apply(runtime.config());
            if (!next.equals(runtime.config())) runtime.apply(next);
            return next;
        }
    }

    /** The desired state in force. */
    public IpvsConfig config() { return runtime.config(); }

    public int execute(String[] argv, Appendable out, Appendable err) {
        return execute(argv, "", out, err);
    }

    /**
     * Runs one command line in-process and prints what jlvsadm would print; stdin is the text -R reads.
     * Returns the exit code ipvsadm would exit with. An IOException of out or err is thrown as
     * UncheckedIOException.
     */
    public int execute(String[] argv, String stdin, Appendable out, Appendable err) {
        ReplyPrinter printer = new ReplyPrinter(out, err, resolver);
        try {
            ControlRequest request;
            try {
                request = requestOf(IpvsadmParser.parse(argv), stdin);
            } catch (AdmException e) {
                printer.send(new ControlReply.Failure(e.getMessage(), e.exitCode()));
                return e.exitCode();
            }
            return handle(request, printer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request of a parsed command line; for -R, stdin is parsed into its commands. */
    static ControlRequest requestOf(AdmCommand command, String stdin) {
        if (command instanceof AdmCommand.Restore) return RestoreInput.parse(stdin == null ? "" : stdin);
        return new ControlRequest.Run(command);
    }

    /**
     * Runs a request: sends its results and failures to sink in order, then its Outcome, and returns the exit
     * code. IOExceptions are the sink's (the client went away).
     */
    public int handle(ControlRequest request, ReplySink sink) throws IOException {
        int code = switch (request) {
            case ControlRequest.Run r -> runOne(r.command(), sink);
            case ControlRequest.Restore r -> restore(r, sink);
            case ControlRequest.Status r -> status(sink);
            case ControlRequest.Drain r -> drain(r, sink);
            case ControlRequest.Reload r -> reload(sink);
            case ControlRequest.DirectorDrain r -> drainDirector(r.drain(), sink);
            case ControlRequest.L7 r -> l7.run(r.command(), sink);
        };
        sink.send(new ControlReply.Outcome(code));
        return code;
    }

    private int status(ReplySink sink) throws IOException {
        for (String line : operations.dataPlaneStatus()) sink.send(new ControlReply.Notice(line));
        for (VrrpStatus v : operations.vrrpStatus()) sink.send(new ControlReply.Vrrp(v));
        var bgp = operations.bgpStatus();
        if (bgp.isPresent()) sink.send(new ControlReply.Bgp(bgp.get()));
        for (ServiceHealth s : operations.status()) sink.send(new ControlReply.Health(s));
        return 0;
    }

    private int drain(ControlRequest.Drain r, ReplySink sink) throws IOException {
        try {
            if (r.drain()) operations.drain(r.service(), r.addrHi(), r.addrLo(), r.port());
            else operations.undrain(r.service(), r.addrHi(), r.addrLo(), r.port());
            return 0;
        } catch (AdmException e) {
            return fail(e, sink);
        }
    }

    private int drainDirector(boolean drain, ReplySink sink) throws IOException {
        try {
            operations.drainDirector(drain);
            return 0;
        } catch (AdmException e) {
            return fail(e, sink);
        }
    }

    private int reload(ReplySink sink) throws IOException {
        try {
            for (String line : operations.reload()) sink.send(new ControlReply.Notice(line));
            return 0;
        } catch (AdmException e) {
            return fail(e, sink);
        }
    }

    private int runOne(AdmCommand cmd, ReplySink sink) throws IOException {
        if (cmd instanceof AdmCommand.Restore) {
            return fail(AdmException.refused("a -R request carries its commands"), sink);
        }
        try {
            run(cmd, sink);
            return 0;
        } catch (AdmException e) {
            return fail(e, sink);
        }
    }

    private static int fail(AdmException e, ReplySink sink) throws IOException {
        sink.send(new ControlReply.Failure(e.getMessage(), e.exitCode()));
        return e.exitCode();
    }

    private void run(AdmCommand cmd, ReplySink sink) throws AdmException, IOException {
        if (cmd.changesConfig()) {
            synchronized (changeLock) {
                IpvsConfigBuilder b = runtime.config().toBuilder();
                ConfigChanges.apply(b, cmd, runtime.defaultForwardMethod());
                runtime.apply(b.build());
            }
            return;
        }
        switch (cmd) {
            case AdmCommand.List l -> list(l, sink);
            case AdmCommand.Save s -> {
                IpvsConfig config = runtime.config();
                // Mark rules first, so that -R of this output has them before the -f services they feed.
                sink.send(new ControlReply.MarkRules(config.markRules()));
                sink.send(new ControlReply.ServiceTable(ControlReply.TableKind.RULES,
                        s.numeric() ? ListFormat.NUMERIC : ListFormat.DEFAULT, runtime.connectionTableSize(),
                        rows(config.entries(), false)));
            }
            case AdmCommand.ListMarks m -> sink.send(new ControlReply.MarkRules(runtime.config().markRules()));
            case AdmCommand.ListLocalAddresses l -> {
                if (l.service() != null && !runtime.config().hasService(l.service()))
                    throw AdmException.refused("No such service");
                for (String line : LocalAddressListing.lines(runtime.config(), l.service()))
                    sink.send(new ControlReply.Notice(line));
            }
            case AdmCommand.Zero z -> {
                if (z.service() != null && !runtime.config().hasService(z.service()))
                    throw AdmException.refused("No such service");
                runtime.zeroStats(z.service());
            }
            case AdmCommand.SetTimeouts t -> {
                synchronized (changeLock) {
                    runtime.setTimeouts(t.update());
                }
            }
            case AdmCommand.StartDaemon d -> {
                if (d.multicastInterface() == null) throw AdmException.refused("No such device");
                operations.startSyncDaemon(d);
            }
            case AdmCommand.StopDaemon d -> operations.stopSyncDaemon(d.state());
            case AdmCommand.Help h -> sink.send(new ControlReply.Usage(false));
            case AdmCommand.Version v -> sink.send(new ControlReply.Usage(true));
            case AdmCommand.Sysctl s -> sysctl(s, sink);
            default -> throw new IllegalStateException("unhandled command " + cmd);
        }
    }

    private void list(AdmCommand.List l, ReplySink sink) throws AdmException, IOException {
        switch (l.what()) {
            case ALL -> sink.send(new ControlReply.ServiceTable(ControlReply.TableKind.ALL, l.format(),
                    runtime.connectionTableSize(), rows(runtime.config().entries(), true)));
            case SERVICE -> {
                IpvsConfig.ServiceEntry entry = null;
                for (IpvsConfig.ServiceEntry e : runtime.config().entries()) {
                    if (e.service().key().equals(l.service())) entry = e;
                }
                if (entry == null) throw new AdmException("No such service", AdmException.LIST_FAILED);
                sink.send(new ControlReply.ServiceTable(ControlReply.TableKind.ONE, l.format(),
                        runtime.connectionTableSize(), rows(List.of(entry), true)));
            }
            case CONNECTIONS -> connections(l.format(), sink);
            case TIMEOUT -> sink.send(new ControlReply.TimeoutValues(runtime.timeouts()));
            case DAEMON -> sink.send(new ControlReply.SyncDaemons(operations.syncDaemons()));
        }
    }

    /** The services with their counters (all zero when withStats is false: -S shows none). */
    private List<ControlReply.ServiceRow> rows(List<IpvsConfig.ServiceEntry> entries, boolean withStats) {
        List<ControlReply.ServiceRow> rows = new ArrayList<>(entries.size());
        for (IpvsConfig.ServiceEntry e : entries) {
            var key = e.service().key();
            List<ControlReply.RealServerRow> servers = new ArrayList<>(e.realServers().size());
            for (RealServerConfig d : e.realServers()) {
                RealServerStats s = withStats ? runtime.realServerStats(key, d.addrHi(), d.addrLo(), d.port()) : null;
                servers.add(new ControlReply.RealServerRow(d, s == null ? RealServerStats.ZERO : s));
            }
            ServiceStats s = withStats ? runtime.serviceStats(key) : null;
            rows.add(new ControlReply.ServiceRow(e.service(), s == null ? ServiceStats.ZERO : s, servers));
        }
        return rows;
    }

    /** The connection table in batches of a bounded size, sent as the runtime visits them. */
    private void connections(ListFormat format, ReplySink sink) throws IOException {
        sink.send(new ControlReply.ConnectionsHeader(format.numeric(), format.persistentConn()));
        List<ConnectionRow> batch = new ArrayList<>(ControlProtocol.CONNECTION_BATCH_ROWS);
        try {
            runtime.forEachConnection(row -> {
                batch.add(row);
                if (batch.size() == ControlProtocol.CONNECTION_BATCH_ROWS) {
                    sendBatch(batch, sink);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!batch.isEmpty()) sendBatch(batch, sink);
    }

    private static void sendBatch(List<ConnectionRow> batch, ReplySink sink) {
        try {
            sink.send(new ControlReply.ConnectionBatch(batch));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        batch.clear();
    }

    private void sysctl(AdmCommand.Sysctl s, ReplySink sink) throws AdmException, IOException {
        if (s.value().isPresent()) {
            synchronized (changeLock) {
                runtime.setSysctl(s.sysctl(), s.value().getAsInt());
            }
        }
        List<ControlReply.SysctlValue> values = new ArrayList<>();
        for (IpvsSysctl knob : s.sysctl() == null ? List.of(IpvsSysctl.values()) : List.of(s.sysctl())) {
            values.add(new ControlReply.SysctlValue(knob.sysctlName(), Integer.toString(runtime.sysctl(knob))));
        }
        sink.send(new ControlReply.SysctlValues(values));
    }

    /**
     * -R: the commands of the input lines. Config changes accumulate in one working copy that is handed to the
     * runtime once (a 10,000-line restore costs one diff, not 10,000). As with ipvsadm, a line the runtime
     * refuses is reported and the rest go on (the exit code is that of the last line); a line with bad syntax
     * (the request's stop) ends the restore after applying the lines before it.
     */
    private int restore(ControlRequest.Restore request, ReplySink sink) throws IOException {
        synchronized (changeLock) {
            IpvsConfigBuilder pending = null;
            int result = 0;
            for (AdmCommand cmd : request.commands()) {
                try {
                    if (cmd instanceof AdmCommand.Restore) {
                        throw AdmException.refused("a -R request carries its commands");
                    } else if (cmd.changesConfig()) {
                        if (pending == null) pending = runtime.config().toBuilder();
                        ConfigChanges.apply(pending, cmd, runtime.defaultForwardMethod());
                    } else {
                        int flushed = flush(pending, sink);
                        pending = null;
                        if (flushed != 0) return flushed;
                        run(cmd, sink);
                    }
                    result = 0;
                } catch (AdmException e) {
                    result = fail(e, sink);
                }
            }
            int flushed = flush(pending, sink);
            if (request.stop() != null) {
                sink.send(request.stop());
                return request.stop().exitCode();
            }
            return flushed != 0 ? flushed : result;
        }
    }

    private int flush(IpvsConfigBuilder pending, ReplySink sink) throws IOException {
        if (pending == null) return 0;
        try {
            runtime.apply(pending.build());
            return 0;
        } catch (AdmException e) {
            return fail(e, sink);
        }
    }
}
