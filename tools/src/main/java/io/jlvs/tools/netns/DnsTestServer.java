package io.jlvs.tools.netns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A DNS server for tests: answers every query over UDP with NOERROR, the question echoed and no records, which is
 * what a DNS_CHECK needs to see. Run as {@code java -cp ... io.jlvs.tools.netns.DnsTestServer NAME PORT}; prints
 * {@code READY NAME PORT}.
 */
public final class DnsTestServer {
    private static final int HEADER = 12;

    private DnsTestServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: DnsTestServer NAME PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(port));
            System.out.println(HttpIdentityServer.READY_LINE + " " + args[0] + " " + port);
            System.out.flush();
            ByteBuffer packet = ByteBuffer.allocate(512);
            while (true) {
                packet.clear();
                SocketAddress sender = channel.receive(packet);
                if (packet.position() < HEADER) continue;
                packet.flip();
                // The query's header turned into an answer's: QR set, opcode and RD kept, RA set, RCODE 0;
                // question count kept, answer, authority and additional counts 0, so only the question follows.
                byte flags1 = packet.get(2);
                packet.put(2, (byte) (0x80 | (flags1 & 0x79)));
                packet.put(3, (byte) 0x80);
                packet.putShort(6, (short) 0).putShort(8, (short) 0).putShort(10, (short) 0);
                packet.limit(HEADER + questionLength(packet));
                channel.send(packet, sender);
            }
        }
    }

    /** The length of the first question (name labels, type, class), or 0 when the packet carries none. */
    private static int questionLength(ByteBuffer p) {
        if (p.getShort(4) == 0) return 0;
        int at = HEADER;
        while (at < p.limit() && p.get(at) != 0) at += (p.get(at) & 0xFF) + 1;
        return Math.min(at + 1 + 4, p.limit()) - HEADER;
    }
}
