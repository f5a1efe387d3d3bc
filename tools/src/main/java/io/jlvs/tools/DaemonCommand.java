package io.jlvs.tools;

import io.jlvs.daemon.Daemon;
import io.jlvs.daemon.DaemonOptions;
import io.jlvs.daemon.LogFormat;
import io.jlvs.daemon.LogLevel;
import io.jlvs.platform.packetio.RxRingLayout;
import io.jlvs.console.http.HttpSettings;
import io.jlvs.platform.splice.SpliceMode;
import io.jlvs.control.ControlPaths;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.platform.libc.Signals;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** `jlvs daemon`: runs the director in the foreground until SIGTERM or SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the jlvs director in the foreground (root). Stops cleanly on SIGTERM/SIGINT and restores the host.")
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--interface", required = true, paramLabel = "IF",
            description = "Interface to capture and transmit on; repeat for each side (client side, server side).")
    List<String> interfaces;

    @Option(names = "--mode", defaultValue = "nat", paramLabel = "nat|dr|tun",
            description = "Forwarding method for real servers added without -g, -i or -m (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--io", defaultValue = "afpacket", paramLabel = "afpacket|pcap|afxdp",
            description = "Packet I/O backend (default: ${DEFAULT-VALUE}); afxdp attaches an XDP program to each "
                    + "interface and refuses one that has another.")
    String io;

    @Option(names = "--fast-path", defaultValue = "off", paramLabel = "off|xdp",
            description = "xdp: established NAT and DR connections are forwarded by an XDP program in the kernel, "
                    + "everything else by jlvs as before (--io afpacket only; default: ${DEFAULT-VALUE}).")
    String fastPath;

    @Option(names = "--xdp-mode", defaultValue = "auto", paramLabel = "auto|native|generic",
            description = "Where the fast path's XDP program runs: auto (native if the driver has it, else generic; "
                    + "the default), native, or generic (on the kernel's skb: slower per packet, but a veth then "
                    + "receives through the per-CPU backlog rather than its 256-frame XDP ring).")
    String xdpMode;

    @Option(names = "--fast-path-after", defaultValue = "" + DaemonOptions.DEFAULT_FAST_PATH_AFTER,
            paramLabel = "PACKETS",
            description = "Packets of a connection jlvs forwards itself before the fast path takes it (0..255, "
                    + "default: ${DEFAULT-VALUE}; 0: once established): short connections stay in jlvs, where "
                    + "they cost less than entering and leaving the kernel's maps.")
    int fastPathAfter;

    @Option(names = "--workers", defaultValue = "1", description = "Forwarding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--control", paramLabel = "PATH",
            description = "Control socket (default: $JLVS_CONTROL, else " + ControlPaths.DEFAULT + ").")
    String control;

    @Option(names = "--capacity", defaultValue = "1048576",
            description = "Connection table capacity; new flows beyond it are dropped and counted (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--rules", paramLabel = "FILE", description = "Load ipvsadm rules (as `jlvsadm -S` prints them) at start.")
    Path rules;

    @Option(names = "--config", paramLabel = "FILE",
            description = "keepalived.conf: virtual servers, real servers and their health checks (see "
                    + "`jlvs check-config`); SIGHUP or `jlvs reload` re-reads it and applies the difference.")
    Path config;

    @Option(names = "--maintenance-dir", paramLabel = "DIR",
            description = "A file named IP:PORT (or IP) in this directory forces that real server down, as "
                    + "ldirectord's maintenancedir.")
    Path maintenanceDir;

    @Option(names = "--rx-ring", defaultValue = RxRingLayout.DEFAULT_OPTION, paramLabel = "frame-per-block|packed|frames",
            description = "AF_PACKET receive ring: one frame per TPACKET_V3 block, handed over as soon as the next "
                    + "frame arrives, or frames packed into 1 MiB blocks (fewer hand-overs under a flood); both hold "
                    + "the last frame of a burst until the block timer (a jiffy: 4 ms at HZ=250); or TPACKET_V2 "
                    + "frames, each handed over at once (default: ${DEFAULT-VALUE}).")
    String rxRing;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "SECONDS",
            description = "Before forwarding, run the forwarding path on synthetic traffic (its own table, nothing on "
                    + "the wire) for this long, so that a restarted daemon forwards at its warm rate from the first "
                    + "packet; runs while the host is being prepared; 0 skips it (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--http", paramLabel = "ADDR:PORT",
            description = "Serve the web console, the REST API (/api/v1) and Prometheus metrics (/metrics) on this "
                    + "address, for example 127.0.0.1:9180 (default: off).")
    String http;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "The bearer token that changes through the API (and reads from other addresses) need; "
                    + "created, mode 0600, when missing (default: " + "/run/jlvs/http.token, loopback --http only).")
    Path httpTokenFile;

    @Option(names = "--http-tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate chain.")
    Path httpTlsCert;

    @Option(names = "--http-tls-key", paramLabel = "FILE", description = "The PEM (PKCS#8) private key of --http-tls-cert.")
    Path httpTlsKey;

    @Option(names = "--log-level", defaultValue = "info", paramLabel = "LEVEL", converter = LogLevelConverter.class,
            description = "Least severe messages logged (to stdout): error (failures to fix), warn (degraded or "
                    + "misconfigured), info (start, stop, changes), debug (detail) or trace (default: ${DEFAULT-VALUE}).")
    LogLevel logLevel;

    private HttpSettings httpSettings() {
        if (http == null) {
            if (httpTokenFile != null || httpTlsCert != null || httpTlsKey != null) {
                throw new IllegalArgumentException("--http-token-file and --http-tls-* need --http ADDR:PORT");
            }
            return null;
        }
        return new HttpSettings(HttpSettings.parseBind(http), httpTokenFile, httpTlsCert, httpTlsKey);
    }

    @Option(names = "--splice", defaultValue = "pipe", paramLabel = "pipe|sockmap|copy",
            description = "How the layer-7 proxy (tcpvsadm) joins a client and its server after the decision: "
                    + "splice(2) through pipes, BPF sockmap (the kernel moves the data; on Linux 6.x a retransmission "
                    + "overlapping received bytes is sent twice, and jlvs then resets both sides), or a copy; a mode "
                    + "the kernel refuses falls back to the next, with a warning (default: ${DEFAULT-VALUE}).")
    String splice;

    @Option(names = "--splice-after", defaultValue = "65536", paramLabel = "BYTES",
            description = "Bytes of a layer-7 connection (both ways together) relayed by the proxy itself before it is "
                    + "spliced, so that a short exchange ends without the splice's set-up; 0 splices every connection "
                    + "at once (default: ${DEFAULT-VALUE}).")
    long spliceAfter;

    @Mixin
    BgpOptions bgp;

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "text|json",
            description = "Log lines as text (HH:mm:ss.SSS LEVEL Class: message) or as one JSON object per line for "
                    + "log shippers (default: ${DEFAULT-VALUE}).")
    String logFormat;

    static final class LogLevelConverter implements ITypeConverter<LogLevel> {
        @Override
        public LogLevel convert(String value) {
            try {
                return LogLevel.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected one of " + LogLevel.NAMES + ", not '" + value + "'");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        logLevel.applyToRoot();
        LogFormat.parse(logFormat).apply();
        ForwardMethod method = switch (mode) {
            case "nat" -> ForwardMethod.MASQ;
            case "dr" -> ForwardMethod.ROUTE;
            case "tun" -> ForwardMethod.TUNNEL;
            default -> throw new IllegalArgumentException("--mode must be nat, dr or tun, not " + mode);
        };
        DaemonOptions options = new DaemonOptions(List.copyOf(interfaces), method, io, workers,
                ControlPaths.resolve(control), capacity, rules, RxRingLayout.parse(rxRing), config, maintenanceDir,
                Duration.ofMillis(Math.round(warmupSeconds * 1000)), httpSettings(),
                SpliceMode.parse(splice), spliceAfter, bgp.settings(), fastPath, xdpMode, fastPathAfter);
        Daemon daemon = new Daemon(options);
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "jlvs-shutdown"));
        daemon.start();
        // Started under nohup, SIGHUP is ignored, and the JVM would leave it so: reload would never come.
        Signals.restoreDefault(Signals.SIGHUP);
        Signal.handle(new Signal("HUP"), signal -> daemon.reload());
        daemon.awaitStop();
        return 0;
    }
}
