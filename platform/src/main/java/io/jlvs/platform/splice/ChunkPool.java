package io.jlvs.platform.splice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Native buffers of one size for the copy relay, owned by the loop thread. A direction holds one only while bytes
 * it read wait for the sink; otherwise the buffer goes straight back, so with no sink blocked one buffer serves
 * every pair. Up to {@code spares} idle buffers are kept; more are left to the garbage collector.
 */
final class ChunkPool {
    private final int chunkSize;
    private final int spares;
    private final ArrayDeque<MemorySegment> idle;

    ChunkPool(int chunkSize, int spares) {
        this.chunkSize = chunkSize;
        this.spares = spares;
        this.idle = new ArrayDeque<>(spares);
    }

    int chunkSize() {
        return chunkSize;
    }

    MemorySegment acquire() {
        MemorySegment chunk = idle.pollFirst();
        return chunk != null ? chunk : Arena.ofAuto().allocate(chunkSize, 4096);
    }

    void release(MemorySegment chunk) {
        if (idle.size() < spares) idle.addFirst(chunk);   // last in, first out: the warmest buffer is used next
    }
}
