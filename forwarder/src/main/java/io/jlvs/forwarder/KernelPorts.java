package io.jlvs.forwarder;

import io.jlvs.platform.hostguard.KernelPort;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCP ports on VIPs that the director's kernel terminates (layer-7 listeners), each with what listens there
 * for messages ("layer-7 service web"). Their VIPs are jlvs's like any other (ARP, ping, the VIP's other ports);
 * TCP to one of these ports is the kernel's: the pipeline leaves it alone. Immutable; a lookup allocates nothing.
 */
public final class KernelPorts {
    public static final KernelPorts NONE = new KernelPorts(Map.of());

    private final Map<KernelPort, String> owners;
    /** address << 16 | port, unsigned address, sorted. */
    private final long[] keys;
    /** Sorted, distinct. */
    private final int[] vips;

    public KernelPorts(Map<KernelPort, String> owners) {
        this.owners = Map.copyOf(new LinkedHashMap<>(owners));
        keys = owners.keySet().stream().mapToLong(p -> key(p.addrV4(), p.port())).sorted().toArray();
        vips = owners.keySet().stream().mapToInt(KernelPort::addrV4).distinct().sorted().toArray();
    }

    private static long key(int addr, int port) {
        return (addr & 0xFFFF_FFFFL) << 16 | port;
    }

    /** Whether TCP to addr:port is the kernel's. */
    public boolean contains(int addr, int port) {
        return keys.length != 0 && Arrays.binarySearch(keys, key(addr, port)) >= 0;
    }

    /** Whether some kernel port is on addr. */
    public boolean onAddress(int addr) {
        return vips.length != 0 && Arrays.binarySearch(vips, addr) >= 0;
    }

    /** What listens on addr:port, or null. */
    public String owner(int addr, int port) {
        return owners.get(new KernelPort(addr, port));
    }

    /** The first kernel port on addr in address-and-port order, or null. */
    public KernelPort firstOn(int addr) {
        for (long k : keys) if ((int) (k >>> 16) == addr) return new KernelPort(addr, (int) (k & 0xFFFF));
        return null;
    }

    /** The VIPs with kernel ports, sorted. */
    public int[] vips() { return vips.clone(); }

    /** The ports in address-and-port order. */
    public List<KernelPort> ports() {
        return Arrays.stream(keys).mapToObj(k -> new KernelPort((int) (k >>> 16), (int) (k & 0xFFFF))).toList();
    }

    public boolean isEmpty() { return keys.length == 0; }

    @Override
    public boolean equals(Object o) { return o instanceof KernelPorts k && owners.equals(k.owners); }

    @Override
    public int hashCode() { return owners.hashCode(); }

    @Override
    public String toString() { return owners.toString(); }
}
