package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.LvsTopology;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump on the client's interface, writing full frames to a file, read back with pcap4j once stopped. The
 * client namespace is what a user's machine would see, so it is where a stray RST or a bad checksum counts.
 * <p>
 * Before it is stopped, the capture is proven live and flushed with a canary: a UDP broadcast to the discard port,
 * sent from the client on the captured interface, which the filter also accepts. Once the canary is in the file,
 * every frame the interface carried before it is too. Canary frames are left out of what {@link #stopAndRead}
 * returns.
 */
final class ClientCapture {
    private static final int CANARY_PORT = 9;
    private static final String CANARY_FILTER = "(udp dst port " + CANARY_PORT + " and ether broadcast)";
    private static final Duration CANARY_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped by kernel");

    private final LvsTopology topology;
    private final BackgroundProcess tcpdump;
    private final Path file;
    private int canariesSent;

    private ClientCapture(LvsTopology topology, BackgroundProcess tcpdump, Path file) {
        this.topology = topology;
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /** Starts tcpdump with a BPF filter ("tcp", "arp", ...) and returns once it is capturing. */
    static ClientCapture start(LvsTopology topology, String name, String filter) {
        Path file = topology.processes().logDirectory().resolve(name + ".pcap");
        // -Z root: Debian's tcpdump otherwise drops to user tcpdump and cannot write to the root-owned log folder.
        // --immediate-mode and -U: take every packet from the kernel and write it at once; otherwise packets wait in
        // a ring block for up to a second and are lost when tcpdump is stopped. -B: a 32 MiB buffer, so that the
        // kernel drops nothing while tcpdump writes (stopAndRead checks that it dropped nothing).
        BackgroundProcess tcpdump = topology.processes().start(topology.clientNamespace(), "tcpdump-" + name,
                List.of("tcpdump", "-Z", "root", "--immediate-mode", "-U", "-B", "32768", "-n", "-s", "0",
                        "-i", topology.clientInterface(), "-w", file.toString(), "(" + filter + ") or " + CANARY_FILTER));
        tcpdump.awaitLogLine("tcpdump: listening", Duration.ofSeconds(10));
        ClientCapture capture = new ClientCapture(topology, tcpdump, file);
        capture.awaitCanary(); // the "listening" line is printed before the socket is bound to the interface
        return capture;
    }

    /**
     * Sends a canary, waits until tcpdump has written it, stops tcpdump (SIGTERM flushes the file) and returns every
     * captured frame in order, canaries left out.
     */
    List<CapturedFrame> stopAndRead() {
        awaitCanary();
        tcpdump.stop(Duration.ofSeconds(5));
        // A frame the kernel dropped before tcpdump saw it could be the very RST a caller asserts is absent.
        Matcher dropped = DROPPED.matcher(tcpdump.logText());
        if (!dropped.find()) {
            throw tcpdump.failure("printed no summary when stopped");
        }
        if (Integer.parseInt(dropped.group(1)) != 0) {
            throw tcpdump.failure("lost frames: its capture " + file + " is incomplete");
        }
        List<CapturedFrame> frames = new ArrayList<>();
        try (PcapHandle handle = Pcaps.openOffline(file.toString())) {
            if (!DataLinkType.EN10MB.equals(handle.getDlt())) {
                throw new IllegalStateException("capture " + file + " is not Ethernet: " + handle.getDlt());
            }
            while (true) {
                try {
                    byte[] frame = handle.getNextRawPacketEx();
                    if (!isCanary(frame)) {
                        frames.add(new CapturedFrame(frame, handle.getOriginalLength()));
                    }
                } catch (EOFException end) {
                    return frames;
                }
            }
        } catch (PcapNativeException | NotOpenException | TimeoutException e) {
            throw new IllegalStateException("cannot read capture " + file + ": " + e, e);
        }
    }

    Path file() {
        return file;
    }

    /**
     * Sends canaries until one shows up in the capture file. One is usually enough; the first one of a capture may
     * go out before tcpdump's socket is attached, so it is sent again while waiting.
     */
    private void awaitCanary() {
        byte[] marker = canaryMarker(++canariesSent);
        Conditions.await("canary " + new String(marker, StandardCharsets.US_ASCII) + " in capture " + file,
                CANARY_TIMEOUT, () -> {
                    if (!tcpdump.isAlive()) {
                        throw tcpdump.failure("exited while capturing");
                    }
                    if (contains(readCapture(), marker)) {
                        return true;
                    }
                    sendCanary(marker);
                    return contains(readCapture(), marker);
                });
    }

    private void sendCanary(byte[] marker) {
        String text = new String(marker, StandardCharsets.US_ASCII);
        topology.processes().run(topology.clientNamespace(), List.of("sh", "-c",
                "printf '%s' \"$1\" | socat -u - UDP-DATAGRAM:255.255.255.255:" + CANARY_PORT
                        + ",broadcast,so-bindtodevice=" + topology.clientInterface(), "canary", text),
                Duration.ofSeconds(5)).stdoutOrThrow();
    }

    private byte[] readCapture() {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] canaryMarker(int sequence) {
        return ("jlvs-capture-canary-" + sequence).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isCanary(byte[] frame) {
        return contains(frame, "jlvs-capture-canary-".getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
