package io.jlvs.tools.netns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * TCP echo server for benchmarks and tests: any number of connections on one thread, every byte sent back.
 * Run as {@code java -cp ... io.jlvs.tools.netns.TcpEchoServer NAME PORT}; prints {@code READY NAME PORT}.
 */
public final class TcpEchoServer {
    private TcpEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TcpEchoServer NAME PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(port), 4096);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            System.out.println(HttpIdentityServer.READY_LINE + " " + args[0] + " " + port);
            System.out.flush();
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            while (true) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        SocketChannel c = server.accept();
                        if (c != null) {
                            c.configureBlocking(false);
                            c.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        SocketChannel c = (SocketChannel) key.channel();
                        buffer.clear();
                        int n;
                        try {
                            n = c.read(buffer);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n < 0) {
                            key.cancel();
                            c.close();
                            continue;
                        }
                        buffer.flip();
                        while (buffer.hasRemaining()) c.write(buffer); // small echoes: the send buffer has room
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }
}
