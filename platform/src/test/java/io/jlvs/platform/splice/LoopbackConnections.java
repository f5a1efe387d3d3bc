package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The proxy's two connections on loopback: a client (java.nio) connected to the proxy's listener (a raw socket), and
 * the proxy's raw socket connected to a server (java.nio). The proxy's two descriptors are what a splicer joins.
 */
final class LoopbackConnections implements AutoCloseable {
    private static final int SOCKADDR_IN_SIZE = 16;

    private final int proxyListener;
    private final int proxyPort;
    private final ServerSocketChannel server;
    private final MemorySegment serverAddress;
    private final Arena arena = Arena.ofShared();

    /** One client-to-proxy and one proxy-to-server connection. */
    record Connections(SocketChannel client, int proxyClientSide, int proxyServerSide, SocketChannel server) {
        /** Both java.nio ends, closed; the proxy's descriptors belong to the splicer. */
        void closeEnds() throws IOException {
            client.close();
            server.close();
        }
    }

    LoopbackConnections() throws IOException {
        proxyListener = Libc.socket(Libc.AF_INET, StreamSockets.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        try {
            MemorySegment any = sockaddr(arena, 0x7f000001, 0);
            Libc.bind(proxyListener, any, "127.0.0.1:0");
            StreamSockets.listen(proxyListener, 1024);
            MemorySegment bound = arena.allocate(SOCKADDR_IN_SIZE, 4);
            StreamSockets.getsockname(proxyListener, bound);
            proxyPort = Short.toUnsignedInt(bound.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
            server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            serverAddress = sockaddr(arena, 0x7f000001, ((InetSocketAddress) server.getLocalAddress()).getPort());
        } catch (IOException e) {
            Libc.close(proxyListener);
            throw e;
        }
    }

    static MemorySegment sockaddr(Arena arena, int address, int port) {
        MemorySegment sockaddr = arena.allocate(SOCKADDR_IN_SIZE, 4);
        sockaddr.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
        sockaddr.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
        sockaddr.set(JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), 4, address);
        return sockaddr;
    }

    Connections open() throws IOException {
        SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort));
        int clientSide = StreamSockets.accept(proxyListener, Libc.SOCK_CLOEXEC);
        int serverSide = Libc.socket(Libc.AF_INET, StreamSockets.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        StreamSockets.connect(serverSide, serverAddress, "server");
        SocketChannel serverEnd = server.accept();
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        serverEnd.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new Connections(client, clientSide, serverSide, serverEnd);
    }

    @Override
    public void close() throws IOException {
        Libc.close(proxyListener);
        server.close();
        arena.close();
    }
}
