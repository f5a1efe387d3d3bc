package io.jlvs.platform.hostguard;

import io.jlvs.platform.log.RateLimitedLog;
import io.jlvs.platform.net.Links;
import io.jlvs.platform.packetio.BpfProgram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The host guard's fast path: a tc ingress classifier on each guarded interface that drops, before ip_rcv, what the
 * guard's nftables chain would drop later ({@link BpfProgram#hostGuard}). The nftables chain stays as the complete
 * guard behind it, so an interface without a classifier (no tc, no clsact, too many addresses for one program) is
 * still guarded, only at a higher CPU cost.
 *
 * <p>The program names the director's own addresses (the nftables rule asks the fib instead), so it is rebuilt
 * when they change: {@link #refreshIfLocalAddressesChanged} runs every second. Used from the guard's namespace
 * thread only.
 */
final class IngressClassifiers {
    private static final Logger LOG = LoggerFactory.getLogger(IngressClassifiers.class);
    /** The refresh runs every second: a lasting failure is said a few times an hour, not 3600 times. */
    private static final RateLimitedLog REFRESH_FAILURES = new RateLimitedLog(LOG, 3, Duration.ofHours(1));

    /** Records a change of the guard's state before it is made. */
    interface Recorder {
        void record(UnaryOperator<HostGuardState> change) throws IOException;
    }

    private final List<String> active = new ArrayList<>();
    private int[] vips = new int[0];
    private List<NatBackend> backends = List.of();
    private List<KernelPort> kernelPorts = List.of();
    private int[] locals = new int[0];

    /** Puts a classifier that drops nothing yet on each interface; an interface where tc fails keeps nftables alone. */
    void install(List<String> interfaces, Recorder recorder) throws IOException {
        locals = localAddresses();
        for (String iface : interfaces) {
            try {
                if (!TcIngressFilter.hasClsact(iface)) {
                    recorder.record(s -> s.withClsact(iface));
                    TcIngressFilter.addClsact(iface);
                }
                recorder.record(s -> s.withTcFilter(iface));
                TcIngressFilter.replace(iface, program());
                active.add(iface);
                LOG.debug("tc ingress classifier installed on {}", iface);
            } catch (IOException e) {
                LOG.warn("no tc ingress classifier on {} (the nftables guard alone drops jlvs's traffic there, "
                        + "at a higher CPU cost): {}", iface, e.getMessage());
            }
        }
    }

    void update(int[] vipsV4, List<NatBackend> natBackends, List<KernelPort> ports) throws IOException {
        vips = vipsV4.clone();
        backends = List.copyOf(natBackends);
        kernelPorts = List.copyOf(ports);
        rebuild();
    }

    void refreshIfLocalAddressesChanged() {
        if (active.isEmpty()) return; // nothing installed: the nftables chain asks the fib itself
        try {
            int[] now = localAddresses();
            if (Arrays.equals(now, locals)) return;
            locals = now;
            LOG.info("the director's addresses changed: rebuilding the tc classifier on {}", String.join(", ", active));
            rebuild();
        } catch (IOException | RuntimeException e) {
            REFRESH_FAILURES.warn("refreshing the tc classifier after an address change failed: {}", e.getMessage());
        }
    }

    /** After the guard's changes were undone: nothing is installed any more, so a refresh must not reinstall. */
    void forget() {
        active.clear();
    }

    /** Interfaces whose classifier is installed and current. */
    List<String> active() {
        return List.copyOf(active);
    }

    private void rebuild() throws IOException {
        if (active.isEmpty()) return;
        BpfProgram program;
        try {
            program = program();
        } catch (IllegalArgumentException tooLarge) {
            LOG.warn("the host guard's tc classifier does not fit in one program ({}); the nftables guard alone drops "
                    + "jlvs's traffic now", tooLarge.getMessage());
            for (String iface : List.copyOf(active)) retire(iface);
            return;
        }
        for (String iface : List.copyOf(active)) {
            try {
                TcIngressFilter.replace(iface, program);
            } catch (IOException e) {
                // an out-of-date program could drop what is no longer jlvs's: take it away
                LOG.warn("replacing the tc classifier on {} failed, removing it: {}", iface, e.getMessage());
                retire(iface);
            }
        }
    }

    private void retire(String iface) throws IOException {
        TcIngressFilter.delete(iface);
        active.remove(iface);
    }

    private BpfProgram program() {
        int n = backends.size();
        int[] addresses = new int[n], protocols = new int[n], ports = new int[n];
        for (int i = 0; i < n; i++) {
            NatBackend b = backends.get(i);
            addresses[i] = b.addrV4();
            protocols[i] = b.protocol();
            ports[i] = b.port();
        }
        int[] kernelAddresses = kernelPorts.stream().mapToInt(KernelPort::addrV4).toArray();
        int[] kernelPortNumbers = kernelPorts.stream().mapToInt(KernelPort::port).toArray();
        return BpfProgram.hostGuard(vips, kernelAddresses, kernelPortNumbers, locals, addresses, protocols, ports);
    }

    /** Every IPv4 address of every interface in this namespace, sorted. */
    private static int[] localAddresses() throws IOException {
        return Links.ipv4Addresses();
    }

    /** Removes what {@code recorded} says a guard installed; returns what could not be removed. */
    static List<String> undo(HostGuardState recorded) {
        List<String> problems = new ArrayList<>();
        for (String iface : recorded.tcFilters()) {
            try {
                TcIngressFilter.delete(iface);
            } catch (IOException e) {
                if (removable(iface)) problems.add(e.getMessage());
            }
        }
        for (String iface : recorded.clsactsAdded()) {
            try {
                if (TcIngressFilter.hasClsact(iface)) TcIngressFilter.deleteClsact(iface);
            } catch (IOException e) {
                if (removable(iface)) problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** False when there is nothing to remove from: the interface is gone, or tc cannot run (so it never installed). */
    private static boolean removable(String iface) {
        if (!HostGuard.interfaceExists(iface)) return false;
        try {
            Commands.run(List.of("tc", "-V"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
