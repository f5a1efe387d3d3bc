package io.jlvs.control.protocol;

import io.jlvs.control.command.AdmCommand;
import java.util.List;

/** What jlvsadm asks the daemon: one parsed command, or the parsed lines of a -R restore. */
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
}
