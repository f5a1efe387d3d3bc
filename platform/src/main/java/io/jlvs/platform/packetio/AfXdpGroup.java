package io.jlvs.platform.packetio;

import io.jlvs.platform.xdp.Umem;

import java.lang.foreign.MemorySegment;

/**
 * What the AF_XDP ports of one worker share: the {@link Umem} their sockets use, and the frame the worker is
 * handling now. A port whose receive hands out a frame marks it current; a port of the same group asked to send
 * that frame queues it where it lies, and the receiving port then leaves it out of its free frames. Confined to
 * the worker thread, as the ports are.
 */
final class AfXdpGroup implements AutoCloseable {
    private final Umem umem;
    private final MemorySegment memory;
    private final long base;
    private long current = -1;
    private boolean currentSent;
    private int openPorts;

    AfXdpGroup(Umem umem) {
        this.umem = umem;
        this.memory = umem.memory();
        this.base = memory.address();
    }

    Umem umem() {
        return umem;
    }

    MemorySegment memory() {
        return memory;
    }

    void handing(long frameAddress) {
        current = umem.frameOf(frameAddress);
        currentSent = false;
    }

    /** After the handler returned: true when the frame went to a transmit ring and must not be reused yet. */
    boolean handed() {
        current = -1;
        return currentSent;
    }

    /**
     * Claims {@code length} bytes at {@code offset} of {@code src} for transmission in place: true when they lie
     * in the frame being handled, which has not been sent yet.
     */
    boolean claimInPlace(MemorySegment src, long offset, int length) {
        if (current < 0 || currentSent || src.address() != base) return false;
        if (umem.frameOf(offset) != current || offset + length > current + umem.frameSize()) return false;
        currentSent = true;
        return true;
    }

    void opened() {
        openPorts++;
    }

    /** Frees the UMEM once the last port closed its socket. */
    @Override
    public void close() {
        if (--openPorts == 0) umem.close();
    }
}
