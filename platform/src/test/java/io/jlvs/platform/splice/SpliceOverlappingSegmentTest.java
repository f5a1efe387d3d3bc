package io.jlvs.platform.splice;

import io.jlvs.packets.Checksums;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;
import io.jlvs.platform.splice.StreamEnds.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static io.jlvs.platform.splice.StreamEnds.await;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server segment that overlaps bytes the proxy's socket has already received, as a retransmission the sender cut
 * differently from the lost original: TCP queues it whole, and only its part past what was received is new. The
 * segments are sent in the server's name through a raw socket on loopback (its sequence numbers read with
 * TCP_REPAIR), so the overlap is exact: 1000 bytes, then bytes 500 to 2000, then the FIN.
 */
class SpliceOverlappingSegmentTest {
    private static final int TCP_REPAIR = 19, TCP_REPAIR_QUEUE = 20, TCP_QUEUE_SEQ = 21, TCP_TIMESTAMP = 24;
    private static final int TCP_RECV_QUEUE = 1, TCP_SEND_QUEUE = 2;
    private static final int IPPROTO_RAW = 255;
    private static final int LOOPBACK = 0x7f000001;
    private static final int TCP_ACK_PSH = 0x18, TCP_FIN_ACK = 0x11;
    private static final byte[] STREAM = new byte[2000];

    static {
        for (int i = 0; i < STREAM.length; i++) STREAM[i] = (byte) ('a' + (i / 100) % 26);
    }

    private final Arena arena = Arena.ofConfined();
    private int proxyListener = -1, serverListener = -1, server = -1, raw = -1;
    private SocketChannel client;
    private int proxyClientSide, proxyServerSide;
    /** The server's next sequence number (the one the proxy's socket expects), what it acknowledges, its ports. */
    private int seq, ack, serverPort, proxyPort;

