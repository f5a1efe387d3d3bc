package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.ExternalProgram;
import io.jlvs.tools.netns.LvsTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Measures how many 64-byte UDP frames per second reach the real servers: trafgen floods from the client namespace,
 * and the servers' interface receive counters are read at the start and the end of a fixed window.
 */
final class UdpFloodMeter {
    static final String TRAFGEN = "/usr/sbin/trafgen";
    static final ExternalProgram TRAFGEN_PROGRAM = new ExternalProgram(TRAFGEN, "netsniff-ng");
    static final int DISCARD_PORT = 9;

    private final LvsTopology topology;
    private final String serverInterface;

    UdpFloodMeter(LvsTopology topology) {
        this(topology, topology.serverInterface());
    }

    /** @param serverInterface where the servers receive the forwarded flood (TUN: the server network's eth1) */
    UdpFloodMeter(LvsTopology topology, String serverInterface) {
        this.topology = topology;
        this.serverInterface = serverInterface;
    }

    /**
     * @param toServersDirectly false: send to the VIP; true: to the real servers' own addresses in turn (routing)
     * @return packets per second summed over all servers
     */
    double measure(boolean toServersDirectly, Duration warmup, Duration window) {
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        BackgroundProcess flood = startFlood(topology.processes(), topology.clientNamespace(), topology.clientInterface(),
                writeConfig(toServersDirectly, directorMac));
        try {
            sleep(warmup);
            if (!flood.isAlive()) {
                throw new IllegalStateException("trafgen exited: " + flood.logTail(10));
            }
            long before = receivedByServers();
            long start = System.nanoTime();
            sleep(window);
            long after = receivedByServers();
            double seconds = (System.nanoTime() - start) / 1e9;
            return (after - before) / seconds;
        } finally {
            flood.stop(Duration.ofSeconds(2));
        }
    }

    long receivedByServers() {
        long sum = 0;
        for (String ns : topology.serverNamespaces()) {
            sum += Long.parseLong(topology.network().check(ns, "cat",
                    "/sys/class/net/" + serverInterface + "/statistics/rx_packets").strip());
        }
        return sum;
    }

    /**
     * One 60-byte frame (64 on the wire with the FCS): Ethernet, IPv4 (checksum by trafgen), UDP to the discard port
     * with 256 source ports in turn so that a balancer sees several flows; UDP checksum 0 (none, legal in IPv4).
     */
    private Path writeConfig(boolean toServersDirectly, String directorMac) {
        String clientMac = topology.network().macAddress(topology.clientNamespace(), topology.clientInterface());
        String destination = toServersDirectly
                ? octets(topology.serverAddress(1), 3) + ", dinc(" + lastOctet(topology.serverAddress(1)) + ", "
                        + lastOctet(topology.serverAddress(topology.serverCount())) + ")"
                : octets(topology.vip(), 4);
        String frame = "{\n"
                + "  " + mac(directorMac) + ",\n"
                + "  " + mac(clientMac) + ",\n"
                + "  c16(0x0800),\n"
                + "  0x45, 0x00, c16(46), c16(0), c16(0x4000), 64, 17, csumip(14, 33),\n"
                + "  " + octets(topology.clientAddress(), 4) + ",\n"
                + "  " + destination + ",\n"
                + "  0x04, dinc(0, 255), c16(" + DISCARD_PORT + "), c16(26), c16(0),\n"
                + "  fill(0x6a, 18)\n"
                + "}\n";
        try {
            return Files.writeString(topology.processes().logDirectory().resolve("udp64.trafgen"), frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flood to the VIP with the frame's destination MAC given (broadcast reaches whichever director owns it). */
    BackgroundProcess startFloodToVip(String destinationMac) {
        return startFlood(topology.processes(), topology.clientNamespace(), topology.clientInterface(),
                writeConfig(false, destinationMac));
    }

    private static BackgroundProcess startFlood(io.jlvs.tools.netns.ProcessRunner processes, String namespace,
                                                String device, Path config) {
        // Do not tune socket memory nor IRQ affinity, which would change the host; -P 1: one sending process.
        return processes.start(namespace, "trafgen", List.of(TRAFGEN, "--dev", device, "--conf", config.toString(),
                "-P", "1", "--no-sock-mem", "--notouch-irq", "-C"));
    }

    static String mac(String colonSeparated) {
        StringBuilder out = new StringBuilder();
        for (String b : colonSeparated.split(":")) {
            out.append(out.isEmpty() ? "" : ", ").append("0x").append(b);
        }
        return out.toString();
    }

    static String octets(String address, int count) {
        return String.join(", ", List.of(address.split("\\.")).subList(0, count));
    }

    private static int lastOctet(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
    }

    /** Pacing, not synchronisation: the warm-up and the measured window are fixed stretches of time. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
