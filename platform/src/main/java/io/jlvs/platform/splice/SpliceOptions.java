package io.jlvs.platform.splice;

/**
 * A splicer's settings.
 *
 * @param capacity      the most pairs spliced at once (the sockhashes hold two entries per pair)
 * @param attachment    for SOCKMAP, how the verdict program is hooked to the sockets
 * @param pipeCapacity  for PIPE, each pipe's size in bytes (F_SETPIPE_SZ; the kernel rounds up to pages)
 * @param chunkSize     for COPY, the bytes read at once into a native buffer
 */
public record SpliceOptions(int capacity, SockmapAttachment attachment, int pipeCapacity, int chunkSize) {
    public static final int DEFAULT_PIPE_CAPACITY = 1 << 18, DEFAULT_CHUNK_SIZE = 1 << 16;

    public SpliceOptions {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity + " (at least 1 pair)");
        if (pipeCapacity < 4096) throw new IllegalArgumentException("pipe capacity " + pipeCapacity + " (at least a page)");
        if (chunkSize < 1024) throw new IllegalArgumentException("chunk size " + chunkSize + " (at least 1 KiB)");
    }

    /** Defaults for everything but the capacity. */
    public static SpliceOptions withCapacity(int capacity) {
        return new SpliceOptions(capacity, SockmapAttachment.VERDICT_ONLY, DEFAULT_PIPE_CAPACITY, DEFAULT_CHUNK_SIZE);
    }

    public SpliceOptions withAttachment(SockmapAttachment value) {
        return new SpliceOptions(capacity, value, pipeCapacity, chunkSize);
    }

    public SpliceOptions withPipeCapacity(int value) {
        return new SpliceOptions(capacity, attachment, value, chunkSize);
    }

    public SpliceOptions withChunkSize(int value) {
        return new SpliceOptions(capacity, attachment, pipeCapacity, value);
    }
}
