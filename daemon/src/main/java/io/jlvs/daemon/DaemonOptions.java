package io.jlvs.daemon;

import io.jlvs.announce.AnnounceSettings;
import io.jlvs.platform.packetio.PacketPorts;
import io.jlvs.platform.packetio.RxRingLayout;
import io.jlvs.console.http.HttpSettings;
import io.jlvs.platform.splice.SpliceMode;
import io.jlvs.platform.xdp.XdpLink;
import io.jlvs.control.model.ForwardMethod;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What `jlvs daemon` was started with.
 *
 * @param interfaces       interfaces to capture and transmit on (client side and server side)
 * @param defaultMethod    forwarding method for real servers added without -g, -i or -m (--mode)
 * @param io               packet I/O backend: afpacket (default), pcap or afxdp
 * @param workers          forwarding threads; each joins every interface's fanout group
 * @param controlSocket    the jlvsadm control socket
 * @param capacity         connection table capacity: new flows beyond it are dropped and counted
 * @param rulesFile        ipvsadm rules (as -S prints them) loaded at start, or null
 * @param rxRing           how the AF_PACKET receive ring packs frames (--rx-ring frame-per-block|packed)
 * @param configFile       keepalived.conf with the virtual servers and their health checks (--config), or null
 * @param maintenanceDir   a file named IP:PORT here forces that real server down (--maintenance-dir), or null
 * @param warmup           how long the forwarding path runs on synthetic traffic before the workers start (--warmup)
 * @param http             the HTTP console, REST API and metrics listener (--http and its options), or null
 * @param splice           how the layer-7 proxy splices connections whose service names no mode (--splice)
 * @param spliceAfter      bytes of a layer-7 connection relayed on the event loop before it is spliced
 *                         (--splice-after; 0 splices at once)
 * @param bgp              announcing the VIPs by BGP through BIRD (--bgp bird and its options), or null
 * @param fastPath         off, or xdp: established connections forwarded by an XDP program (--fast-path)
 * @param xdpMode          where the fast path's program runs (--xdp-mode): auto (the driver's native XDP if it has
 *                         one, else generic), native, or generic (after the kernel made the skb: slower, but a
 *                         veth then receives through the per-CPU backlog instead of a 256-frame NAPI ring)
 * @param fastPathAfter    packets of a connection the Java path forwards before it enters the fast path
 *                         (--fast-path-after, 0..255; 0: as soon as it is established)
 */
public record DaemonOptions(List<String> interfaces, ForwardMethod defaultMethod, String io, int workers,
                            Path controlSocket, int capacity, Path rulesFile, RxRingLayout rxRing,
                            Path configFile, Path maintenanceDir, Duration warmup, HttpSettings http,
                            SpliceMode splice, long spliceAfter, AnnounceSettings bgp, String fastPath,
                            String xdpMode, int fastPathAfter) {
    public static final Duration MAX_WARMUP = Duration.ofSeconds(60);

    /**
     * --fast-path-after's default: a short connection (a request, its answer, the close) stays in Java, where it
     * costs less than the bpf() calls that would mirror it and take it back.
     */
    public static final int DEFAULT_FAST_PATH_AFTER = 16;

    public static final List<String> XDP_MODES = List.of("auto", "native", "generic");

    /** Whether established connections are forwarded by the XDP fast path. */
    public boolean xdpFastPath() {
        return fastPath.equals("xdp");
    }

    /** The mode the fast path's program is attached in, or null to let the driver decide (native first). */
    public XdpLink.Mode xdpPlacement() {
        return switch (xdpMode) {
            case "native" -> XdpLink.Mode.NATIVE;
            case "generic" -> XdpLink.Mode.GENERIC;
            default -> null;
        };
    }

    public DaemonOptions {
        if (interfaces.isEmpty()) throw new IllegalArgumentException("at least one --interface is needed");
        if (workers < 1 || workers > 64) throw new IllegalArgumentException("--workers must be 1..64");
        if (capacity < 1024) throw new IllegalArgumentException("--capacity must be at least 1024");
        Objects.requireNonNull(rxRing, "rxRing");
        if (warmup.isNegative() || warmup.compareTo(MAX_WARMUP) > 0) {
            throw new IllegalArgumentException("--warmup must be 0 to " + MAX_WARMUP.toSeconds() + " seconds");
        }
        if (spliceAfter < 0) throw new IllegalArgumentException("--splice-after must be 0 or more bytes");
        if (!PacketPorts.BACKENDS.contains(io)) {
            throw new IllegalArgumentException("--io must be " + String.join(", ", PacketPorts.BACKENDS));
        }
        if (!fastPath.equals("off") && !fastPath.equals("xdp")) {
            throw new IllegalArgumentException("--fast-path must be off or xdp, not " + fastPath);
        }
        if (!XDP_MODES.contains(xdpMode)) {
            throw new IllegalArgumentException("--xdp-mode must be " + String.join(", ", XDP_MODES) + ", not " + xdpMode);
        }
        if (!xdpMode.equals("auto") && !fastPath.equals("xdp")) {
            throw new IllegalArgumentException("--xdp-mode " + xdpMode + " applies to --fast-path xdp only");
        }
        if (fastPathAfter < 0 || fastPathAfter > 255) {
            throw new IllegalArgumentException("--fast-path-after must be 0..255 packets, not " + fastPathAfter);
        }
        if (fastPathAfter != DEFAULT_FAST_PATH_AFTER && !fastPath.equals("xdp")) {
            throw new IllegalArgumentException("--fast-path-after applies to --fast-path xdp only");
        }
        if (fastPath.equals("xdp") && !io.equals("afpacket")) {
            throw new IllegalArgumentException("--fast-path xdp works with --io afpacket only (the packets it passes "
                    + "on reach jlvs through the kernel's AF_PACKET taps), not --io " + io);
        }
    }
}
