package io.jlvs.platform.hostguard;

import io.jlvs.platform.packetio.BpfProgram;

import java.io.IOException;
import java.util.List;

/**
 * The host guard's tc ingress classifier on one interface, through the tc tool: a classic BPF program in direct
 * action mode under a clsact qdisc, at a fixed preference and handle so that jlvs only ever touches its own filter.
 *
 * <p>Why tc: ingress classifiers run after the AF_PACKET taps (jlvs still sees every frame) and before ip_rcv, so a
 * frame they drop costs the kernel neither the IP receive path nor the nftables chain: on keep-alive HTTP through
 * jlvs that is a few percent more requests per second than with the nftables prerouting drop alone.
 */
final class TcIngressFilter {
    /** Low priority (high number): an operator's own ingress filters run first. */
    static final int PREFERENCE = 49_152;
    static final int HANDLE = 1;

    private TcIngressFilter() {}

    static boolean hasClsact(String iface) throws IOException {
        return Commands.run(List.of("tc", "qdisc", "show", "dev", iface)).contains("clsact");
    }

    static void addClsact(String iface) throws IOException {
        Commands.run(List.of("tc", "qdisc", "add", "dev", iface, "clsact"));
    }

    static void deleteClsact(String iface) throws IOException {
        Commands.run(List.of("tc", "qdisc", "del", "dev", iface, "clsact"));
    }

    /** Installs the program, or replaces jlvs's filter in one step: the interface is never without one. */
    static void replace(String iface, BpfProgram program) throws IOException {
        Commands.run(List.of("tc", "filter", "replace", "dev", iface, "ingress", "pref", Integer.toString(PREFERENCE),
                "handle", Integer.toString(HANDLE), "bpf", "da", "bytecode", program.toTcBytecode()));
    }

    /** Deletes jlvs's filter; true if it was there. */
    static boolean delete(String iface) throws IOException {
        if (!present(iface)) return false;
        Commands.run(List.of("tc", "filter", "del", "dev", iface, "ingress", "pref", Integer.toString(PREFERENCE),
                "handle", Integer.toString(HANDLE), "bpf"));
        return true;
    }

    static boolean present(String iface) throws IOException {
        if (!hasClsact(iface)) return false;
        return Commands.run(List.of("tc", "filter", "show", "dev", iface, "ingress"))
                .contains("pref " + PREFERENCE + " bpf");
    }
}
