package io.jlvs.control.command;

import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.Timeouts;

import io.jlvs.control.model.MarkRule;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;

import java.util.OptionalInt;

/** One parsed ipvsadm command line. */
public sealed interface AdmCommand {
    /** True for the commands that change the desired state (and may be batched by -R). */
    default boolean changesConfig() { return false; }

    record AddService(ServiceConfig config) implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    record EditService(ServiceConfig config) implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    record DeleteService(ServiceKey key) implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    record Clear() implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    record AddServer(ServiceKey service, RealServerSpec server) implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    record EditServer(ServiceKey service, RealServerSpec server) implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    record DeleteServer(ServiceKey service, long addrHi, long addrLo, int port) implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    /** -R: the rules are read from the text sent along with the command. */
    record Restore() implements AdmCommand {}

    record Save(boolean numeric) implements AdmCommand {}

    enum ListWhat { ALL, SERVICE, CONNECTIONS, TIMEOUT, DAEMON }

    /** -L/-l; service is set for ListWhat.SERVICE only. */
    record List(ListWhat what, ServiceKey service, ListFormat format) implements AdmCommand {}

    /** -Z; service null = all services. */
    record Zero(ServiceKey service) implements AdmCommand {}

    /** --set tcp tcpfin udp, seconds, 0 = keep. */
    /** --set: a 0 keeps the current value. */
    record SetTimeouts(Timeouts update) implements AdmCommand {}

    /**
     * --start-daemon master|backup with its options; syncId 0, maxLength 0 (the interface's MTU less the IP and UDP
     * headers), group null (224.0.0.81), port 8848 and ttl 1 are ipvsadm's defaults.
     */
    record StartDaemon(String state, String multicastInterface, int syncId, int maxLength, String group, int port,
                       int ttl) implements AdmCommand {
        public static final int DEFAULT_PORT = 8848, DEFAULT_TTL = 1;

        public StartDaemon(String state) {
            this(state, null, 0, 0, null, DEFAULT_PORT, DEFAULT_TTL);
        }
    }

    record StopDaemon(String state) implements AdmCommand {}

    record Help() implements AdmCommand {}

    record Version() implements AdmCommand {}

    /** jlvs extension: --mark MARK match... appends a mark rule (see MarkCommandParser). */
    record AddMarkRule(MarkRule rule) implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    /** jlvs extension: --unmark MARK match... removes the mark rule with that mark and match. */
    record RemoveMarkRule(MarkRule rule) implements AdmCommand {
        public boolean changesConfig() { return true; }
    }

    /** jlvs extension: --list-marks. */
    record ListMarks() implements AdmCommand {}

    /** jlvs extension (DPVS's -P): local addresses added to a service's FullNAT pool. */
    record AddLocalAddresses(ServiceKey service, java.util.List<Integer> addresses,
                             java.util.List<io.jlvs.control.model.Ipv6Address> addresses6) implements AdmCommand {
        public AddLocalAddresses {
            addresses = java.util.List.copyOf(addresses);
            addresses6 = java.util.List.copyOf(addresses6);
        }
        /** IPv4 addresses only. */
        public AddLocalAddresses(ServiceKey service, java.util.List<Integer> addresses) { this(service, addresses, java.util.List.of()); }
        public boolean changesConfig() { return true; }
    }

    /** jlvs extension (DPVS's -Q): local addresses taken out of a service's FullNAT pool. */
    record DeleteLocalAddresses(ServiceKey service, java.util.List<Integer> addresses,
                             java.util.List<io.jlvs.control.model.Ipv6Address> addresses6) implements AdmCommand {
        public DeleteLocalAddresses {
            addresses = java.util.List.copyOf(addresses);
            addresses6 = java.util.List.copyOf(addresses6);
        }
        /** IPv4 addresses only. */
        public DeleteLocalAddresses(ServiceKey service, java.util.List<Integer> addresses) { this(service, addresses, java.util.List.of()); }
        public boolean changesConfig() { return true; }
    }

    /** jlvs extension (DPVS's -G): the local addresses of one service, or of every service (null). */
    record ListLocalAddresses(ServiceKey service) implements AdmCommand {}

    /**
     * jlvs extension: --sysctl NAME shows a knob, --sysctl NAME=VALUE sets it (a value the table allows), --sysctl
     * all lists them all (sysctl null).
     */
    record Sysctl(IpvsSysctl sysctl, OptionalInt value) implements AdmCommand {}
}
