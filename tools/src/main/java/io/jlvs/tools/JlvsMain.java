package io.jlvs.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** bin/jlvs: the director daemon and the operator's tools around it. */
@Command(name = "jlvs", mixinStandardHelpOptions = true, version = "jlvs 0.1.0",
        description = "Linux Virtual Server director in user space: NAT, DR and TUN forwarding, IPVS schedulers, "
                + "administered with jlvsadm (ipvsadm syntax).",
        subcommands = {DaemonCommand.class, StatusCommand.class, DrainCommand.Drain.class, DrainCommand.Undrain.class,
                DirectorCommand.class,
                ReloadCommand.class, CheckConfigCommand.class, GenhashCommand.class, DemoCommand.class, RealServerCommand.class, BenchCommand.class})
public final class JlvsMain implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new JlvsMain());
        // Errors in flags print a clear message and the usage, exit code 2, as command-line tools do.
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            System.err.println("jlvs: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return 1;
        });
        System.exit(cli.execute(args));
    }
}
