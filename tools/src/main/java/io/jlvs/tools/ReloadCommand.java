package io.jlvs.tools;

import io.jlvs.control.ControlClient;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** `jlvs reload`: as SIGHUP, the daemon re-reads its configuration file and applies the difference. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Re-read the daemon's configuration file (--config) and apply only the difference; a file "
                + "with errors is refused as a whole, each error printed as FILE:LINE: message, and the running "
                + "configuration stays.")
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    ControlSocketOption socket;

    @Override
    public Integer call() {
        return ControlClient.exchange(socket.path(), new ControlRequest.Reload(), reply -> {
            switch (reply) {
                case ControlReply.Notice n -> System.out.println(n.message());
                case ControlReply.Failure f -> System.err.println(f.message());
                default -> { }
            }
        }, System.err);
    }
}
