package io.jlvs.failover.vrrp;

import io.jlvs.control.model.Addresses;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A raw socket of protocol 112 on one interface, IPv4 or IPv6. IPv4: it joins 224.0.0.18, sends adverts with TTL
 * 255 to the group or to unicast peers, and receives every VRRP packet of the interface with its IP header (so the
 * receiver checks the TTL and reads the source). IPv6 (RFC 5798): it joins ff02::12, sends with hop limit 255 from
 * the interface's link-local address (or unicast_src_ip), and receives through recvmsg(2) with the hop limit and
 * the destination as ancillary data, from which it rebuilds the fixed IPv6 header in front of the message, so that
 * the receiver checks both families alike. The checksum is the sender's own (no IPV6_CHECKSUM: the kernel would
 * drop bad ones unseen instead of letting them be counted). Opened in the calling thread's network namespace; used
 * from one thread.
 */
final class VrrpSocket implements AdvertPort, AutoCloseable {
    static final int GROUP = 0xE0000012; // 224.0.0.18
    /** ff02::12. */
    static final long GROUP6_HI = 0xFF02_0000_0000_0000L, GROUP6_LO = 0x12;
    private static final int IPPROTO_IP = 0, IP_TTL = 2, IP_MULTICAST_IF = 32, IP_MULTICAST_TTL = 33,
            IP_MULTICAST_LOOP = 34, IP_ADD_MEMBERSHIP = 35, SO_BINDTODEVICE = 25;
    private static final int IPPROTO_IPV6 = 41, IPV6_UNICAST_HOPS = 16, IPV6_MULTICAST_IF = 17,
            IPV6_MULTICAST_HOPS = 18, IPV6_MULTICAST_LOOP = 19, IPV6_ADD_MEMBERSHIP = 20, IPV6_RECVPKTINFO = 49,
            IPV6_PKTINFO = 50, IPV6_RECVHOPLIMIT = 51, IPV6_HOPLIMIT = 52;
    private static final int SOCKADDR_IN6_SIZE = 28, CONTROL_SIZE = 128;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final boolean ipv6;
    private final String interfaceName;
    private final int ifIndex;
    private final long sourceHi, sourceLo;
    private final MemorySegment sendBuffer = arena.allocate(2048);
    private final MemorySegment receiveBuffer = arena.allocate(65536);
    private final MemorySegment destination = arena.allocate(SOCKADDR_IN6_SIZE);
    private final MemorySegment capture = Libc.newCapture(arena);
    /** recvmsg(2)'s message header, its iovec, the sender's address and the ancillary data (IPv6). */
    private final MemorySegment msghdr = arena.allocate(Libc.MSGHDR_SIZE, 8);
    private final MemorySegment iovec = arena.allocate(Libc.IOVEC_SIZE, 8);
    private final MemorySegment sender = arena.allocate(SOCKADDR_IN6_SIZE, 8);
    private final MemorySegment control = arena.allocate(CONTROL_SIZE, 8);

