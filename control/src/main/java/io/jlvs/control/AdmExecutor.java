package io.jlvs.control;

import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.IpvsConfigBuilder;
import io.jlvs.control.model.MarkRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Runs ipvsadm command lines against a {@link DirectorRuntime}: parse, check, change the desired state and hand
 * the whole new state to the runtime (which applies only the difference), or print a listing.
 * Changes are serialised; listings read an immutable snapshot and may run alongside.
 */
public final class AdmExecutor {
    private final DirectorRuntime runtime;
    private final NameResolver resolver;
    private final Object changeLock = new Object();

    public AdmExecutor(DirectorRuntime runtime) {
        this(runtime, NameResolver.system());
    }

    public AdmExecutor(DirectorRuntime runtime, NameResolver resolver) {
        this.runtime = runtime;
        this.resolver = resolver;
    }

    public int execute(String[] argv, Appendable out, Appendable err) {
        return execute(argv, "", out, err);
    }

    /**
     * Runs one command line; stdin is the text -R reads (the client sends its standard input along).
     * Returns the exit code ipvsadm would exit with. An IOException of out or err (the client went away) is
     * thrown as UncheckedIOException.
     */
    public int execute(String[] argv, String stdin, Appendable out, Appendable err) {
        try {
            AdmCommand cmd;
            try {
                cmd = IpvsadmParser.parse(argv);
            } catch (AdmException e) {
                return fail(e, err);
            }
            if (cmd instanceof AdmCommand.Restore) return restore(stdin == null ? "" : stdin, out, err);
            try {
                run(cmd, out);
                return 0;
            } catch (AdmException e) {
                return fail(e, err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int fail(AdmException e, Appendable err) throws IOException {
        err.append(e.getMessage()).append('\n');
        return e.exitCode();
    }

    private void run(AdmCommand cmd, Appendable out) throws AdmException, IOException {
        if (cmd.changesConfig()) {
            synchronized (changeLock) {
                IpvsConfigBuilder b = runtime.config().toBuilder();
                ConfigChanges.apply(b, cmd, runtime.defaultForwardMethod());
                runtime.apply(b.build());
            }
            return;
        }
        switch (cmd) {
            case AdmCommand.List l -> list(l, out);
            case AdmCommand.Save s -> {
                IpvsConfig config = runtime.config();
                // Mark rules first, so that -R of this output has them before the -f services they feed.
                for (MarkRule r : config.markRules()) out.append(r.saveText()).append('\n');
                new ServiceListing(runtime, s.numeric() ? ListFormat.NUMERIC : ListFormat.DEFAULT, true, resolver)
                        .listAll(config, out);
            }
            case AdmCommand.ListMarks m -> {
                for (MarkRule r : runtime.config().markRules()) out.append(r.saveText()).append('\n');
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
            case AdmCommand.StartDaemon d -> throw AdmException.refused(
                    "Connection synchronization is not available in jlvs yet: no sync daemon started");
            case AdmCommand.StopDaemon d -> throw AdmException.refused("No daemon is running");
            case AdmCommand.Help h -> out.append(UsageText.text());
            case AdmCommand.Version v -> out.append(UsageText.version());
            case AdmCommand.Sysctl s -> sysctl(s, out);
            default -> throw new IllegalStateException("unhandled command " + cmd);
        }
    }

    private void list(AdmCommand.List l, Appendable out) throws AdmException, IOException {
        switch (l.what()) {
            case ALL -> new ServiceListing(runtime, l.format(), false, resolver).listAll(runtime.config(), out);
            case SERVICE -> {
                IpvsConfig config = runtime.config();
                IpvsConfig.ServiceEntry entry = null;
                for (IpvsConfig.ServiceEntry e : config.entries()) {
                    if (e.service().key().equals(l.service())) entry = e;
                }
                if (entry == null) throw new AdmException("No such service", AdmException.LIST_FAILED);
                new ServiceListing(runtime, l.format(), false, resolver).listOne(entry, out);
            }
            case CONNECTIONS -> new ConnectionListing(out, resolver, l.format().numeric(), l.format().persistentConn()).list(runtime);
            case TIMEOUT -> {
                Timeouts t = runtime.timeouts();
                out.append("Timeout (tcp tcpfin udp): ").append(Integer.toString(t.tcp())).append(' ')
                   .append(Integer.toString(t.tcpFin())).append(' ').append(Integer.toString(t.udp())).append('\n');
            }
            case DAEMON -> { /* no connection sync daemon runs: ipvsadm prints nothing then */ }
        }
    }

    private void sysctl(AdmCommand.Sysctl s, Appendable out) throws AdmException, IOException {
        if (s.value().isPresent()) {
            synchronized (changeLock) {
                runtime.setSysctl(s.sysctl(), s.value().getAsInt());
            }
        }
        for (IpvsSysctl knob : s.sysctl() == null ? List.of(IpvsSysctl.values()) : List.of(s.sysctl())) {
            out.append(IpvsSysctl.PREFIX).append(knob.sysctlName()).append(" = ")
               .append(Integer.toString(runtime.sysctl(knob))).append('\n');
        }
    }

    /**
     * -R: every line is an ipvsadm command. Config changes accumulate in one working copy that is handed to the
     * runtime once (a 10,000-line restore costs one diff, not 10,000). As with ipvsadm, a line the runtime refuses
     * is reported and the rest go on (the exit code is that of the last line); a line with bad syntax stops the
     * restore after applying the lines before it.
     */
    private int restore(String text, Appendable out, Appendable err) throws IOException {
        synchronized (changeLock) {
            IpvsConfigBuilder pending = null;
            int result = 0;
            for (String line : text.split("\n", -1)) {
                List<String> words = RestoreInput.words(line);
                if (words.isEmpty()) continue;
                AdmCommand cmd;
                try {
                    cmd = IpvsadmParser.parseRestoreLine(words.toArray(String[]::new));
                } catch (AdmException e) {
                    int flushed = flush(pending, err);
                    return fail(e, err) != 0 ? e.exitCode() : flushed;
                }
                try {
                    if (cmd.changesConfig()) {
                        if (pending == null) pending = runtime.config().toBuilder();
                        ConfigChanges.apply(pending, cmd, runtime.defaultForwardMethod());
                    } else {
                        int flushed = flush(pending, err);
                        pending = null;
                        if (flushed != 0) return flushed;
                        run(cmd, out);
                    }
                    result = 0;
                } catch (AdmException e) {
                    result = fail(e, err);
                }
            }
            int flushed = flush(pending, err);
            return flushed != 0 ? flushed : result;
        }
    }

    private int flush(IpvsConfigBuilder pending, Appendable err) throws IOException {
        if (pending == null) return 0;
        try {
            runtime.apply(pending.build());
            return 0;
        } catch (AdmException e) {
            return fail(e, err);
        }
    }
}
