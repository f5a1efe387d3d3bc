package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.LvsTopology;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.io.EOFException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * tcpdump on the client's interface, writing full frames to a file, read back with pcap4j once stopped. The
 * client namespace is what a user's machine would see, so it is where a stray RST or a bad checksum counts.
 */
final class ClientCapture {
    private final BackgroundProcess tcpdump;
    private final Path file;

    private ClientCapture(BackgroundProcess tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /** Starts tcpdump with a BPF filter ("tcp", "arp", ...) and returns once it is capturing. */
    static ClientCapture start(LvsTopology topology, String name, String filter) {
        Path file = topology.processes().logDirectory().resolve(name + ".pcap");
        // -Z root: Debian's tcpdump otherwise drops to user tcpdump and cannot write to the root-owned log folder.
        // --immediate-mode and -U: take every packet from the kernel and write it at once; otherwise packets wait in
        // a ring block for up to a second and are lost when tcpdump is stopped.
        BackgroundProcess tcpdump = topology.processes().start(topology.clientNamespace(), "tcpdump-" + name,
                List.of("tcpdump", "-Z", "root", "--immediate-mode", "-U", "-n", "-s", "0", "-i", topology.clientInterface(),
                        "-w", file.toString(), filter));
        tcpdump.awaitLogLine("tcpdump: listening", Duration.ofSeconds(10));
        return new ClientCapture(tcpdump, file);
    }

    /** Stops tcpdump (SIGTERM flushes the file) and returns every captured frame in order. */
    List<CapturedFrame> stopAndRead() {
        sleep(300); // frames still in flight on the veth when the caller's last command returned
        tcpdump.stop(Duration.ofSeconds(5));
        List<CapturedFrame> frames = new ArrayList<>();
        try (PcapHandle handle = Pcaps.openOffline(file.toString())) {
            if (!DataLinkType.EN10MB.equals(handle.getDlt())) {
                throw new IllegalStateException("capture " + file + " is not Ethernet: " + handle.getDlt());
            }
            while (true) {
                try {
                    byte[] frame = handle.getNextRawPacketEx();
                    frames.add(new CapturedFrame(frame, handle.getOriginalLength()));
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