    private VrrpSocket(int fd, boolean ipv6, String interfaceName, int ifIndex, long sourceHi, long sourceLo) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.interfaceName = interfaceName;
        this.ifIndex = ifIndex;
        this.sourceHi = sourceHi;
        this.sourceLo = sourceLo;
    }

    /**
     * Opens the socket on {@code interfaceName}; {@code source} is the address adverts come from (unicast_src_ip),
     * or null for the interface's first IPv4 address, or on IPv6 its link-local address.
     */
    static VrrpSocket open(String interfaceName, InetAddress source, boolean ipv6) throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(interfaceName);
        if (nic == null) throw new IOException("VRRP: no interface " + interfaceName);
        InetAddress from = source != null ? source : ipv6 ? linkLocal(nic) : firstIpv4(nic);
        int fd = Libc.socket(ipv6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC,
                VrrpAdvert.PROTOCOL);
        VrrpSocket socket = new VrrpSocket(fd, ipv6, interfaceName, nic.getIndex(), VrrpAddresses.hi(from),
                VrrpAddresses.lo(from));
        try {
            socket.configure(source != null);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private void configure(boolean bindSource) throws IOException {
        byte[] name = (interfaceName + "\0").getBytes(StandardCharsets.US_ASCII);
        Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_BINDTODEVICE, arena.allocateFrom(ValueLayout.JAVA_BYTE, name),
                "SO_BINDTODEVICE " + interfaceName);
        if (ipv6) {
            configure6(bindSource);
            return;
        }
        Libc.setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreqn(GROUP), "IP_ADD_MEMBERSHIP 224.0.0.18");
        Libc.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, mreqn(0), "IP_MULTICAST_IF " + interfaceName);
        Libc.setsockoptInt(fd, IPPROTO_IP, IP_MULTICAST_TTL, 255, "IP_MULTICAST_TTL");
        Libc.setsockoptInt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
        Libc.setsockoptInt(fd, IPPROTO_IP, IP_TTL, 255, "IP_TTL");
    }

    /**
     * IPv6: the group joined, hop limit 255 both ways, no loopback, the hop limit and destination of received
     * packets asked for. A unicast_src_ip is bound, so that the kernel sends from the address the checksum
     * covers; without one the kernel picks the interface's link-local address for ff02::12 (RFC 6724 rule 2).
     */
    private void configure6(boolean bindSource) throws IOException {
        MemorySegment mreq = arena.allocate(20);
        mreq.set(BE_LONG, 0, GROUP6_HI);
        mreq.set(BE_LONG, 8, GROUP6_LO);
        mreq.set(ValueLayout.JAVA_INT_UNALIGNED, 16, ifIndex);
        Libc.setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, mreq, "IPV6_ADD_MEMBERSHIP ff02::12");
        Libc.setsockoptInt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifIndex, "IPV6_MULTICAST_IF " + interfaceName);
        Libc.setsockoptInt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255, "IPV6_MULTICAST_HOPS");
        Libc.setsockoptInt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
        Libc.setsockoptInt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS");
        Libc.setsockoptInt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
        Libc.setsockoptInt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
        if (bindSource) {
            sockaddr6(destination, sourceHi, sourceLo);
            Libc.bind(fd, destination, "bind(VRRP on " + interfaceName + " to " + Addresses.format(sourceHi, sourceLo) + ")");
        }
        msghdr.fill((byte) 0);
        iovec.set(ValueLayout.ADDRESS, 0, receiveBuffer);
        iovec.set(ValueLayout.JAVA_LONG, 8, receiveBuffer.byteSize());
        msghdr.set(ValueLayout.ADDRESS, Libc.MSG_NAME, sender);
        msghdr.set(ValueLayout.ADDRESS, Libc.MSG_IOV, iovec);
        msghdr.set(ValueLayout.JAVA_LONG, Libc.MSG_IOVLEN, 1);
        msghdr.set(ValueLayout.ADDRESS, Libc.MSG_CONTROL, control);
    }

    /** struct sockaddr_in6 for [hi lo] on this interface (the scope of a link-local address). */
    private void sockaddr6(MemorySegment to, long hi, long lo) {
        to.fill((byte) 0);
        to.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET6);
        to.set(BE_LONG, 8, hi);
        to.set(BE_LONG, 16, lo);
        to.set(ValueLayout.JAVA_INT_UNALIGNED, 24, ifIndex);
    }

    /** struct ip_mreqn: group, the local address (the primary), the interface index. */
    private MemorySegment mreqn(int group) {
        MemorySegment m = arena.allocate(12);
        m.set(BE_INT, 0, group);
        m.set(BE_INT, 4, (int) sourceLo);
        m.set(ValueLayout.JAVA_INT, 8, ifIndex);
        return m;
    }

    int fd() { return fd; }

    String interfaceName() { return interfaceName; }

    @Override
    public boolean ipv6() { return ipv6; }

    @Override
    public long sourceHi() { return sourceHi; }

    @Override
    public long sourceLo() { return sourceLo; }

    /** Sends a VRRP message (no IP header) of {@code length} bytes to [toHi toLo]; false when the kernel refused. */
    @Override
    public boolean send(byte[] message, int length, long toHi, long toLo) {
        MemorySegment.copy(message, 0, sendBuffer, ValueLayout.JAVA_BYTE, 0, length);
        MemorySegment to;
        if (ipv6) {
            sockaddr6(destination, toHi, toLo);
            to = destination;
        } else {
            to = destination.asSlice(0, 16);
            to.fill((byte) 0);
            to.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
            to.set(BE_INT, 4, (int) toLo);
        }
        return Libc.sendto(fd, sendBuffer, length, Libc.MSG_DONTWAIT, to, capture) == length;
    }

    /**
     * Reads one waiting packet into {@code into}, IP header included (on IPv6 the fixed header rebuilt from the
     * sender, the destination and the hop limit the kernel reported; hop limit 0 when it did not); its length, or
     * 0 when none waits.
     */
    int receive(byte[] into) throws IOException {
        if (ipv6) return receive6(into);
        long n = Libc.recv(fd, receiveBuffer, receiveBuffer.byteSize(), Libc.MSG_DONTWAIT, capture);
        if (n == -Libc.EAGAIN || n == -Libc.EINTR) return 0;
        if (n < 0) throw Libc.failure("recv(VRRP on " + interfaceName + ")", (int) -n);
        int len = (int) Math.min(n, into.length);
        MemorySegment.copy(receiveBuffer, ValueLayout.JAVA_BYTE, 0, into, 0, len);
        return len;
    }

    private int receive6(byte[] into) throws IOException {
        msghdr.set(ValueLayout.JAVA_INT, Libc.MSG_NAMELEN, SOCKADDR_IN6_SIZE);
        msghdr.set(ValueLayout.JAVA_LONG, Libc.MSG_CONTROLLEN, CONTROL_SIZE);
        long n = Libc.recvmsg(fd, msghdr, Libc.MSG_DONTWAIT, capture);
        if (n == -Libc.EAGAIN || n == -Libc.EINTR) return 0;
        if (n < 0) throw Libc.failure("recvmsg(VRRP on " + interfaceName + ")", (int) -n);
        int hopLimit = 0;
        long dstHi = 0, dstLo = 0;
        long controlLength = msghdr.get(ValueLayout.JAVA_LONG, Libc.MSG_CONTROLLEN);
        for (long at = 0; at + Libc.CMSG_DATA <= controlLength; ) {
            long cmsgLength = control.get(ValueLayout.JAVA_LONG, at);
            if (cmsgLength < Libc.CMSG_DATA || at + cmsgLength > controlLength) break;
            int level = control.get(ValueLayout.JAVA_INT, at + Libc.CMSG_LEVEL);
            int type = control.get(ValueLayout.JAVA_INT, at + Libc.CMSG_TYPE);
            if (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT) {
                hopLimit = control.get(ValueLayout.JAVA_INT, at + Libc.CMSG_DATA);
            } else if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO) {
                dstHi = control.get(BE_LONG, at + Libc.CMSG_DATA);
                dstLo = control.get(BE_LONG, at + Libc.CMSG_DATA + 8);
            }
            at += (cmsgLength + 7) & ~7L;
        }
        int payload = (int) Math.min(n, Math.min(0xFFFF, into.length - VrrpAdvert.IPV6_HEADER_BYTES));
        java.util.Arrays.fill(into, 0, 8, (byte) 0);
        into[0] = 0x60;
        into[4] = (byte) (payload >>> 8);
        into[5] = (byte) payload;
        into[6] = (byte) VrrpAdvert.PROTOCOL;
        into[7] = (byte) hopLimit;
        VrrpAdvert.putLong(into, 8, sender.get(BE_LONG, 8));
        VrrpAdvert.putLong(into, 16, sender.get(BE_LONG, 16));
        VrrpAdvert.putLong(into, 24, dstHi);
        VrrpAdvert.putLong(into, 32, dstLo);
        MemorySegment.copy(receiveBuffer, ValueLayout.JAVA_BYTE, 0, into, VrrpAdvert.IPV6_HEADER_BYTES, payload);
        return VrrpAdvert.IPV6_HEADER_BYTES + payload;
    }

    private static InetAddress firstIpv4(NetworkInterface nic) throws IOException {
        for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address v4) return v4;
        }
        throw new IOException("VRRP: interface " + nic.getName() + " has no IPv4 address to send adverts from");
    }

    /** The interface's link-local address: RFC 5798 5.1.2.1's source of IPv6 adverts. */
    private static InetAddress linkLocal(NetworkInterface nic) throws IOException {
        for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet6Address v6 && v6.isLinkLocalAddress()) return v6;
        }
        throw new IOException("VRRP: interface " + nic.getName() + " has no IPv6 link-local address to send "
                + "adverts from");
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }
}
