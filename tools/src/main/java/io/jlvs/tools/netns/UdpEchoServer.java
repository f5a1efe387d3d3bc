package io.jlvs.tools.netns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * UDP echo server for tests: answers each datagram with {@code NAME } followed by the datagram's payload.
 * Run as {@code java -cp ... io.jlvs.tools.netns.UdpEchoServer NAME PORT [ADDRESS]}; prints {@code READY NAME PORT}.
 * Bound to ADDRESS when given (a direct-routing server's VIP, so that its answers come from the VIP), else to every
 * address.
 */
public final class UdpEchoServer {
    private UdpEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: UdpEchoServer NAME PORT [ADDRESS]");
            System.exit(2);
        }
        byte[] prefix = (args[0] + " ").getBytes(StandardCharsets.US_ASCII);
        int port = Integer.parseInt(args[1]);
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(args.length == 3 ? new InetSocketAddress(args[2], port) : new InetSocketAddress(port));
            System.out.println(HttpIdentityServer.READY_LINE + " " + args[0] + " " + port);
            System.out.flush();
            ByteBuffer in = ByteBuffer.allocateDirect(65536);
            ByteBuffer out = ByteBuffer.allocateDirect(65536 + prefix.length);
            while (true) {
                in.clear();
                SocketAddress sender = channel.receive(in);
                in.flip();
                out.clear();
                out.put(prefix).put(in).flip();
                channel.send(out, sender);
            }
        }
    }
}
