package io.jlvs.platform.splice;

import io.jlvs.platform.bpf.BpfAttr;

import io.jlvs.platform.libc.Bpf;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A BPF_MAP_TYPE_SOCKHASH with 64-bit keys: each entry holds a reference to a TCP socket, inserted by descriptor.
 * A socket in a sockhash gets a psock: the kernel runs the map's attached sk_skb programs on what it receives, and
 * any sk_skb program may redirect data to it with bpf_sk_redirect_hash. The kernel removes a socket's entries when
 * the socket closes. Element calls reuse one attribute block and take a lock, so they allocate nothing.
 */
final class SockHash implements AutoCloseable {
    /** The value is the socket's descriptor on update; a 64-bit value makes a lookup return the socket's cookie. */
    private static final int KEY_SIZE = 8, VALUE_SIZE = 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
    private final MemorySegment key = arena.allocate(JAVA_LONG);
    private final MemorySegment value = arena.allocate(JAVA_LONG);
    private final MemorySegment capture = Libc.newCapture(arena);
    private final String name;
    private int fd;

    private SockHash(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** A new sockhash of {@code maxEntries} entries, named {@code name} (at most 15 characters) for bpftool. */
    static SockHash create(String name, int maxEntries) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= BpfAttr.OBJ_NAME_LENGTH) throw new IllegalArgumentException("map name too long: " + name);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment attr = call.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.MAP_TYPE, BpfAttr.BPF_MAP_TYPE_SOCKHASH);
            attr.set(JAVA_INT, BpfAttr.KEY_SIZE, KEY_SIZE);
            attr.set(JAVA_INT, BpfAttr.VALUE_SIZE, VALUE_SIZE);
            attr.set(JAVA_INT, BpfAttr.MAX_ENTRIES, maxEntries);
            MemorySegment.copy(nameBytes, 0, attr, JAVA_BYTE, BpfAttr.MAP_NAME, nameBytes.length);
            int fd = Bpf.call(BpfAttr.BPF_MAP_CREATE, attr, "BPF_MAP_CREATE sockhash " + name + ", " + maxEntries + " entries");
            return new SockHash(fd, name);
        }
    }

    int fd() {
        return fd;
    }

    /** Inserts {@code socketFd} under {@code key} (BPF_NOEXIST): 0, or -errno (-EEXIST, -E2BIG when full, ...). */
    synchronized int insert(long key, int socketFd) {
        if (fd < 0) return -9;   // EBADF
        prepare(key);
        value.set(JAVA_LONG, 0, socketFd);
        attr.set(JAVA_LONG, BpfAttr.VALUE, value.address());
        attr.set(JAVA_LONG, BpfAttr.ELEM_FLAGS, BpfAttr.BPF_NOEXIST);
        return Bpf.call(BpfAttr.BPF_MAP_UPDATE_ELEM, attr, capture);
    }

    /** Removes the entry under {@code key}: 0, or -errno (-ENOENT when there is none). */
    synchronized int delete(long key) {
        if (fd < 0) return -9;
        prepare(key);
        return Bpf.call(BpfAttr.BPF_MAP_DELETE_ELEM, attr, capture);
    }

    /** The number of entries, counted by walking the keys with BPF_MAP_GET_NEXT_KEY. */
    synchronized int count() {
        if (fd < 0) return 0;
        attr.fill((byte) 0);
        attr.set(JAVA_INT, BpfAttr.MAP_FD, fd);
        attr.set(JAVA_LONG, BpfAttr.KEY, 0L);   // NULL: the first key
        attr.set(JAVA_LONG, BpfAttr.NEXT_KEY, value.address());
        int entries = 0;
        while (Bpf.call(BpfAttr.BPF_MAP_GET_NEXT_KEY, attr, capture) == 0) {
            entries++;
            key.set(JAVA_LONG, 0, value.get(JAVA_LONG, 0));
            attr.set(JAVA_LONG, BpfAttr.KEY, key.address());
        }
        return entries;
    }

    private void prepare(long k) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, BpfAttr.MAP_FD, fd);
        key.set(JAVA_LONG, 0, k);
        attr.set(JAVA_LONG, BpfAttr.KEY, key.address());
    }

    @Override
    public synchronized void close() {
        if (fd < 0) return;
        Libc.close(fd);
        fd = -1;
        arena.close();
    }

    @Override
    public String toString() {
        return "sockhash " + name;
    }
}
