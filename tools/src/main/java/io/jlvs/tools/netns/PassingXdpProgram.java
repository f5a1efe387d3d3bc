package io.jlvs.tools.netns;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.EbpfAssembler;
import io.jlvs.platform.bpf.EbpfLoader;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.net.Links;
import io.jlvs.platform.xdp.XdpLink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An XDP program that passes every frame, attached to a veth end inside a namespace. A veth delivers the frames
 * its peer's XDP program sends back with XDP_TX only to an end that runs an XDP program itself (GRO, which is
 * enough for redirected frames, is not). The program stays with the interface and goes with it.
 */
final class PassingXdpProgram {
    private static final int CLONE_NEWNET = 0x40000000;

    private PassingXdpProgram() {}

    static void attach(String namespace, String iface) {
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("xdp-pass-" + namespace).start(() -> {
            try {
                // setns(2) moves only this thread, which ends afterwards
                int ns = Libc.open("/var/run/netns/" + namespace, Libc.O_RDONLY | Libc.O_CLOEXEC);
                try {
                    Libc.setns(ns, CLONE_NEWNET, "netns " + namespace);
                } finally {
                    Libc.close(ns);
                }
                int program = EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_XDP, 0,
                        new EbpfAssembler().mov64Immediate(EbpfAssembler.R0, BpfAttr.XDP_PASS).exit().build(), "pass");
                try {
                    XdpLink.attach(iface, Links.byName(iface).ifIndex(), program);
                } finally {
                    EbpfLoader.close(program);
                }
            } catch (IOException e) {
                failure.set(e);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted attaching an XDP program to " + iface, e);
        }
        if (failure.get() != null) {
            throw new UncheckedIOException("cannot attach a passing XDP program to " + iface + " in " + namespace,
                    failure.get());
        }
    }
}
