package io.jlvs.failover.vrrp;

import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Link state read with the SIOCGIFFLAGS ioctl: up means IFF_UP and IFF_RUNNING (administratively up and with a
 * carrier: the kernel's operstate UP); an interface that does not exist is down. Chosen over rtnetlink link events
 * because the engine already wakes at least every 100 ms and polls; one ioctl per tracked interface per poll is
 * cheaper than keeping a netlink subscription in step. Chosen over /sys/class/net/IF/operstate because the socket
 * is made in the caller's network namespace, while sysfs shows the namespace it was mounted from, which is not the
 * engine's when its thread entered a namespace with setns. And not {@link java.net.NetworkInterface}, which does not
 * find an interface without any address and would call an up link without addresses down.
 */
final class InterfaceLinkStates implements LinkStates, AutoCloseable {
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final int IFNAMSIZ = 16, IFREQ_SIZE = 40, IFF_UP = 0x1, IFF_RUNNING = 0x40;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
    private final int fd;

    /** Opens the socket the ioctls go through, in the calling thread's network namespace. */
    InterfaceLinkStates() throws IOException {
        fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
    }

    @Override
    public boolean up(String interfaceName) {
        byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= IFNAMSIZ) return false;
        ifreq.fill((byte) 0);
        MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
        try {
            Libc.ioctl(fd, SIOCGIFFLAGS, ifreq, "SIOCGIFFLAGS " + interfaceName);
        } catch (IOException e) {
            return false; // ENODEV: no such interface (any longer) is a link down
        }
        int flags = Short.toUnsignedInt(ifreq.get(ValueLayout.JAVA_SHORT, IFNAMSIZ));
        return (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }
}
