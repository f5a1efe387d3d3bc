package io.jlvs.failover.vrrp;

import io.jlvs.health.config.VrrpGlobals;
import io.jlvs.health.config.VrrpInstanceConfig;
import io.jlvs.health.config.VrrpScriptConfig;
import io.jlvs.health.config.VrrpSyncGroupConfig;
import io.jlvs.health.script.ScriptRunner;
import io.jlvs.platform.libc.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * keepalived's VRRP in jlvs: the instances of a keepalived.conf with their sockets, tracked interfaces and
 * scripts, sync groups, notify scripts and gratuitous ARP bursts ({@link VrrpRouter}), all on one platform thread
 * ({@code jlvs-vrrp}, normal priority: the control plane, not the packet path) that waits in poll(2) on the sockets
 * until the next timer. Owning the addresses is the {@link VipOwner}'s job. An instance is IPv4 or IPv6 by its
 * addresses; each interface has a socket per family (and per unicast source) that its instances share.
 */
public final class VrrpEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpEngine.class);
    /** The longest poll: queued script results are looked at least this often. */
    private static final int LONGEST_WAIT_MILLIS = 50;

    private final VrrpRouter router;
    private final List<VrrpSocket> sockets;
    private final InterfaceLinkStates links;
    private final byte[] packet = new byte[65536];
    private volatile List<VrrpInstanceSnapshot> status = List.of();
    private volatile boolean running;
    private Thread thread;

    /**
     * Opens one socket per interface and unicast source (in the caller's network namespace) for the instances.
     *
     * @param gate holds back a returning higher-priority backup until the caller is ready ({@link PreemptGate#OPEN}:
     *             never)
     * @throws IOException when an interface is missing, has no IPv4 address (IPv6: no link-local address) or a
     *                     socket cannot be opened
     */
    public VrrpEngine(List<VrrpInstanceConfig> instanceConfigs, List<VrrpScriptConfig> scriptConfigs,
                      List<VrrpSyncGroupConfig> groups, VrrpGlobals globals, ScriptRunner scripts, VipOwner owner,
                      PreemptGate gate) throws IOException {
        Map<String, VrrpSocket> byKey = new LinkedHashMap<>();
        Map<String, VrrpSocket> ports = new HashMap<>();
        InterfaceLinkStates linkStates = new InterfaceLinkStates();
        try {
            for (VrrpInstanceConfig c : instanceConfigs) {
                String key = c.interfaceName() + "/" + (c.ipv6() ? 6 : 4) + "/" + c.unicastSourceIp();
                VrrpSocket socket = byKey.get(key);
                if (socket == null) {
                    socket = VrrpSocket.open(c.interfaceName(), c.unicastSourceIp(), c.ipv6());
                    byKey.put(key, socket);
                }
                ports.put(c.name(), socket);
            }
            this.router = new VrrpRouter(instanceConfigs, scriptConfigs, groups, globals, ports, scripts, owner, gate,
                    linkStates, System::currentTimeMillis);
        } catch (IOException | RuntimeException e) {
            byKey.values().forEach(VrrpSocket::close);
            linkStates.close();
            throw e;
        }
        this.links = linkStates;
        this.sockets = List.copyOf(byKey.values());
    }

    /** Starts the instances and the engine's thread (created from the caller's, so in its network namespace). */
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("jlvs-vrrp").daemon(true).start(this::run);
    }

    /** Every instance now: an immutable snapshot, refreshed on every round of the engine's thread. */
    public List<VrrpInstanceSnapshot> status() { return status; }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollFds = arena.allocate((long) Libc.POLLFD_SIZE * sockets.size());
            MemorySegment capture = Libc.newCapture(arena);
            for (int i = 0; i < sockets.size(); i++) {
                pollFds.set(ValueLayout.JAVA_INT, (long) i * Libc.POLLFD_SIZE, sockets.get(i).fd());
                pollFds.set(ValueLayout.JAVA_SHORT, (long) i * Libc.POLLFD_SIZE + 4, Libc.POLLIN);
            }
            router.start(System.nanoTime());
            while (running) {
                router.tick(System.nanoTime());
                status = router.snapshot();
                long wait = Math.min(LONGEST_WAIT_MILLIS,
                        Math.max(0, (router.nextWake() - System.nanoTime()) / 1_000_000));
                for (int i = 0; i < sockets.size(); i++) {
                    pollFds.set(ValueLayout.JAVA_SHORT, (long) i * Libc.POLLFD_SIZE + 6, (short) 0);
                }
                int ready = Libc.poll(pollFds, sockets.size(), (int) wait, capture);
                if (ready <= 0) continue;
                for (int i = 0; i < sockets.size(); i++) {
                    if (pollFds.get(ValueLayout.JAVA_SHORT, (long) i * Libc.POLLFD_SIZE + 6) != 0) {
                        receive(sockets.get(i));
                    }
                }
            }
            router.stop(System.nanoTime());
            status = router.snapshot();
        } catch (IOException | RuntimeException e) {
            // Without adverts a backup takes over: this director must not keep answering for the addresses too.
            LOG.error("VRRP stopped: {}; releasing every address it owned", e.toString());
            router.releaseAll();
        }
    }

    private void receive(VrrpSocket socket) throws IOException {
        int len;
        while ((len = socket.receive(packet)) > 0) router.receive(socket, packet, len, System.nanoTime());
    }

    /** Stops every instance (a master sends priority 0 and releases its addresses) and closes the sockets. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sockets.forEach(VrrpSocket::close);
        links.close();
    }
}
