package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.ExternalProgram;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.NetnsTopology;
import io.jlvs.tools.netns.ProcessRunner;
import io.jlvs.tools.netns.TierTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Measures how many 64-byte UDP frames per second reach the real servers: trafgen floods from the client namespace,
 * and the servers' interface receive counters are read at the start and the end of a fixed window. Over IPv4, or
 * over IPv6 ({@link #ipv6}: the smallest frame is 62 bytes then, 66 on the wire).
 */
final class UdpFloodMeter {
    static final String TRAFGEN = "/usr/sbin/trafgen";
    static final ExternalProgram TRAFGEN_PROGRAM = new ExternalProgram(TRAFGEN, "netsniff-ng");
    static final int DISCARD_PORT = 9;

    /**
     * Where the flood goes: the client that sends it, the director whose MAC it is addressed to, the servers that
     * count it on {@code serverInterface}.
     */
    record FloodPath(NetnsTopology network, ProcessRunner processes, String clientNamespace, String clientInterface,
                     String clientAddress, String vip, String directorNamespace, String directorInterface,
                     List<String> serverNamespaces, List<String> serverAddresses, String serverInterface) {}

    private final FloodPath path;

    UdpFloodMeter(LvsTopology topology) {
        this(topology, topology.serverInterface());
    }

    /** @param serverInterface where the servers receive the forwarded flood (TUN: the server network's eth1) */
    UdpFloodMeter(LvsTopology topology, String serverInterface) {
        this(new FloodPath(topology.network(), topology.processes(), topology.clientNamespace(),
                topology.clientInterface(), topology.clientAddress(), topology.vip(), topology.directorNamespace(),
                topology.directorClientSide(), topology.serverNamespaces(), topology.serverAddresses(),
                serverInterface));
    }

    /** The flood from the client to the IPv6 VIP of a dual-stack topology ({@link LvsTopology#withIpv6}). */
    static UdpFloodMeter ipv6(LvsTopology topology, String serverInterface) {
        return new UdpFloodMeter(new FloodPath(topology.network(), topology.processes(), topology.clientNamespace(),
                topology.clientInterface(), LvsTopology.CLIENT_ADDRESS6, LvsTopology.VIP6,
                topology.directorNamespace(), topology.directorClientSide(), topology.serverNamespaces(),
                topology.serverAddresses6(), serverInterface));
    }

    /** The flood from the client of a director pair, counted on the real servers' eth0. */
    UdpFloodMeter(FailoverTopology topology) {
        this(new FloodPath(topology.network(), topology.processes(), topology.clientNamespace(), "eth0",
                topology.clientAddress(), topology.vip(), topology.directorNamespace(1), topology.clientSide(),
                topology.serverNamespaces(), topology.serverAddresses(), "eth0"));
    }

    /**
     * The flood from the client of a tier, addressed to the router (its client-side MAC), which spreads it over
     * the directors by ECMP; counted on the real servers' eth0.
     */
    static UdpFloodMeter throughRouter(TierTopology tier) {
        return new UdpFloodMeter(new FloodPath(tier.network(), tier.processes(), tier.clientNamespace(), "eth0",
                TierTopology.CLIENT_ADDRESS, TierTopology.VIP, tier.routerNamespace(), "up0",
                tier.serverNamespaces(), tier.serverAddresses(), "eth0"));
    }

    private UdpFloodMeter(FloodPath path) {
        this.path = path;
    }

    /** The MAC address of director {@code namespace}'s client-side interface, where the flood is addressed. */
    String directorMac(String namespace) {
        return path.network().macAddress(namespace, path.directorInterface());
    }

    /**
     * @param toServersDirectly false: send to the VIP; true: to the real servers' own addresses in turn (routing)
     * @return packets per second summed over all servers
     */
    double measure(boolean toServersDirectly, Duration warmup, Duration window) {
        BackgroundProcess flood = startFlood(writeConfig(toServersDirectly, directorMac(path.directorNamespace())));
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
        for (String ns : path.serverNamespaces()) {
            sum += Long.parseLong(path.network().check(ns, "cat",
                    "/sys/class/net/" + path.serverInterface() + "/statistics/rx_packets").strip());
        }
        return sum;
    }

    /**
     * One 60-byte frame (64 on the wire with the FCS): Ethernet, IPv4 (checksum by trafgen), UDP to the discard port
     * with 256 source ports in turn so that a balancer sees several flows; UDP checksum 0 (none, legal in IPv4).
     */
    private Path writeConfig(boolean toServersDirectly, String directorMac) {
        String clientMac = path.network().macAddress(path.clientNamespace(), path.clientInterface());
        if (path.vip().contains(":")) {
            if (toServersDirectly) throw new IllegalArgumentException("the IPv6 flood goes to the VIP only");
            return write(ipv6Frame(directorMac, clientMac));
        }
        List<String> servers = path.serverAddresses();
        String destination = toServersDirectly
                ? octets(servers.getFirst(), 3) + ", dinc(" + lastOctet(servers.getFirst()) + ", "
                        + lastOctet(servers.getLast()) + ")"
                : octets(path.vip(), 4);
        String frame = "{\n"
                + "  " + mac(directorMac) + ",\n"
                + "  " + mac(clientMac) + ",\n"
                + "  c16(0x0800),\n"
                + "  0x45, 0x00, c16(46), c16(0), c16(0x4000), 64, 17, csumip(14, 33),\n"
                + "  " + octets(path.clientAddress(), 4) + ",\n"
                + "  " + destination + ",\n"
                + "  0x04, dinc(0, 255), c16(" + DISCARD_PORT + "), c16(26), c16(0),\n"
                + "  fill(0x6a, 18)\n"
                + "}\n";
        return write(frame);
    }

    /**
     * One 62-byte frame: Ethernet, IPv6 (hop limit 64), UDP to the discard port with 256 source ports in turn, no
     * payload; the UDP checksum, which IPv6 requires, computed by trafgen for each frame.
     */
    private String ipv6Frame(String directorMac, String clientMac) {
        return "{\n"
                + "  " + mac(directorMac) + ",\n"
                + "  " + mac(clientMac) + ",\n"
                + "  c16(0x86DD),\n"
                + "  0x60, 0x00, 0x00, 0x00, c16(8), 17, 64,\n"
                + "  " + bytes6(path.clientAddress()) + ",\n"
                + "  " + bytes6(path.vip()) + ",\n"
                + "  0x04, dinc(0, 255), c16(" + DISCARD_PORT + "), c16(8), csumudp6(14, 54)\n"
                + "}\n";
    }

    private Path write(String frame) {
        try {
            return Files.writeString(path.processes().logDirectory().resolve("udp64.trafgen"), frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An IPv6 address's 16 bytes, as trafgen's comma-separated hex. */
    static String bytes6(String address) {
        byte[] raw;
        try {
            raw = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
        StringBuilder out = new StringBuilder();
        for (byte b : raw) out.append(out.isEmpty() ? "" : ", ").append(String.format("0x%02x", b & 0xFF));
        return out.toString();
    }

    /** The flood to the VIP with the frame's destination MAC given (broadcast reaches whichever director owns it). */
    BackgroundProcess startFloodToVip(String destinationMac) {
        return startFlood(writeConfig(false, destinationMac));
    }

    private BackgroundProcess startFlood(Path config) {
        // Do not tune socket memory nor IRQ affinity, which would change the host; -P 1: one sending process.
        return path.processes().start(path.clientNamespace(), "trafgen", List.of(TRAFGEN, "--dev",
                path.clientInterface(), "--conf", config.toString(), "-P", "1", "--no-sock-mem", "--notouch-irq", "-C"));
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
