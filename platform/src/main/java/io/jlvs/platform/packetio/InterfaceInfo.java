package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Index, MAC and MTU of an interface, read with SIOCGIF* ioctls on a socket. Not from /sys/class/net: sysfs shows
 * the network namespace of whoever mounted it, while a socket belongs to the namespace of the thread that made it.
 *
 * @param mac the hardware address in the low 48 bits, first byte most significant
 */
record InterfaceInfo(String name, int ifIndex, long mac, int mtu) {
    private static final long SIOCGIFHWADDR = 0x8927, SIOCGIFMTU = 0x8921, SIOCGIFINDEX = 0x8933;
    private static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;

    /** Queries through an existing socket of the right namespace. */
    static InterfaceInfo query(int fd, String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) throw new IOException("bad interface name: " + name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
            MemorySegment.copy(nameBytes, 0, ifreq, JAVA_BYTE, 0, nameBytes.length);
            Libc.ioctl(fd, SIOCGIFINDEX, ifreq, "SIOCGIFINDEX " + name);
            int ifIndex = ifreq.get(JAVA_INT, IFNAMSIZ);
            Libc.ioctl(fd, SIOCGIFMTU, ifreq, "SIOCGIFMTU " + name);
            int mtu = ifreq.get(JAVA_INT, IFNAMSIZ);
            Libc.ioctl(fd, SIOCGIFHWADDR, ifreq, "SIOCGIFHWADDR " + name);
            int hardwareType = Short.toUnsignedInt(ifreq.get(JAVA_SHORT, IFNAMSIZ));
            if (hardwareType != PacketSockets.ARPHRD_ETHER) {
                // The filters and the forwarder assume Ethernet framing at offset 0.
                throw new IOException(name + " is not an Ethernet interface (ARPHRD " + hardwareType + ")");
            }
            long mac = 0;
            for (int i = 0; i < 6; i++) mac = (mac << 8) | Byte.toUnsignedLong(ifreq.get(JAVA_BYTE, IFNAMSIZ + 2 + i));
            return new InterfaceInfo(name, ifIndex, mac, mtu);
        }
    }

    /** Queries through a short-lived socket made on the calling thread (so in the thread's namespace). */
    static InterfaceInfo query(String name) throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try {
            return query(fd, name);
        } finally {
            Libc.close(fd);
        }
    }
}
