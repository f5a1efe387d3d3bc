package io.jlvs.control.protocol;

import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.VrrpStatus;
import io.jlvs.control.model.ConnectionRow;

import io.jlvs.control.command.ListFormat;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Health;
import io.jlvs.control.l7.L7Service;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.Timeouts;
import io.jlvs.control.model.MarkRule;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import java.util.List;

/**
 * What the daemon answers: zero or more results and failures in the order the command produced them, then one
 * {@link Outcome}. Results are rows; jlvsadm formats them.
 */
public sealed interface ControlReply {
    /** A command failed: jlvsadm prints the message on stderr, as ipvsadm does. More replies may follow (-R). */
    record Failure(String message, int exitCode) implements ControlReply {}

    /** The last reply of every request: the exit code of the whole command. */
    record Outcome(int exitCode) implements ControlReply {}

    /** Which ipvsadm service listing the rows are for. */
    enum TableKind {
        /** -L: the version header, the title and every service. */
        ALL,
        /** -L -t addr:port: the title and one service. */
        ONE,
        /** -S: the rules that recreate the services. */
        RULES
    }

    /** One real server of a listed service with its counters. */
    record RealServerRow(RealServerConfig server, RealServerStats stats) {}

    /** One listed service with its counters and its real servers, in configuration order. */
    record ServiceRow(ServiceConfig service, ServiceStats stats, List<RealServerRow> servers) {
        public ServiceRow {
            servers = List.copyOf(servers);
        }
    }

    /**
     * The services of -L or -S, in configuration order (jlvsadm sorts them unless the format says not to).
     *
     * @param format              the listing modifiers of the command that asked
     * @param connectionTableSize shown as "(size=N)" in the header of -L
     */
    record ServiceTable(TableKind kind, ListFormat format, int connectionTableSize, List<ServiceRow> services)
            implements ControlReply {
        public ServiceTable {
            services = List.copyOf(services);
        }
    }

    /** The mark rules (--list-marks, and the first lines of -S), in evaluation order. */
    record MarkRules(List<MarkRule> rules) implements ControlReply {
        public MarkRules {
            rules = List.copyOf(rules);
        }
    }

    /** The start of a connection listing (-L -c): its batches follow. */
    record ConnectionsHeader(boolean numeric, boolean persistenceEngineColumns) implements ControlReply {}

    /**
     * One connection entry. Addresses as in ServiceKey (IPv4 mapped into 128 bits).
     *
     * @param protocol "TCP", "UDP", "SCTP", or "IP" for fwmark templates
     * @param peName   persistence engine of a template made by one, else null (and peData null)
     */

    /** A bounded batch of connection entries; a large table arrives as many of them. */
    record ConnectionBatch(List<ConnectionRow> rows) implements ControlReply {
        public ConnectionBatch {
            rows = List.copyOf(rows);
        }
    }

    /** -L --timeout. */
    record TimeoutValues(Timeouts timeouts) implements ControlReply {}

    /** One IPVS knob and its current value. */
    record SysctlValue(String name, String value) {}

    /** --sysctl: the values of the knobs asked for. */
    record SysctlValues(List<SysctlValue> values) implements ControlReply {
        public SysctlValues {
            values = List.copyOf(values);
        }
    }

    /** One connection synchronisation daemon: state "master" or "backup", and its settings as in force. */
    record SyncDaemonRow(String state, String multicastInterface, int syncId, int maxLength, String group, int port,
                         int ttl) {}

    /** -L --daemon: the running sync daemons (jlvs runs none yet, so the list is empty). */
    record SyncDaemons(List<SyncDaemonRow> daemons) implements ControlReply {
        public SyncDaemons {
            daemons = List.copyOf(daemons);
        }
    }

    /** -h or -v met in a -R input: jlvsadm prints its usage or version text. */
    record Usage(boolean versionOnly) implements ControlReply {}

    /** One service of `jlvs status` with its servers' health. */
    record Health(ServiceHealth service) implements ControlReply {}

    /** A line of information for the operator (what a reload changed); jlvs prints it on standard output. */
    record Notice(String message) implements ControlReply {}

    /** `jlvs status`: one VRRP instance and its state. */
    record Vrrp(VrrpStatus instance) implements ControlReply {}

    /** `jlvs status`: the director's BGP announcement, when it announces its VIPs (--bgp). */
    record Bgp(BgpStatus status) implements ControlReply {}

    /** One layer-7 service with its figures and its servers' health. */
    record L7ServiceRow(L7Service service, L7Counters counters, L7Health health) {
        public L7ServiceRow {
            if (health == null) throw new NullPointerException("health");
        }

        /** A row without health states: every server unchecked. */
        public L7ServiceRow(L7Service service, L7Counters counters) {
            this(service, counters, L7Health.NONE);
        }
    }

    /**
     * tcpvsadm -L: the layer-7 services in configuration order.
     *
     * @param all     every service was asked for: the listing starts with the version line
     * @param numeric -n: addresses and ports as numbers
     * @param stats   --stats: each service's proxy and splicer figures are listed too
     */
    record L7Table(boolean all, boolean numeric, boolean stats, List<L7ServiceRow> services) implements ControlReply {
        public L7Table {
            services = List.copyOf(services);
        }

        /** A table listed without the figures of --stats. */
        public L7Table(boolean all, boolean numeric, List<L7ServiceRow> services) {
            this(all, numeric, false, services);
        }
    }
}
