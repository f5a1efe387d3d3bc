package io.jlvs.failover.vrrp;

import io.jlvs.packets.Ipv4;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A raw IPv4 socket of protocol 112 on one interface: it joins 224.0.0.18 there, sends adverts with TTL 255 to the
 * group or to unicast peers, and receives every VRRP packet of the interface with its IP header (so the receiver
 * checks the TTL and reads the source). Opened in the calling thread's network namespace; used from one thread.
 */
final class VrrpSocket implements AdvertPort, AutoCloseable {
    static final int GROUP = 0xE0000012; // 224.0.0.18
    private static final int IPPROTO_IP = 0, IP_TTL = 2, IP_MULTICAST_IF = 32, IP_MULTICAST_TTL = 33,
            IP_MULTICAST_LOOP = 34, IP_ADD_MEMBERSHIP = 35, SO_BINDTODEVICE = 25;

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final String interfaceName;
    private final int ifIndex;
    private final int primaryAddress;
    private final MemorySegment sendBuffer = arena.allocate(2048);
    private final MemorySegment receiveBuffer = arena.allocate(65536);
    private final MemorySegment destination = arena.allocate(16);
    private final MemorySegment capture = Libc.newCapture(arena);

    private VrrpSocket(int fd, String interfaceName, int ifIndex, int primaryAddress) {
        this.fd = fd;
        this.interfaceName = interfaceName;
        this.ifIndex = ifIndex;
        this.primaryAddress = primaryAddress;
    }

    /**
     * Opens the socket on {@code interfaceName}; {@code source} is the address adverts come from (unicast_src_ip),
     * or null for the interface's first IPv4 address.
     */
    static VrrpSocket open(String interfaceName, InetAddress source) throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(interfaceName);
        if (nic == null) throw new IOException("VRRP: no interface " + interfaceName);
        int primary = source != null ? Ipv4.toInt(source) : firstIpv4(nic);
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, VrrpAdvert.PROTOCOL);
        VrrpSocket socket = new VrrpSocket(fd, interfaceName, nic.getIndex(), primary);
        try {
            socket.configure();
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private void configure() throws IOException {
        byte[] name = (interfaceName + "\0").getBytes(StandardCharsets.US_ASCII);
        Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_BINDTODEVICE, arena.allocateFrom(ValueLayout.JAVA_BYTE, name),
                "SO_BINDTODEVICE " + interfaceName);
        Libc.setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreqn(GROUP), "IP_ADD_MEMBERSHIP 224.0.0.18");
        Libc.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, mreqn(0), "IP_MULTICAST_IF " + interfaceName);
        Libc.setsockoptInt(fd, IPPROTO_IP, IP_MULTICAST_TTL, 255, "IP_MULTICAST_TTL");
        Libc.setsockoptInt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
        Libc.setsockoptInt(fd, IPPROTO_IP, IP_TTL, 255, "IP_TTL");
    }

    /** struct ip_mreqn: group, the local address (the primary), the interface index. */
    private MemorySegment mreqn(int group) {
        MemorySegment m = arena.allocate(12);
        m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0, group);
        m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4, primaryAddress);
        m.set(ValueLayout.JAVA_INT, 8, ifIndex);
        return m;
    }

    int fd() { return fd; }

    String interfaceName() { return interfaceName; }

    /** The address adverts come from. */
    @Override
    public int primaryAddress() { return primaryAddress; }

    /** Sends a VRRP message (no IP header) of {@code length} bytes to {@code to}; false when the kernel refused. */
    @Override
    public boolean send(byte[] message, int length, int to) {
        MemorySegment.copy(message, 0, sendBuffer, ValueLayout.JAVA_BYTE, 0, length);
        destination.fill((byte) 0);
        destination.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
        destination.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4, to);
        return Libc.sendto(fd, sendBuffer, length, Libc.MSG_DONTWAIT, destination, capture) == length;
    }

    /** Reads one waiting packet (IP header included) into {@code into}; its length, or 0 when none waits. */
    int receive(byte[] into) throws IOException {
        long n = Libc.recv(fd, receiveBuffer, receiveBuffer.byteSize(), Libc.MSG_DONTWAIT, capture);
        if (n == -Libc.EAGAIN || n == -Libc.EINTR) return 0;
        if (n < 0) throw Libc.failure("recv(VRRP on " + interfaceName + ")", (int) -n);
        int len = (int) Math.min(n, into.length);
        MemorySegment.copy(receiveBuffer, ValueLayout.JAVA_BYTE, 0, into, 0, len);
        return len;
    }

    private static int firstIpv4(NetworkInterface nic) throws IOException {
        for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address v4) return Ipv4.toInt(v4);
        }
        throw new IOException("VRRP: interface " + nic.getName() + " has no IPv4 address to send adverts from");
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }
}
