package io.jlvs.forwarder.fastpath;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfMap;
import io.jlvs.platform.bpf.PossibleCpus;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The maps through which the fast path's program answers SYNs of --synproxy services ({@link XdpSynProxyProgram}):
 * the cookie configuration (one array element: the four SipHash secrets, the minute cookies carry, and the offset
 * from the kernel's monotonic clock to the epoch, for the SYN-ACK's timestamp), the synproxied services (a hash
 * keyed by VIP, port and protocol as the packet has them), the MSS the director offers on each interface (by
 * ifindex) and the per-CPU count of the SYN-ACKs the program sent. Element calls reuse native buffers under a lock.
 */
public final class SynProxyMaps implements AutoCloseable {
    /** The configuration's layout: the secrets (k0, k1 of the flow hash; k0, k1 of the minute hash), minute, clock. */
    static final int K0_FLOW = 0, K1_FLOW = 8, K0_MINUTE = 16, K1_MINUTE = 24, MINUTE = 32, CLOCK_OFFSET = 40,
            CONFIG_SIZE = 48;
    /**
     * The per-CPU scratch value the program parses a SYN's options into (memory the verifier does not track, so
     * that the loop over the options does not multiply its states): MSS, window scale, SACK permitted, timestamps,
     * the client's TS value.
     */
    static final int SCRATCH_MSS = 0, SCRATCH_SCALE = 8, SCRATCH_SACK = 16, SCRATCH_TS = 24, SCRATCH_TS_VAL = 32,
            SCRATCH_SIZE = 40;
    /** A service's key: the VIP (4 bytes), the port (2), the protocol (1), a zero byte; network order. */
    static final int SERVICE_KEY_SIZE = 8;
    private static final int SERVICES = 4096, INTERFACES = 64;
    private static final int TCP = 6;
    private static final ValueLayout.OfInt INT_BE = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int EBADF = 9;

    private final BpfMap config, services, mss, synAcks, scratch;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment configValue = arena.allocate(CONFIG_SIZE, 8);
    private final MemorySegment zeroKey = arena.allocate(JAVA_INT);
    private final MemorySegment serviceKey = arena.allocate(SERVICE_KEY_SIZE, 8);
    private final MemorySegment intKey = arena.allocate(JAVA_INT), intValue = arena.allocate(JAVA_INT);
    private final MemorySegment perCpu;
    private boolean closed;

    private SynProxyMaps(BpfMap config, BpfMap services, BpfMap mss, BpfMap synAcks, BpfMap scratch) {
        this.scratch = scratch;
        this.config = config;
        this.services = services;
        this.mss = mss;
        this.synAcks = synAcks;
        this.perCpu = arena.allocate(synAcks.userValueSize(), 8);
    }

    /** Creates the maps; nothing is left behind on a refusal. */
    static SynProxyMaps create() throws IOException {
        BpfMap config = null, services = null, mss = null, synAcks = null;
        try {
            config = BpfMap.create(BpfAttr.BPF_MAP_TYPE_ARRAY, "jlvs_sp_config", 4, CONFIG_SIZE, 1);
            services = BpfMap.create(BpfAttr.BPF_MAP_TYPE_HASH, "jlvs_sp_vips", SERVICE_KEY_SIZE, 4, SERVICES);
            mss = BpfMap.create(BpfAttr.BPF_MAP_TYPE_HASH, "jlvs_sp_mss", 4, 4, INTERFACES);
            synAcks = BpfMap.create(BpfAttr.BPF_MAP_TYPE_PERCPU_ARRAY, "jlvs_sp_synacks", 4, 8, 1);
            BpfMap scratch = BpfMap.create(BpfAttr.BPF_MAP_TYPE_PERCPU_ARRAY, "jlvs_sp_scratch", 4, SCRATCH_SIZE, 1);
            return new SynProxyMaps(config, services, mss, synAcks, scratch);
        } catch (IOException | RuntimeException e) {
            if (synAcks != null) synAcks.close();
            if (mss != null) mss.close();
            if (services != null) services.close();
            if (config != null) config.close();
            throw e;
        }
    }

    int configFd() { return config.fd(); }

    int servicesFd() { return services.fd(); }

    int mssFd() { return mss.fd(); }

    int synAcksFd() { return synAcks.fd(); }

    int scratchFd() { return scratch.fd(); }

    /** The cookie secrets, as SynCookies holds them: 0 or -errno. */
    public synchronized int setSecrets(long k0Flow, long k1Flow, long k0Minute, long k1Minute) {
        if (closed) return -EBADF;
        configValue.set(JAVA_LONG, K0_FLOW, k0Flow);
        configValue.set(JAVA_LONG, K1_FLOW, k1Flow);
        configValue.set(JAVA_LONG, K0_MINUTE, k0Minute);
        configValue.set(JAVA_LONG, K1_MINUTE, k1Minute);
        return writeConfig();
    }

    /**
     * The minute cookies carry now, and the epoch in nanoseconds minus the kernel's monotonic clock (the clock
     * of bpf_ktime_get_ns and System.nanoTime): 0 or -errno.
     */
    public synchronized int setClock(int minute, long clockOffsetNanos) {
        if (closed) return -EBADF;
        configValue.set(JAVA_INT, MINUTE, minute);
        configValue.set(JAVA_LONG, CLOCK_OFFSET, clockOffsetNanos);
        return writeConfig();
    }

    private int writeConfig() {
        zeroKey.set(JAVA_INT, 0, 0);
        return config.update(zeroKey, configValue, BpfAttr.BPF_ANY);
    }

    /** The MSS the director's SYN-ACKs offer on interface {@code ifIndex}: 0 or -errno. */
    public synchronized int setMss(int ifIndex, int value) {
        if (closed) return -EBADF;
        intKey.set(JAVA_INT, 0, ifIndex);
        intValue.set(JAVA_INT, 0, value);
        return mss.update(intKey, intValue, BpfAttr.BPF_ANY);
    }

    /** Lets the program answer SYNs to TCP {@code vip}:{@code port}: 0 or -errno (-E2BIG when full). */
    public synchronized int addService(int vip, int port) {
        if (closed) return -EBADF;
        writeServiceKey(vip, port);
        intValue.set(JAVA_INT, 0, 1);
        return services.update(serviceKey, intValue, BpfAttr.BPF_ANY);
    }

    /** Leaves SYNs to TCP {@code vip}:{@code port} to the Java path: 0 or -errno. */
    public synchronized int removeService(int vip, int port) {
        if (closed) return -EBADF;
        writeServiceKey(vip, port);
        return services.delete(serviceKey);
    }

    private void writeServiceKey(int vip, int port) {
        serviceKey.set(INT_BE, 0, vip);
        serviceKey.set(SHORT_BE, 4, (short) port);
        serviceKey.set(JAVA_BYTE, 6, (byte) TCP);
        serviceKey.set(JAVA_BYTE, 7, (byte) 0);
    }

    /** The SYN-ACKs the program has sent, every CPU's; -1 when they cannot be read. */
    public synchronized long synAcksSent() {
        if (closed) return -1;
        zeroKey.set(JAVA_INT, 0, 0);
        if (synAcks.lookup(zeroKey, perCpu) != 0) return -1;
        long sum = 0;
        for (int cpu = 0; cpu < PossibleCpus.count(); cpu++) sum += perCpu.get(JAVA_LONG, cpu * 8L);
        return sum;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        scratch.close();
        synAcks.close();
        mss.close();
        services.close();
        config.close();
        arena.close();
    }
}
