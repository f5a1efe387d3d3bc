package io.jlvs.platform.hostguard;

import io.jlvs.platform.net.Links;
import io.jlvs.platform.xdp.XdpLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the director's own kernel out of the traffic jlvs handles, and undoes that at stop.
 *
 * <p>{@link #install} first undoes what a crashed earlier run in this network namespace left (offloads it turned
 * off, its nftables table), then turns merging receive offloads (GRO, LRO, hardware GRO) off on the given
 * interfaces (so captured frames never exceed the MTU) and creates the nftables table {@code inet jlvs}, which
 * drops in prerouting, before conntrack: packets to a VIP (no RST, no ICMP, no forwarding even with
 * ip_forward=1) and un-NATed replies of NAT backends. AF_PACKET sees those packets before netfilter drops them.
 * In front of that table, a tc ingress classifier on each interface drops the same packets earlier, before ip_rcv
 * ({@link IngressClassifiers}); the table stays the complete guard behind it. A VIP with kernel ports (layer-7
 * listeners on it) also gets a local route on lo, so the kernel delivers those ports to its sockets; its other
 * traffic is still dropped before routing, and the kernel answers no ARP for it. Every change is recorded in
 * /run/jlvs/host-NETNSINODE.state before it is made.
 *
 * <p>Call install on a thread in the director's network namespace. The guard then runs every tool on its own
 * thread, started by that caller and so in the same namespace, so {@link #update} and {@link #close} may be
 * called from any thread.
 */
public final class HostGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostGuard.class);

    private final Path statePath;
    private final ScheduledExecutorService namespaceThread;
    /** Confined to namespaceThread. */
    private final IngressClassifiers classifiers = new IngressClassifiers();
    private HostGuardState state;
    private boolean closed;

    private HostGuard(Path statePath, HostGuardState state, ScheduledExecutorService namespaceThread) {
        this.statePath = statePath;
        this.state = state;
        this.namespaceThread = namespaceThread;
    }

    public static HostGuard install(List<String> interfaces) throws IOException {
        // a thread inherits the namespace of the thread that creates it, so this one stays in the caller's
        ScheduledExecutorService namespaceThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("jlvs-hostguard").factory());
        try {
            return inNamespace(namespaceThread, () -> install(interfaces, namespaceThread));
        } catch (IOException | RuntimeException e) {
            namespaceThread.shutdown();
            throw e;
        }
    }

    private static <T> T inNamespace(ScheduledExecutorService thread, Callable<T> task) throws IOException {
        try {
            return thread.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static HostGuard install(List<String> interfaces, ScheduledExecutorService namespaceThread) throws IOException {
        Path statePath = HostGuardState.pathFor(NetnsId.current());
        recoverLeftovers(statePath);
        long pid = ProcessHandle.current().pid();
        HostGuard guard = new HostGuard(statePath, new HostGuardState(pid, HostGuardState.startTimeOf(pid)), namespaceThread);
        try {
            guard.state.write(statePath);
            detachLeftoverXdp(interfaces);
            for (String iface : interfaces) {
                for (Offloads.Feature feature : Offloads.enabledMerging(iface)) {
                    guard.record(guard.state.withOffload(iface, feature.shortName()));
                    Offloads.set(iface, feature, false);
                    LOG.info("turned {} off on {} (restored at stop)", feature.longName(), iface);
                }
            }
            guard.record(guard.state.withTable());
            Commands.run(List.of("nft", "-f", "-"), NftRules.createTable());
            guard.classifiers.install(interfaces, change -> guard.record(change.apply(guard.state)));
        } catch (IOException | RuntimeException e) {
            guard.undoAll();
            throw e;
        }
        namespaceThread.scheduleWithFixedDelay(guard.classifiers::refreshIfLocalAddressesChanged, 1, 1, TimeUnit.SECONDS);
        return guard;
    }

    /** jlvs's XDP programs a run killed before it wrote its state left on these interfaces. */
    private static void detachLeftoverXdp(List<String> interfaces) throws IOException {
        for (String iface : interfaces) {
            if (XdpLink.detach(Links.byName(iface).ifIndex(), XdpLink.JLVS_PREFIX)) {
                LOG.warn("detached the XDP program a crashed jlvs left on {}", iface);
            }
        }
    }

    /**
     * Records that jlvs's XDP program is about to be attached to {@code interfaces} (AF_XDP packet I/O), so that a
     * crash leaves it for the next start to detach; the ports detach it themselves at close, and so does
     * {@link #close}.
     */
    public synchronized void recordXdp(List<String> interfaces) throws IOException {
        if (closed) throw new IllegalStateException("host guard closed");
        inNamespace(namespaceThread, () -> {
            for (String iface : interfaces) record(state.withXdpLink(iface));
            return null;
        });
    }

    /** Undoes what the run recorded in {@code statePath} did, unless that run is still alive. */
    private static void recoverLeftovers(Path statePath) throws IOException {
        Optional<HostGuardState> leftover = HostGuardState.read(statePath);
        if (leftover.isPresent()) {
            HostGuardState old = leftover.get();
            if (ownerAlive(old)) {
                throw new IOException("another jlvs (pid " + old.ownerPid() + ") guards this network namespace (" + statePath
                        + "); stop it first");
            }
            List<String> problems = undo(old);
            if (!problems.isEmpty()) {
                throw new IOException("could not undo the changes of a crashed jlvs (pid " + old.ownerPid() + ", " + statePath
                        + "): " + String.join("; ", problems));
            }
            LOG.warn("undid host changes left by a crashed run (pid {}, {})", old.ownerPid(), statePath);
        }
        Commands.run(List.of("nft", "-f", "-"), NftRules.deleteTable()); // a leftover without a state file
        Files.deleteIfExists(statePath);
    }

    private static boolean ownerAlive(HostGuardState old) throws IOException {
        long self = ProcessHandle.current().pid();
        if (old.ownerPid() == self || old.ownerPid() <= 0) return false;
        if (HostGuardState.startTimeOf(old.ownerPid()) != old.ownerStartTime()) return false; // dead, or pid reused
        try {
            return NetnsId.ofProcess(old.ownerPid()) == NetnsId.current();
        } catch (IOException e) {
            return false;
        }
    }

    /** Reverts recorded changes; returns what could not be reverted. */
    private static List<String> undo(HostGuardState recorded) {
        List<String> problems = new ArrayList<>(IngressClassifiers.undo(recorded));
        for (String iface : recorded.xdpLinks()) {
            try {
                if (interfaceExists(iface)) XdpLink.detach(Links.byName(iface).ifIndex(), XdpLink.JLVS_PREFIX);
            } catch (IOException e) {
                problems.add("detaching jlvs's XDP program from " + iface + ": " + e.getMessage());
            }
        }
        // The rules go before the routes: a VIP passed to a kernel without its local route would be forwarded.
        if (recorded.table()) {
            try {
                Commands.run(List.of("nft", "-f", "-"), NftRules.deleteTable());
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        for (int vip : recorded.localRoutes()) {
            try {
                LocalRoutes.delete(vip);
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        for (String[] offload : recorded.offloadsTurnedOff()) {
            try {
                Offloads.set(offload[0], Offloads.byShortName(offload[1]), true);
            } catch (IOException e) {
                // an interface that vanished has nothing left to restore
                if (interfaceExists(offload[0])) problems.add(e.getMessage());
            }
        }
        return problems;
    }

    static boolean interfaceExists(String name) {
        try {
            Links.byName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void record(HostGuardState next) throws IOException {
        next.write(statePath);
        state = next;
    }

    /** {@link #update(int[], List, List)} without kernel ports. */
    public void update(int[] vipsV4, List<NatBackend> natBackends) {
        update(vipsV4, natBackends, List.of());
    }

    /**
     * Replaces the VIP, NAT-backend and kernel-port sets in one nftables transaction (no moment without rules, no
     * stale entry), then the tc classifiers' program. The local routes of new kernel ports' VIPs are added first
     * and those no longer needed removed last, so the kernel never receives a VIP's packet it would route onward.
     * Throws UncheckedIOException (with the tool's stderr) when ip, nft or tc refuses.
     */
    public synchronized void update(int[] vipsV4, List<NatBackend> natBackends, List<KernelPort> kernelPorts) {
        if (closed) throw new IllegalStateException("host guard closed");
        try {
            String script = NftRules.replaceSets(vipsV4, natBackends, kernelPorts);
            List<Integer> routed = NftRules.kernelVips(kernelPorts);
            inNamespace(namespaceThread, () -> {
                for (int vip : routed) {
                    if (state.localRoutes().contains(vip)) continue;
                    record(state.withLocalRoute(vip));
                    LocalRoutes.add(vip);
                }
                Commands.run(List.of("nft", "-f", "-"), script);
                classifiers.update(vipsV4, natBackends, kernelPorts);
                for (int vip : List.copyOf(state.localRoutes())) {
                    if (routed.contains(vip)) continue;
                    LocalRoutes.delete(vip);
                    record(state.withoutLocalRoute(vip));
                }
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("updating the host guard: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the IPv6 VIP and NAT-backend sets in one nftables transaction. The tc classifier passes IPv6 on to
     * nftables, which is the whole guard for it. Throws UncheckedIOException (with nft's stderr) when refused.
     */
    public synchronized void updateIpv6(List<Ipv6Endpoint> vips, List<Ipv6Endpoint> natBackends) {
        if (closed) throw new IllegalStateException("host guard closed");
        try {
            String script = NftRules.replaceIpv6Sets(vips, natBackends);
            inNamespace(namespaceThread, () -> {
                Commands.run(List.of("nft", "-f", "-"), script);
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("updating the host guard's IPv6 sets: " + e.getMessage(), e);
        }
    }

    /** Interfaces where the tc classifier currently drops jlvs's traffic ahead of nftables. */
    public List<String> classifiedInterfaces() throws IOException {
        return inNamespace(namespaceThread, classifiers::active);
    }

    public Path statePath() {
        return statePath;
    }

    /** Removes the table, restores the offloads, deletes the state file (kept if something could not be undone). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            inNamespace(namespaceThread, () -> {
                undoAll();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            LOG.error("could not undo the host guard's changes (the next start retries from {}): {}", statePath, e.toString());
        } finally {
            namespaceThread.shutdown();
        }
    }

    /** On the namespace thread. */
    private void undoAll() {
        classifiers.forget();
        List<String> problems = undo(state);
        if (problems.isEmpty()) {
            try {
                Files.deleteIfExists(statePath);
            } catch (IOException e) {
                problems.add("deleting " + statePath + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            LOG.error("could not undo every change of the host guard (the next start retries from {}): {}", statePath,
                    String.join("; ", problems));
        }
    }
}
