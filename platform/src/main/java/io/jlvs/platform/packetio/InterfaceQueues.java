package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The receive and transmit queues an interface has in use, as `ethtool -l` shows them (ETHTOOL_GCHANNELS through
 * the SIOCETHTOOL ioctl, on a socket of the calling thread's namespace, as {@link InterfaceInfo}): a combined
 * channel is one queue of each. A veth has as many as it was made with (numrxqueues, numtxqueues) or was given
 * with `ethtool -L`.
 */
record InterfaceQueues(int receive, int transmit) {
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GCHANNELS = 0x3c;
    private static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;
    /** struct ethtool_channels: cmd, max_rx, max_tx, max_other, max_combined, rx, tx, other, combined (u32 each). */
    private static final int CHANNELS_SIZE = 36, RX_COUNT = 20, TX_COUNT = 24, COMBINED_COUNT = 32;
    private static final int EOPNOTSUPP = 95;

    /** Both directions: an AF_XDP socket with both rings needs its queue index to exist in each. */
    int both() {
        return Math.min(receive, transmit);
    }

    /** The interface's queues, or null when its driver does not report channels. */
    static InterfaceQueues query(String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) throw new IOException("bad interface name: " + name);
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment channels = arena.allocate(CHANNELS_SIZE, 4);
            channels.set(JAVA_INT, 0, ETHTOOL_GCHANNELS);
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
            MemorySegment.copy(nameBytes, 0, ifreq, JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(ADDRESS, IFNAMSIZ, channels);
            try {
                Libc.ioctl(fd, SIOCETHTOOL, ifreq, "ETHTOOL_GCHANNELS " + name);
            } catch (ErrnoException e) {
                if (e.errno() == EOPNOTSUPP) return null;
                throw e;
            }
            int combined = channels.get(JAVA_INT, COMBINED_COUNT);
            return new InterfaceQueues(combined + channels.get(JAVA_INT, RX_COUNT),
                    combined + channels.get(JAVA_INT, TX_COUNT));
        } finally {
            Libc.close(fd);
        }
    }
}
