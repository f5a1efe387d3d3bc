package io.jlvs.control.protocol;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.l7.L7Command;
import io.jlvs.control.model.ServiceKey;
import java.util.List;

/**
 * What a client asks the daemon: one parsed jlvsadm command, the parsed lines of a -R restore, one of the
 * operations of `jlvs` itself (status, drain, undrain, reload), or one parsed tcpvsadm command for the layer-7
 * proxy.
 */
public sealed interface ControlRequest {
    /** One command line, already parsed and checked by the client. */
    record Run(AdmCommand command) implements ControlRequest {}

    /**
     * -R: the commands of the input lines in order. When a line had bad syntax, the lines before it are in
     * commands and stop carries its error: the daemon applies the commands, then reports stop and exits with its
     * code, as ipvsadm does.
     *
     * @param stop the syntax error that ended the input, or null when every line parsed
     */
    record Restore(List<AdmCommand> commands, ControlReply.Failure stop) implements ControlRequest {
        public Restore {
            commands = List.copyOf(commands);
        }
    }

    /** `jlvs status`: every service with its servers' health; answered with one Health reply per service. */
    record Status() implements ControlRequest {}

    /**
     * `jlvs drain` (drain true) and `jlvs undrain` (drain false) of one real server of one service. Addresses as
     * in ServiceKey.
     */
    record Drain(ServiceKey service, long addrHi, long addrLo, int port, boolean drain) implements ControlRequest {}

    /** `jlvs director drain` (drain true) and `undrain`: withdraw every VIP of this director from BGP, and back. */
    record DirectorDrain(boolean drain) implements ControlRequest {}

    /** `jlvs reload` (as SIGHUP): re-read the configuration file and apply the difference. */
    record Reload() implements ControlRequest {}

    /** One tcpvsadm command line, already parsed and checked by the client (-f: the file's configuration, as Load). */
    record L7(L7Command command) implements ControlRequest {}
}
