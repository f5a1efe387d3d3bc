package io.jlvs.platform.splice;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfMap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A BPF_MAP_TYPE_SOCKHASH with 64-bit keys: each entry holds a reference to a TCP socket, inserted by descriptor.
 * A socket in a sockhash gets a psock: the kernel runs the map's attached sk_skb programs on what it receives, and
 * any sk_skb program may redirect data to it with bpf_sk_redirect_hash. The kernel removes a socket's entries when
 * the socket closes. Element calls reuse one key and one value block under a lock, so they allocate nothing.
 */
final class SockHash implements AutoCloseable {
    /** The value is the socket's descriptor on update; a 64-bit value makes a lookup return the socket's cookie. */
    private static final int KEY_SIZE = 8, VALUE_SIZE = 8;

    private final BpfMap map;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(JAVA_LONG);
    private final MemorySegment value = arena.allocate(JAVA_LONG);

    private SockHash(BpfMap map) {
        this.map = map;
    }

    /** A new sockhash of {@code maxEntries} entries, named {@code name} (at most 15 characters) for bpftool. */
    static SockHash create(String name, int maxEntries) throws IOException {
        return new SockHash(BpfMap.create(BpfAttr.BPF_MAP_TYPE_SOCKHASH, name, KEY_SIZE, VALUE_SIZE, maxEntries));
    }

    int fd() {
        return map.fd();
    }

    /** Inserts {@code socketFd} under {@code k} (BPF_NOEXIST): 0, or -errno (-EEXIST, -E2BIG when full, ...). */
    synchronized int insert(long k, int socketFd) {
        key.set(JAVA_LONG, 0, k);
        value.set(JAVA_LONG, 0, socketFd);
        return map.update(key, value, BpfAttr.BPF_NOEXIST);
    }

    /** Removes the entry under {@code k}: 0, or -errno (-ENOENT when there is none). */
    synchronized int delete(long k) {
        key.set(JAVA_LONG, 0, k);
        return map.delete(key);
    }

    /** The number of entries, counted by walking the keys with BPF_MAP_GET_NEXT_KEY. */
    int count() {
        return map.count();
    }

    @Override
    public synchronized void close() {
        map.close();
        arena.close();
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
