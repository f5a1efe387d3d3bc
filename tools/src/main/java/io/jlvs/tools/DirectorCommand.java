package io.jlvs.tools;

import io.jlvs.control.protocol.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * `jlvs director drain` and `undrain`: the whole director out of the tier and back. Draining withdraws every VIP
 * from BGP (the router sends the director no new flows; the connections it has go on, since the router keeps
 * sending their packets to the directors that remain and those schedule them on the same real server, or, for
 * flows the router does not move, the drained director still forwards them).
 */
@Command(name = "director", mixinStandardHelpOptions = true,
        description = "Take this director out of its BGP tier (drain) or back in (undrain).",
        subcommands = {DirectorCommand.Drain.class, DirectorCommand.Undrain.class})
final class DirectorCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Withdraw every VIP of this director from BGP; established connections continue. Returns "
                    + "once BIRD has the withdrawal.")
    static final class Drain implements Callable<Integer> {
        @Mixin
        ControlSocketOption socket;

        @Override
        public Integer call() {
            return DrainCommand.send(socket, new ControlRequest.DirectorDrain(true));
        }
    }

    @Command(name = "undrain", mixinStandardHelpOptions = true,
            description = "Announce this director's VIPs again (those whose services can serve).")
    static final class Undrain implements Callable<Integer> {
        @Mixin
        ControlSocketOption socket;

        @Override
        public Integer call() {
            return DrainCommand.send(socket, new ControlRequest.DirectorDrain(false));
        }
    }
}
