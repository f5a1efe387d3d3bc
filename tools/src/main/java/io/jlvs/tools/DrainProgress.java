package io.jlvs.tools;

import io.jlvs.control.ControlClient;
import io.jlvs.control.StatusTable;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Follows a drained server's connections until none that keep it busy remain: a progress bar redrawn in place on
 * a terminal, otherwise a plain line each time the counts change.
 */
final class DrainProgress {
    private static final long POLL_MILLIS = 500;
    private static final int BAR = 30;

    private final Path socket;
    private final ControlRequest.Drain target;
    private final Duration timeout;
    private final boolean terminal;
    private final PrintStream out;

    DrainProgress(Path socket, ControlRequest.Drain target, Duration timeout, boolean terminal, PrintStream out) {
        this.socket = socket;
        this.target = target;
        this.timeout = timeout;
        this.terminal = terminal;
        this.out = out;
    }

    /** 0 once drained, 1 at the timeout or when the server or the daemon is gone. */
    int await() throws InterruptedException {
        String name = StatusTable.endpoint(target.addrHi(), target.addrLo(), target.port());
        boolean udp = target.service().protocol() == Protocol.UDP;
        long start = System.nanoTime(), deadline = start + timeout.toNanos();
        int first = -1;
        String last = "";
        while (true) {
            ServerHealth server = poll();
            if (server == null) {
                finishLine();
                System.err.println("jlvs: " + name + " is no longer a server of the service");
                return 1;
            }
            int busy = server.activeConns() + (udp ? server.inactiveConns() : 0);
            if (first < 0) first = Math.max(busy, 1);
            String counts = server.activeConns() + " active, " + server.inactiveConns() + " inactive connections left";
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            if (terminal) {
                int done = (int) Math.round(BAR * (1.0 - Math.min(busy, first) / (double) first));
                out.print("\r" + name + " [" + "#".repeat(done) + ".".repeat(BAR - done) + "] " + counts + " (" + elapsed
                        + "s)\u001b[K");
                out.flush();
            } else if (!counts.equals(last)) {
                out.println(name + ": " + counts);
            }
            last = counts;
            if (busy == 0) {
                finishLine();
                out.println(name + " drained");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                finishLine();
                System.err.println("jlvs: " + name + " still has " + counts + " after " + timeout.toSeconds() + "s");
                return 1;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private void finishLine() {
        if (terminal) out.println();
    }

    /** The server's row in the daemon's status, or null when the service or the server is gone. */
    private ServerHealth poll() {
        ServerHealth[] found = new ServerHealth[1];
        int rc = ControlClient.exchange(socket, new ControlRequest.Status(), reply -> {
            if (reply instanceof ControlReply.Health h && h.service().key().equals(target.service())) {
                found[0] = find(h.service());
            }
        }, System.err);
        return rc == 0 ? found[0] : null;
    }

    private ServerHealth find(ServiceHealth s) {
        for (ServerHealth r : s.servers()) {
            if (r.addrHi() == target.addrHi() && r.addrLo() == target.addrLo() && r.port() == target.port()) return r;
        }
        return null;
    }
}
