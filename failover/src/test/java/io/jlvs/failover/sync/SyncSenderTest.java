package io.jlvs.failover.sync;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The master's socket as the kernel's: from the interface's address to the group; a daemon on a missing interface
 * refused.
 */
class SyncSenderTest {
    @Test
    void sendsToTheGroupFromTheInterfacesAddress() throws Exception {
        try (SyncPairNamespaces ns = new SyncPairNamespaces("jlvssz3")) {
            InetAddress groupAddress = InetAddress.getByName(SyncLayout.DEFAULT_GROUP);
            InetSocketAddress group = new InetSocketAddress(groupAddress, SyncLayout.DEFAULT_PORT);
            DatagramChannel listener = ns.call(ns.backup, () -> {
                NetworkInterface nic = NetworkInterface.getByName(SyncPairNamespaces.INTERFACE);
                DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)
                        .setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(group);
                c.join(groupAddress, nic);
                return c;
            });
            EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, SyncPairNamespaces.threadsIn(ns.master),
                    EpollIoHandler.newFactory());
            try (listener) {
                SyncSender sender = ns.call(ns.master, () -> SyncSender.open(loop,
                        NetworkInterface.getByName(SyncPairNamespaces.INTERFACE), group, 1));
                try (sender) {
                    ByteBuffer request = ByteBuffer.allocate(SyncLayout.HEADER_BYTES);
                    SyncControl.write(request, 7, SyncControl.RESYNC_REQUEST);
                    sender.send(request.flip());
                    ByteBuffer got = ByteBuffer.allocate(100);
                    InetSocketAddress from = (InetSocketAddress) listener.receive(got);
                    assertEquals(InetAddress.getByName("10.77.0.1"), from.getAddress());
                    assertNotEquals(SyncLayout.DEFAULT_PORT, from.getPort(), "an ephemeral port, as the kernel's");
                    assertEquals(SyncLayout.HEADER_BYTES, got.flip().remaining());
                    assertEquals(SyncControl.RESYNC_REQUEST, got.get(SyncLayout.OFF_VERSION) & 0xFF);
                    assertEquals(1, sender.messagesSent());
                }
            } finally {
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
            }
        }
    }

    @Test
    void aDaemonOnAMissingInterfaceIsRefusedSayingSo() throws Exception {
        try (SyncPairNamespaces ns = new SyncPairNamespaces("jlvssz4")) {
            SyncDaemon.Settings settings = new SyncDaemon.Settings("sz9", 7, 1472,
                    InetAddress.getByName(SyncLayout.DEFAULT_GROUP), SyncLayout.DEFAULT_PORT, 1);
            IOException refused = ns.call(ns.master, () -> assertThrows(IOException.class,
                    () -> new SyncDaemon(settings, null, null, SyncPairNamespaces.threadsIn(ns.master))
                            .start(SyncDaemon.Role.MASTER)));
            assertEquals("sync daemon: no interface sz9", refused.getMessage());
            assertEquals("10.77.0.1", ns.call(ns.master, () -> SyncSender.ipv4Address(
                    NetworkInterface.getByName(SyncPairNamespaces.INTERFACE))).getHostAddress(),
                    "while the pair's interface is there, with its address");
        }
    }
}
