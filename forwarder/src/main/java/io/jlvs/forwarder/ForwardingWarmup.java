package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.SyncRule;
import io.jlvs.connections.TableFile;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.Arp;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Tcp;
import io.jlvs.packets.Udp;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHops;
import io.jlvs.platform.packetio.DetachedPort;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.packetio.PacketPorts;
import io.jlvs.platform.packetio.RxRingLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the forwarding path on synthetic traffic, in a data plane of its own with ports that send nowhere, so that
 * the JIT has compiled it before the first real frame: a restarted daemon, or a backup taking over, forwards at
 * its warm rate from its first second instead of interpreting while a flood is already on it. The traffic covers
 * every forwarding method with both transports, since code compiled for a mix that lacks one is thrown away when
 * that one arrives: TCP over NAT (both directions, handshake, data and close), UDP over NAT (both directions),
 * TCP and UDP over DR and over TUN, short and longer datagrams, pings and ARP requests for a VIP, with checksums
 * valid, verified and partial, and gratuitous ARP for each VIP; a {@link Worker} of its own reads them in batches
 * and flushes, as the daemon's do; the sync's offers are taken every other packet so that their path is compiled
 * too.
 *
 * <p>What the JIT compiles is only as good as the types it saw: code compiled for one class where the daemon has
 * another is thrown away at the first real frame. So the frames enter through the receive ring of an AF_PACKET port
 * without a socket ({@link PacketPorts#detached}, the class of the workers' ports, the ring read by the same code)
 * and leave through its transmit ring, and the connection table's entries live in a mapped file of shared memory
 * as the daemon's do ({@link TableFile}, unlinked at once). Nothing of it touches the host or the daemon's own
 * table.
 */
public final class ForwardingWarmup {
    /**
     * What the warm-up did: rounds over every flow, frames offered to the pipeline, frames it sent (forwarded,
     * answers, and a gratuitous ARP per VIP and port each round), frames it dropped, and how long.
     */
    public record Result(int rounds, long framesIn, long framesOut, long drops, Duration took) {}

    private static final long CLIENT_PORT_MAC = 0x02_00_5e_00_00_01L, SERVER_PORT_MAC = 0x02_00_5e_00_00_02L;
    private static final long CLIENT_MAC = 0x02_00_5e_00_00_03L, SERVER_MAC = 0x02_00_5e_00_00_04L;
    private static final int NAT_VIP = 0x0AFE_0001, DR_VIP = 0x0AFE_0002, TUN_VIP = 0x0AFE_0003;
    private static final int CLIENTS = 4, PORTS_PER_CLIENT = 256, FLOWS = CLIENTS * PORTS_PER_CLIENT;
    private static final int TABLE_CAPACITY = 4 * FLOWS * 2;
    private static final int CLIENT_BASE = 0x0AFD_0001, SERVER_BASE = 0x0AFC_0001, GATEWAY = 0x0AFB_0001;
    private static final String RULES = """
            -A -t 10.254.0.1:80 -s wlc
            -a -t 10.254.0.1:80 -r 10.252.0.1:8080 -m
            -a -t 10.254.0.1:80 -r 10.252.0.2:8080 -m
            -A -u 10.254.0.1:53 -s rr
            -a -u 10.254.0.1:53 -r 10.252.0.1:53 -m
            -a -u 10.254.0.1:53 -r 10.252.0.2:53 -m
            -A -t 10.254.0.2:80 -s wlc
            -a -t 10.254.0.2:80 -r 10.252.0.3:80 -g
            -a -t 10.254.0.2:80 -r 10.252.0.4:80 -g
            -A -t 10.254.0.3:80 -s rr
            -a -t 10.254.0.3:80 -r 10.252.0.3:80 -i
            -a -t 10.254.0.3:80 -r 10.252.0.4:80 -i
            -A -u 10.254.0.2:53 -s rr
            -a -u 10.254.0.2:53 -r 10.252.0.3:53 -g
            -a -u 10.254.0.2:53 -r 10.252.0.4:53 -g
            -A -u 10.254.0.3:53 -s wlc
            -a -u 10.254.0.3:53 -r 10.252.0.3:53 -i
            -a -u 10.254.0.3:53 -r 10.252.0.4:53 -i
            """;
    private static final int[] STATUSES = {0, PacketPort.CSUM_VALID, PacketPort.CSUM_PARTIAL};
    /** Payload lengths: a 64-byte frame's UDP datagram, and a longer one. */
    private static final int SHORT_PAYLOAD = 18, PAYLOAD = 100, IP = Ethernet.HEADER_LENGTH;
    /** Frames injected between two reads at most: more than a worker reads at once (256), so some reads fill up. */
    private static final int BATCH = 300;

    private final DetachedPort clientSide;
    private final DetachedPort serverSide;

    private final MemorySegment frame;
    private final DataPlane plane;
    private final Worker worker;
    private final ConnectionParam key = new ConnectionParam();
    private final ConnectionView view = new ConnectionView();
    private long framesIn;

    private ForwardingWarmup(Arena arena, TableFile table, DetachedPort clientSide, DetachedPort serverSide) {
        this.clientSide = clientSide;
        this.serverSide = serverSide;
        Map<Integer, NextHop> hops = new HashMap<>();
        for (int c = 0; c < CLIENTS; c++) {
            hops.put(CLIENT_BASE + c, new NextHop(1, CLIENT_PORT_MAC, CLIENT_MAC, 1500, GATEWAY, GATEWAY));
        }
        for (int s = 0; s < 4; s++) {
            hops.put(SERVER_BASE + s, new NextHop(2, SERVER_PORT_MAC, SERVER_MAC + s, 1500, GATEWAY + 1, 0));
        }
        plane = new DataPlane(table.entries(), TABLE_CAPACITY, NextHops.fixed(hops), 1);
        // Sync offers every other packet, so the offer's path (and the full ring's) is compiled too.
        plane.connections().setSyncRule(new SyncRule(1, 2, 0, 0));
        IpvsRuntime ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ,
                EnumSet.of(ForwardMethod.MASQ, ForwardMethod.ROUTE, ForwardMethod.TUNNEL), null).quiet();
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        if (new AdmExecutor(ipvs).execute(new String[] {"-R"}, RULES, out, err) != 0) {
            throw new IllegalStateException("warm-up services refused: " + err);
        }
        worker = new Worker(0, plane, new PacketPort[] {clientSide, serverSide});
        frame = arena.allocate(2048);
    }

    /**
     * Forwards synthetic traffic for about {@code budget} (nothing when it is zero), on the calling thread.
     * Rounds repeat the same flows, so the later ones also run the paths of existing and reused connections.
     */
    public static Result run(Duration budget) {
        return run(budget, RxRingLayout.DEFAULT);
    }

    /** As {@link #run(Duration)}, through ports whose receive ring has the workers' layout (so the same reader). */
    public static Result run(Duration budget, RxRingLayout layout) {
        long start = System.nanoTime();
        if (budget.isZero() || budget.isNegative()) return new Result(0, 0, 0, 0, Duration.ZERO);
        long end = start + budget.toNanos();
        try (Arena arena = Arena.ofConfined(); TableFile table = scratchTable();
             DetachedPort client = PacketPorts.detached("warmup-client", 1, CLIENT_PORT_MAC, 1500, layout);
             DetachedPort server = PacketPorts.detached("warmup-server", 2, SERVER_PORT_MAC, 1500, layout)) {
            ForwardingWarmup w = new ForwardingWarmup(arena, table, client, server);
            try {
                int rounds = 0;
                do {
                    w.round();
                    rounds++;
                } while (System.nanoTime() < end);
                long dropped = 0;
                for (DropReason r : DropReason.values()) dropped += w.worker.drops().get(r);
                w.flush();
                return new Result(rounds, w.framesIn, w.clientSide.stats().sent() + w.serverSide.stats().sent(), dropped,
                        Duration.ofNanos(System.nanoTime() - start));
            } finally {
                w.plane.connections().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("warm-up: " + e.getMessage(), e);
        }
    }

    /** A table file in shared memory (else the temporary directory), unlinked once mapped. */
    private static TableFile scratchTable() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        Path path = dir.resolve("jlvs-warmup-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".conns");
        TableFile table = TableFile.create(path, TABLE_CAPACITY, 0, 0, new UUID(0, 0));
        Files.deleteIfExists(path);
        return table;
    }

    /**
     * One pass over every flow: each has a NAT TCP connection and a NAT UDP exchange, and a TCP connection and a
     * datagram over DR or TUN (every other flow); every 64th pings a VIP.
     */
    private void round() {
        for (int vip : new int[] {NAT_VIP, DR_VIP, TUN_VIP}) worker.announce(vip);
        // NAT: every flow opens, then (once the director has scheduled them all) the servers answer and the
        // exchanges go on; frames pile up beyond a worker's batch, as under a flood.
        for (int f = 0; f < FLOWS; f++) {
            int client = client(f), port = port(f);
            tcp(client, port, NAT_VIP, 80, Tcp.SYN, 0, true);
            udp(client, port, NAT_VIP, 53, datagram(f), true);
        }
        receive();
        for (int f = 0; f < FLOWS; f++) {
            int client = client(f), port = port(f);
            natExchange(client, port, scheduled(Ipv4.PROTO_TCP, client, port, NAT_VIP, 80));
            udp(scheduled(Ipv4.PROTO_UDP, client, port, NAT_VIP, 53), 53, client, port, datagram(f), false);
        }
        // DR and TUN: nothing comes back through the director.
        for (int f = 0; f < FLOWS; f++) {
            int client = client(f), port = port(f), datagram = datagram(f);
            int vip = (f & 1) == 0 ? DR_VIP : TUN_VIP;
            tcp(client, port, vip, 80, Tcp.SYN, 0, true);
            tcp(client, port, vip, 80, Tcp.ACK, 0, true);
            tcp(client, port, vip, 80, Tcp.PSH | Tcp.ACK, PAYLOAD, true);
            tcp(client, port, vip, 80, Tcp.FIN | Tcp.ACK, 0, true);
            udp(client, port, vip, 53, datagram, true);
            if (f % 64 == 0) ping(client, vip);
            if (f % 256 == 0) arpRequest(client, vip);
        }
    }

    /** Who has a VIP, asked by a client: the director answers. */
    private void arpRequest(int client, int vip) {
        Layouts.putMac(frame, Ethernet.DST_MAC, 0xFFFF_FFFF_FFFFL);
        Layouts.putMac(frame, Ethernet.SRC_MAC, CLIENT_MAC);
        Layouts.put16(frame, Ethernet.ETHER_TYPE, Ethernet.TYPE_ARP);
        Layouts.put16(frame, IP + Arp.HARDWARE_TYPE, Arp.HTYPE_ETHERNET);
        Layouts.put16(frame, IP + Arp.PROTOCOL_TYPE, Ethernet.TYPE_IPV4);
        Layouts.put8(frame, IP + Arp.HARDWARE_LENGTH, 6);
        Layouts.put8(frame, IP + Arp.PROTOCOL_LENGTH, 4);
        Layouts.put16(frame, IP + Arp.OPERATION, Arp.OP_REQUEST);
        Layouts.putMac(frame, IP + Arp.SENDER_MAC, CLIENT_MAC);
        Layouts.put32(frame, IP + Arp.SENDER_IP, client);
        Layouts.putMac(frame, IP + Arp.TARGET_MAC, 0);
        Layouts.put32(frame, IP + Arp.TARGET_IP, vip);
        hand(IP + Arp.LENGTH + 18, 0, true);
    }

    /** An echo request to a VIP, which the director answers itself. */
    private void ping(int client, int vip) {
        int l4 = IP + Ipv4.MIN_HEADER_LENGTH, l4Length = Icmp.HEADER_LENGTH + SHORT_PAYLOAD;
        ipv4(client, vip, Ipv4.PROTO_ICMP, l4Length, true);
        Layouts.put8(frame, l4 + Icmp.TYPE, Icmp.V4_ECHO_REQUEST);
        Layouts.put8(frame, l4 + Icmp.CODE, 0);
        Layouts.put16(frame, l4 + Icmp.IDENTIFIER, client & 0xFFFF);
        Layouts.put16(frame, l4 + Icmp.SEQUENCE, (int) framesIn);
        frame.asSlice(l4 + Icmp.HEADER_LENGTH, SHORT_PAYLOAD).fill((byte) 'p');
        Layouts.put16(frame, l4 + Icmp.CHECKSUM, 0);
        Layouts.put16(frame, l4 + Icmp.CHECKSUM, Checksums.transportIpv4(frame, IP, l4, l4Length, Ipv4.PROTO_ICMP));
        hand(l4 + l4Length, 0, true);
    }

    /** A NAT TCP connection after its SYN: the server's answer, data both ways, and the close. */
    private void natExchange(int client, int port, int server) {
        tcp(server, 8080, client, port, Tcp.SYN | Tcp.ACK, 0, false);
        tcp(client, port, NAT_VIP, 80, Tcp.ACK, 0, true);
        tcp(client, port, NAT_VIP, 80, Tcp.PSH | Tcp.ACK, PAYLOAD, true);
        tcp(server, 8080, client, port, Tcp.PSH | Tcp.ACK, PAYLOAD, false);
        tcp(client, port, NAT_VIP, 80, Tcp.FIN | Tcp.ACK, 0, true);
        tcp(server, 8080, client, port, Tcp.FIN | Tcp.ACK, 0, false);
        tcp(client, port, NAT_VIP, 80, Tcp.ACK, 0, true);
    }

    private static int client(int flow) { return CLIENT_BASE + flow / PORTS_PER_CLIENT; }

    private static int port(int flow) { return 1024 + flow % PORTS_PER_CLIENT; }

    /** Every other pair of flows sends a 64-byte frame's datagram, the others a longer one. */
    private static int datagram(int flow) { return (flow & 2) == 0 ? SHORT_PAYLOAD : PAYLOAD; }

    private void tcp(int src, int srcPort, int dst, int dstPort, int flags, int payload, boolean fromClient) {
        int l4 = IP + Ipv4.MIN_HEADER_LENGTH, l4Length = Tcp.MIN_HEADER_LENGTH + payload;
        ipv4(src, dst, Ipv4.PROTO_TCP, l4Length, fromClient);
        Layouts.put16(frame, l4 + Tcp.SRC_PORT, srcPort);
        Layouts.put16(frame, l4 + Tcp.DST_PORT, dstPort);
        Layouts.put32(frame, l4 + Tcp.SEQ, srcPort * 7919);
        Layouts.put32(frame, l4 + Tcp.ACK_NUMBER, dstPort * 104729);
        Layouts.put8(frame, l4 + Tcp.DATA_OFFSET, (Tcp.MIN_HEADER_LENGTH / 4) << 4);
        Layouts.put8(frame, l4 + Tcp.FLAGS, flags);
        Layouts.put16(frame, l4 + Tcp.WINDOW, 65535);
        Layouts.put16(frame, l4 + Tcp.URGENT, 0);
        frame.asSlice(l4 + Tcp.MIN_HEADER_LENGTH, payload).fill((byte) 'w');
        deliver(l4, l4Length, Ipv4.PROTO_TCP, Tcp.CHECKSUM, fromClient);
    }

    private void udp(int src, int srcPort, int dst, int dstPort, int payload, boolean fromClient) {
        int l4 = IP + Ipv4.MIN_HEADER_LENGTH, l4Length = Udp.HEADER_LENGTH + payload;
        ipv4(src, dst, Ipv4.PROTO_UDP, l4Length, fromClient);
        Layouts.put16(frame, l4 + Udp.SRC_PORT, srcPort);
        Layouts.put16(frame, l4 + Udp.DST_PORT, dstPort);
        Layouts.put16(frame, l4 + Udp.LENGTH, l4Length);
        frame.asSlice(l4 + Udp.HEADER_LENGTH, payload).fill((byte) 'u');
        deliver(l4, l4Length, Ipv4.PROTO_UDP, Udp.CHECKSUM, fromClient);
    }

    private void ipv4(int src, int dst, int protocol, int l4Length, boolean fromClient) {
        Layouts.putMac(frame, Ethernet.DST_MAC, fromClient ? CLIENT_PORT_MAC : SERVER_PORT_MAC);
        Layouts.putMac(frame, Ethernet.SRC_MAC, fromClient ? CLIENT_MAC : SERVER_MAC);
        Layouts.put16(frame, Ethernet.ETHER_TYPE, Ethernet.TYPE_IPV4);
        Layouts.put8(frame, IP + Ipv4.VERSION_IHL, 0x45);
        Layouts.put8(frame, IP + Ipv4.TOS, 0);
        Layouts.put16(frame, IP + Ipv4.TOTAL_LENGTH, Ipv4.MIN_HEADER_LENGTH + l4Length);
        Layouts.put16(frame, IP + Ipv4.IDENTIFICATION, (int) framesIn);
        Layouts.put16(frame, IP + Ipv4.FLAGS_FRAGMENT, Ipv4.FLAG_DF);
        Layouts.put8(frame, IP + Ipv4.TTL, 64);
        Layouts.put8(frame, IP + Ipv4.PROTOCOL, protocol);
        Layouts.put32(frame, IP + Ipv4.SRC, src);
        Layouts.put32(frame, IP + Ipv4.DST, dst);
        Checksums.fillIpv4Header(frame, IP, Ipv4.MIN_HEADER_LENGTH);
    }

    /** Fills the transport checksum as a frame with {@code status} carries it, and hands the frame over. */
    private void deliver(int l4, int l4Length, int protocol, int checksumField, boolean fromClient) {
        int status = STATUSES[(int) (framesIn % STATUSES.length)];
        if (status == PacketPort.CSUM_PARTIAL) {
            Layouts.put16(frame, l4 + checksumField,
                    Checksums.fold(Checksums.pseudoIpv4(frame, IP, l4Length, protocol)));
        } else {
            Layouts.put16(frame, l4 + checksumField, 0);
            Layouts.put16(frame, l4 + checksumField, Checksums.transportIpv4(frame, IP, l4, l4Length, protocol));
        }
        hand(l4 + l4Length, status, fromClient);
    }

    /**
     * The frame into its port's receive ring; every {@link #BATCH} frames (or when the ring is full) the rings are
     * read into the pipeline and the transmit rings flushed, as a worker does.
     */
    private void hand(int length, int status, boolean fromClient) {
        DetachedPort port = fromClient ? clientSide : serverSide;
        if (!port.inject(frame, 0, length, status)) {
            receive();
            port.inject(frame, 0, length, status);
        }
        if (++framesIn % BATCH == 0) flush();
    }

    /** Hands everything injected to the pipeline: the worker's own rounds, as its thread runs them. */
    private void receive() {
        do {
            clientSide.settle();
            serverSide.settle();
        } while (worker.pass() > 0);
        clientSide.settle();
        serverSide.settle();
    }

    private void flush() {
        receive();
    }

    /** The real server of a client's connection (0 when it has none). */
    private int scheduled(int protocol, int client, int port, int vip, int vport) {
        key.protocol(protocol).client(0, Addresses.mappedLo(client), port).virtual(0, Addresses.mappedLo(vip), vport);
        return plane.connections().lookup(key, ConnectionTable.DIR_INPUT, view) < 0 ? 0 : (int) view.realLo();
    }
}
