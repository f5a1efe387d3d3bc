package io.jlvs.tools;

import io.jlvs.realserver.Problem;
import io.jlvs.realserver.RealServerCheck;
import io.jlvs.realserver.RealServerMode;
import io.jlvs.realserver.RealServerSetup;
import io.jlvs.realserver.UserSpaceDecapsulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * `jlvs realserver`: prepares the host it runs on to serve a VIP behind a DR or TUN director, undoes that, or
 * checks it. With --mode tun on a kernel without the ipip module it stays in the foreground as the user-space
 * decapsulator until SIGTERM/SIGINT, and then undoes everything.
 */
@Command(name = "realserver", mixinStandardHelpOptions = true,
        description = {"Prepare this host to serve a VIP for a DR or TUN director: VIP/32 on lo, arp_ignore=1 and "
                + "arp_announce=2 per interface, rp_filter relaxed where needed, and for TUN an ipip interface or (no "
                + "ipip module) a user-space decapsulator that runs in the foreground until SIGTERM, then undoes.",
                "--undo removes it all; --check changes nothing and lists each problem with its fix (exit 1 if any)."})
final class RealServerCommand implements Callable<Integer> {
    static final String READY_LINE = "jlvs realserver: ready";

    @Option(names = "--vip", required = true, paramLabel = "VIP", description = "The virtual address served (IPv4 or IPv6).")
    String vip;

    @Option(names = "--mode", required = true, paramLabel = "dr|tun", description = "How the director forwards to this server.")
    String mode;

    @Option(names = "--undo", description = "Remove what an earlier run set up for this VIP.")
    boolean undo;

    @Option(names = "--check", description = "Report problems and their fixes; change nothing.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        RealServerMode m = RealServerMode.parse(mode);
        if (check && undo) throw new IllegalArgumentException("--check and --undo exclude each other");
        if (check) return check(m);
        RealServerSetup setup = new RealServerSetup(vip, m, System.out);
        if (undo) {
            setup.undo();
            return 0;
        }
        UserSpaceDecapsulator decapsulator = setup.apply();
        System.out.println(READY_LINE + " for VIP " + vip + " (" + m.name().toLowerCase() + ")");
        if (decapsulator == null) return 0;
        runUntilSignalled(setup, decapsulator);
        return 0;
    }

    private int check(RealServerMode m) throws Exception {
        List<Problem> problems = RealServerCheck.run(vip, m);
        for (Problem p : problems) System.out.println(p);
        System.out.println(problems.isEmpty() ? "OK: ready to serve " + vip + " (" + m.name().toLowerCase() + ")"
                : problems.size() + " problem(s) found for " + vip + " (" + m.name().toLowerCase() + ")");
        return problems.isEmpty() ? 0 : 1;
    }

    private static void runUntilSignalled(RealServerSetup setup, UserSpaceDecapsulator decapsulator) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            decapsulator.close();
            try {
                setup.undo();
            } catch (Exception e) {
                System.err.println("jlvs realserver: undo failed: " + e.getMessage());
            }
            System.out.println("jlvs realserver: decapsulated " + decapsulator.delivered.sum() + " packet(s), refused "
                    + decapsulator.refused.sum());
            System.out.flush();
            done.countDown();
        }, "jlvs-realserver-undo"));
        done.await();
    }
}
