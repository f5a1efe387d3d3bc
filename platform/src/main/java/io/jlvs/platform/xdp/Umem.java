package io.jlvs.platform.xdp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The frame memory of AF_XDP sockets (a UMEM): {@code frameCount} chunks of {@code frameSize} bytes, page-aligned,
 * registered with the kernel by the first socket and shared by the others of one worker (XDP_SHARED_UMEM), so a
 * frame received on one interface can be transmitted on another where it lies. Every frame is in exactly one
 * place: the free stack here, a fill or rx ring (the kernel's, then the receiver's), or a tx or completion ring.
 * Confined to the worker thread that owns the sockets.
 */
public final class Umem implements AutoCloseable {
    private static final int PAGE = 4096;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final int frameSize;
    private final int frameCount;
    private final long[] free;
    private int freeCount;

    public Umem(int frameSize, int frameCount) {
        if (Integer.bitCount(frameSize) != 1 || frameSize < 2048 || frameSize > PAGE) {
            throw new IllegalArgumentException("UMEM frame size " + frameSize + ": a power of two from 2048 to 4096");
        }
        if (frameCount < 2) throw new IllegalArgumentException("UMEM of " + frameCount + " frames");
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        long bytes = (long) frameSize * frameCount;
        long address = arena.allocate(bytes, PAGE).address();
        // Walked through a global-scope view, as the AF_PACKET rings are: no liveness check per access. The
        // sockets using it are closed before close() frees it.
        this.memory = MemorySegment.ofAddress(address).reinterpret(bytes);
        this.free = new long[frameCount];
        for (int i = frameCount - 1; i >= 0; i--) free[freeCount++] = (long) i * frameSize;
    }

    public MemorySegment memory() {
        return memory;
    }

    public long address() {
        return memory.address();
    }

    public long byteSize() {
        return memory.byteSize();
    }

    public int frameSize() {
        return frameSize;
    }

    public int frameCount() {
        return frameCount;
    }

    /** The start of the frame that holds UMEM offset {@code address}. */
    public long frameOf(long address) {
        return address & -(long) frameSize;
    }

    /** A free frame's offset, or -1 when every frame is in use. */
    public long take() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    /** Returns the frame holding {@code address} to the free stack. */
    public void give(long address) {
        free[freeCount++] = frameOf(address);
    }

    public int freeCount() {
        return freeCount;
    }

    @Override
    public void close() {
        arena.close();
    }
}
