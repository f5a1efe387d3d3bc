package io.jlvs.tools;

import io.jlvs.control.AdmException;
import io.jlvs.control.ControlClient;
import io.jlvs.control.IpvsadmParser;
import io.jlvs.control.NameResolver;
import io.jlvs.control.OperationArgs;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * `jlvs drain` and `jlvs undrain`: weight 0 for one server of one service (no new connections, established ones
 * continue), and back. drain --wait follows the server's connections until none that matter remain: established
 * ones for TCP (closing ones carry no session), every entry for UDP, whose flows IPVS counts as inactive.
 */
final class DrainCommand {
    private DrainCommand() {}

    /** What both commands take: the service and the server. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "VIP:PORT ([v6]:PORT), or a mark with --fwmark.")
        String service;

        @Parameters(index = "1", paramLabel = "SERVER", description = "RIP[:PORT] (the service's port when omitted).")
        String server;

        @Option(names = {"-u", "--udp"}, description = "The service is UDP (default TCP).")
        boolean udp;

        @Option(names = {"-f", "--fwmark"}, description = "SERVICE is a firewall mark.")
        boolean fwmark;

        ControlRequest.Drain request(boolean drain) throws AdmException {
            return OperationArgs.drain(service, server, udp, fwmark, drain);
        }

        /** The service option of ipvsadm for this target: -t, -u or -f. */
        String serviceSwitch() { return fwmark ? "-f" : udp ? "-u" : "-t"; }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Set a real server's weight to 0 so it takes no new connections while established ones "
                    + "continue; the weight it had is remembered (jlvs undrain) and kept across reloads.")
    static final class Drain implements Callable<Integer> {
        @Mixin
        ControlSocketOption socket;

        @Mixin
        Target target;

        @Option(names = "--wait", description = "Show the connections left and return when none remain.")
        boolean await;

        @Option(names = "--timeout", defaultValue = "300s", paramLabel = "DURATION",
                converter = DurationConverter.class,
                description = "With --wait: give up (exit 1) after this long, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--remove", description = "Delete the server once drained (with --wait, after the wait).")
        boolean remove;

        @Override
        public Integer call() throws Exception {
            ControlRequest.Drain request = target.request(true);
            int rc = send(socket, request);
            if (rc != 0) return rc;
            if (await) {
                rc = new DrainProgress(socket.path(), request, timeout, System.console() != null, System.out).await();
                if (rc != 0) return rc;
            }
            if (remove) {
                var delete = IpvsadmParser.parse(new String[] {"-d", target.serviceSwitch(), target.service, "-r",
                        target.server});
                return ControlClient.run(socket.path(), new ControlRequest.Run(delete), System.out, System.err,
                        NameResolver.system());
            }
            return 0;
        }
    }

    @Command(name = "undrain", mixinStandardHelpOptions = true,
            description = "Give a drained real server back the weight it had before jlvs drain.")
    static final class Undrain implements Callable<Integer> {
        @Mixin
        ControlSocketOption socket;

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            return send(socket, target.request(false));
        }
    }

    static int send(ControlSocketOption socket, ControlRequest request) {
        return ControlClient.exchange(socket.path(), request, reply -> {
            if (reply instanceof ControlReply.Failure f) System.err.println("jlvs: " + f.message());
        }, System.err);
    }
}