    @BeforeEach
    void connect() throws Exception {
        proxyListener = listener();
        serverListener = listener();
        client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port(proxyListener)));
        proxyClientSide = StreamSockets.accept(proxyListener, Libc.SOCK_CLOEXEC);
        proxyServerSide = Libc.socket(Libc.AF_INET, StreamSockets.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        StreamSockets.connect(proxyServerSide, LoopbackConnections.sockaddr(arena, LOOPBACK, port(serverListener)), "server");
        server = StreamSockets.accept(serverListener, Libc.SOCK_CLOEXEC);
        serverPort = port(server);
        proxyPort = port(proxyServerSide);
        Libc.setsockoptInt(server, StreamSockets.IPPROTO_TCP, TCP_REPAIR, 1, "TCP_REPAIR on");
        Libc.setsockoptInt(server, StreamSockets.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE, "TCP_REPAIR_QUEUE");
        seq = tcpInt(server, TCP_QUEUE_SEQ);
        Libc.setsockoptInt(server, StreamSockets.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE, "TCP_REPAIR_QUEUE");
        ack = tcpInt(server, TCP_QUEUE_SEQ);
        Libc.setsockoptInt(server, StreamSockets.IPPROTO_TCP, TCP_REPAIR, 0, "TCP_REPAIR off");
        raw = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, IPPROTO_RAW);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        for (int fd : new int[] {raw, server, proxyListener, serverListener}) if (fd >= 0) Libc.close(fd);
        arena.close();
    }

    @ParameterizedTest
    @EnumSource(value = SpliceMode.class, names = {"PIPE", "COPY"})
    void modesThatReadTheQueuePassOnlyTheNewBytes(SpliceMode mode) throws Exception {
        try (Splicer splicer = Splicers.openExactly(mode, SpliceOptions.withCapacity(4))) {
            SplicedPair pair = splicer.splice(proxyClientSide, proxyServerSide);
            sendOverlappingStream();
            assertEquals(new Received(1000, sha256(1000, 1000)), await(StreamEnds.readToEndAsync(client), 10));
            client.shutdownOutput();
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, 0, 2000), await(pair.end(), 10));
        }
    }

    /**
     * BPF_SK_SKB_VERDICT takes each skb from the receive queue whole (tcp_read_skb), the 500 bytes it shares with
     * the first segment included, and the peer gets them twice. The splicer sees the sink written 2500 bytes for
     * 2000 received and resets both sides instead of passing the FIN on.
     */
    @Test
    void verdictOnlySockmapSendsTheOverlapTwiceAndThePairIsReset() throws Exception {
        SpliceOptions options = SpliceOptions.withCapacity(4).withAttachment(SockmapAttachment.VERDICT_ONLY);
        try (Splicer splicer = Splicers.openExactly(SpliceMode.SOCKMAP, options)) {
            SplicedPair pair = splicer.splice(proxyClientSide, proxyServerSide);
            awaitKernelEntries(splicer, 4);   // both directions are in the kernel: nobody reads the queue
            sendOverlappingStream();
            IOException failure = assertThrows(IOException.class, () -> await(StreamEnds.readToEndAsync(client), 10));
            assertTrue(failure.getMessage().contains("reset"), failure.toString());
            assertEquals(new SpliceEnd(SpliceEnd.Reason.DUPLICATE_DATA, 0, 2500), await(pair.end(), 10));
        }
    }

    /** Bytes 0 to 1000 (read by the client before going on), bytes 500 to 2000, and the FIN after byte 2000. */
    private void sendOverlappingStream() throws Exception {
        int ts = tcpInt(server, TCP_TIMESTAMP);
        send(seq, TCP_ACK_PSH, ts, 0, 1000);
        assertEquals(new String(STREAM, 0, 1000, StandardCharsets.US_ASCII), StreamEnds.readExactly(client, 1000));
        send(seq + 500, TCP_ACK_PSH, ts + 1, 500, 1500);
        send(seq + 2000, TCP_FIN_ACK, ts + 2, 0, 0);
    }

    /** One IPv4 TCP segment in the server's name, with a timestamp option (the connection negotiated them). */
    private void send(int segmentSeq, int flags, int tsVal, int from, int length) throws IOException {
        int tcpLength = 32 + length, total = 20 + tcpLength;
        MemorySegment p = arena.allocate(total);
        ByteBuffer b = p.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        b.put(0, (byte) 0x45).putShort(2, (short) total).putShort(6, (short) 0x4000).put(8, (byte) 64)
                .put(9, (byte) 6).putInt(12, LOOPBACK).putInt(16, LOOPBACK);
        Checksums.fillIpv4Header(p, 0, 20);
        b.putShort(20, (short) serverPort).putShort(22, (short) proxyPort).putInt(24, segmentSeq).putInt(28, ack)
                .put(32, (byte) (8 << 4)).put(33, (byte) flags).putShort(34, (short) 0xffff)
                .put(40, (byte) 1).put(41, (byte) 1).put(42, (byte) 8).put(43, (byte) 10).putInt(44, tsVal).putInt(48, 0)
                .put(52, STREAM, from, length);
        b.putShort(36, (short) Checksums.transportIpv4(p, 0, 20, tcpLength, 6));
        long sent = Libc.sendto(raw, p, total, 0, LoopbackConnections.sockaddr(arena, LOOPBACK, 0), Libc.newCapture(arena));
        assertEquals(total, sent, "sendto of the raw segment");
    }

    private static void awaitKernelEntries(Splicer splicer, int entries) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (splicer.kernelEntries() < entries) {
            if (System.nanoTime() > deadline) throw new AssertionError(splicer.kernelEntries() + " sockhash entries within 10 s");
            Thread.onSpinWait();
        }
    }

    private static String sha256(int from, int length) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(STREAM, from, length);
        return HexFormat.of().formatHex(sha.digest());
    }

    private int tcpInt(int fd, int option) throws IOException {
        MemorySegment value = arena.allocate(JAVA_INT);
        Libc.getsockopt(fd, StreamSockets.IPPROTO_TCP, option, value, "TCP option " + option);
        return value.get(JAVA_INT, 0);
    }

    private int listener() throws IOException {
        int fd = Libc.socket(Libc.AF_INET, StreamSockets.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        Libc.bind(fd, LoopbackConnections.sockaddr(arena, LOOPBACK, 0), "127.0.0.1:0");
        StreamSockets.listen(fd, 4);
        return fd;
    }

    private int port(int fd) throws IOException {
        MemorySegment bound = arena.allocate(16, 4);
        StreamSockets.getsockname(fd, bound);
        return Short.toUnsignedInt(bound.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
    }
}
