package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A layer-3 TUN device (/dev/net/tun, IFF_TUN | IFF_NO_PI): every IP packet written to it is received by the
 * kernel as if it had arrived on the interface of that name. The interface exists while the descriptor is open
 * (it is not made persistent), so a crashed owner leaves nothing behind. One writer thread.
 */
public final class TunDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001, IFF_NO_PI = 0x1000;
    private static final int IFREQ_SIZE = 40, IFNAMSIZ = 16, IFR_FLAGS = 16;

    private final String name;
    private final OwnedDescriptor descriptor;

    private TunDevice(String name, int fd) {
        this.name = name;
        this.descriptor = new OwnedDescriptor(fd);
    }

    /** Creates (or attaches to) TUN interface {@code name} in the calling thread's network namespace. */
    public static TunDevice open(String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) throw new IllegalArgumentException("interface name " + name);
        int fd = Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_CLOEXEC);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment ifreq = call.allocate(IFREQ_SIZE);
            MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifreq.set(JAVA_SHORT, IFR_FLAGS, (short) (IFF_TUN | IFF_NO_PI));
            Libc.ioctl(fd, TUNSETIFF, ifreq, "TUNSETIFF " + name);
            return new TunDevice(name, fd);
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    public String name() { return name; }

    /** Hands one IP packet to the kernel. Returns false when the kernel refused it (counted by the caller). */
    public boolean write(MemorySegment packet, int length) {
        return Libc.write(descriptor.fd(), packet, length, descriptor.capture()) == length;
    }

    @Override
    public void close() {
        descriptor.close();
    }
}
