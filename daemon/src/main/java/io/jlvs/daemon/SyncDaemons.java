package io.jlvs.daemon;

import io.jlvs.control.AdmException;
import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.failover.sync.SyncDaemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The sync daemons jlvsadm starts and stops (--start-daemon, --stop-daemon): at most one master and one backup, as
 * the kernel allows, refused with ipvsadm's messages. The master reads the data plane's change feed, which has one
 * reader, so it is refused while keepalived.conf's lvs_sync_daemon runs one.
 */
final class SyncDaemons implements AutoCloseable {
    private final SyncBridge bridge;
    private final Supplier<SyncDaemon> configured;
    private final Map<String, SyncDaemon> started = new LinkedHashMap<>();

    SyncDaemons(SyncBridge bridge, Supplier<SyncDaemon> configured) {
        this.bridge = bridge;
        this.configured = configured;
    }

    synchronized void start(AdmCommand.StartDaemon d) throws AdmException {
        if (started.containsKey(d.state()) || (d.state().equals("master") && configured.get() != null)) {
            throw AdmException.refused("Daemon has already run");
        }
        try {
            if (NetworkInterface.getByName(d.multicastInterface()) == null) throw AdmException.refused("No such device");
            int maxLength = d.maxLength() > 0 ? d.maxLength()
                    : SyncDaemon.Settings.defaultMaxLength(d.multicastInterface());
            InetAddress group = InetAddress.getByName(d.group() != null ? d.group() : "224.0.0.81");
            SyncDaemon daemon = new SyncDaemon(new SyncDaemon.Settings(d.multicastInterface(), d.syncId(), maxLength,
                    group, d.port(), d.ttl()), bridge, bridge);
            daemon.start(d.state().equals("master") ? SyncDaemon.Role.MASTER : SyncDaemon.Role.BACKUP);
            started.put(d.state(), daemon);
        } catch (UnknownHostException e) {
            throw AdmException.refused("illegal IP address");
        } catch (IOException e) {
            throw AdmException.refused(e.getMessage());
        }
    }

    synchronized void stop(String state) throws AdmException {
        List<String> roles = state == null ? List.copyOf(started.keySet()) : List.of(state);
        boolean any = false;
        for (String role : roles) {
            SyncDaemon d = started.remove(role);
            if (d != null) {
                d.close();
                any = true;
            }
        }
        if (!any) throw AdmException.refused("No daemon is running");
    }

    /** Every running sync daemon, lvs_sync_daemon's (in its current role) first. */
    synchronized List<ControlReply.SyncDaemonRow> rows() {
        List<ControlReply.SyncDaemonRow> rows = new ArrayList<>();
        SyncDaemon c = configured.get();
        if (c != null) rows.add(row(c.role().name().toLowerCase(), c));
        started.forEach((role, d) -> rows.add(row(role, d)));
        return rows;
    }

    private static ControlReply.SyncDaemonRow row(String role, SyncDaemon d) {
        SyncDaemon.Settings s = d.settings();
        return new ControlReply.SyncDaemonRow(role, s.interfaceName(), s.syncId(), s.maxLength(),
                s.group().getHostAddress(), s.port(), s.ttl());
    }

    @Override
    public synchronized void close() {
        started.values().forEach(SyncDaemon::close);
        started.clear();
    }
}
