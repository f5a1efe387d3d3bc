package io.jlvs.platform.bpf;

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
 * A BPF map of fixed key and value sizes, created with BPF_MAP_CREATE, read and written through bpf(2) with keys
 * and values the caller lays out in native memory. Element calls reuse one attribute block under a lock and
 * allocate nothing; they return 0 or -errno so that loops and tear-down need no exception. A per-CPU map's value,
 * as user space sees it, is one 8-byte-aligned slot per possible CPU ({@link #userValueSize()}).
 */
public final class BpfMap implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
    private final MemorySegment capture = Libc.newCapture(arena);
    private final String name;
    private final int type, keySize, valueSize, maxEntries;
    private int fd;

    private BpfMap(int fd, String name, int type, int keySize, int valueSize, int maxEntries) {
        this.fd = fd;
        this.name = name;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
    }

    /** A new map of {@code type} (BpfAttr.BPF_MAP_TYPE_*), named {@code name} (at most 15 characters) for bpftool. */
    public static BpfMap create(int type, String name, int keySize, int valueSize, int maxEntries) throws IOException {
        return create(type, name, keySize, valueSize, maxEntries, 0);
    }

    /** The same with map flags (BpfAttr.BPF_F_*), e.g. a hash that allocates its elements as they come. */
    public static BpfMap create(int type, String name, int keySize, int valueSize, int maxEntries, int flags)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= BpfAttr.OBJ_NAME_LENGTH) throw new IllegalArgumentException("map name too long: " + name);
        if (keySize <= 0 || valueSize <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("map " + name + ": key, value and entries must be positive");
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment attr = call.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.MAP_TYPE, type);
            attr.set(JAVA_INT, BpfAttr.KEY_SIZE, keySize);
            attr.set(JAVA_INT, BpfAttr.VALUE_SIZE, valueSize);
            attr.set(JAVA_INT, BpfAttr.MAX_ENTRIES, maxEntries);
            attr.set(JAVA_INT, BpfAttr.MAP_FLAGS, flags);
            MemorySegment.copy(nameBytes, 0, attr, JAVA_BYTE, BpfAttr.MAP_NAME, nameBytes.length);
            int fd = Bpf.call(BpfAttr.BPF_MAP_CREATE, attr,
                    "BPF_MAP_CREATE " + name + ", type " + type + ", " + maxEntries + " entries");
            return new BpfMap(fd, name, type, keySize, valueSize, maxEntries);
        }
    }

    public int fd() {
        return fd;
    }

    public int keySize() {
        return keySize;
    }

    public int valueSize() {
        return valueSize;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public boolean perCpu() {
        return type == BpfAttr.BPF_MAP_TYPE_PERCPU_ARRAY;
    }

    /** The size of a value as lookups return it: for a per-CPU map one 8-aligned slot per possible CPU. */
    public int userValueSize() {
        return perCpu() ? PossibleCpus.count() * ((valueSize + 7) & ~7) : valueSize;
    }

    /** Writes {@code value} under {@code key} with {@code flags} (BpfAttr.BPF_ANY, BPF_NOEXIST): 0 or -errno. */
    public synchronized int update(MemorySegment key, MemorySegment value, long flags) {
        if (fd < 0) return -9;   // EBADF
        prepare(key);
        attr.set(JAVA_LONG, BpfAttr.VALUE, value.address());
        attr.set(JAVA_LONG, BpfAttr.ELEM_FLAGS, flags);
        return Bpf.call(BpfAttr.BPF_MAP_UPDATE_ELEM, attr, capture);
    }

    /** Copies the value under {@code key} into {@code value} ({@link #userValueSize()} bytes): 0 or -errno (-ENOENT). */
    public synchronized int lookup(MemorySegment key, MemorySegment value) {
        if (fd < 0) return -9;
        prepare(key);
        attr.set(JAVA_LONG, BpfAttr.VALUE, value.address());
        return Bpf.call(BpfAttr.BPF_MAP_LOOKUP_ELEM, attr, capture);
    }

    /** Removes the entry under {@code key}: 0 or -errno (-ENOENT when there is none). */
    public synchronized int delete(MemorySegment key) {
        if (fd < 0) return -9;
        prepare(key);
        return Bpf.call(BpfAttr.BPF_MAP_DELETE_ELEM, attr, capture);
    }

    /** The number of entries of a hash map, counted by walking its keys with BPF_MAP_GET_NEXT_KEY. */
    public synchronized int count() {
        if (fd < 0) return 0;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment current = call.allocate(keySize, 8), next = call.allocate(keySize, 8);
            attr.fill((byte) 0);
            attr.set(JAVA_INT, BpfAttr.MAP_FD, fd);
            attr.set(JAVA_LONG, BpfAttr.KEY, 0L);   // NULL: the first key
            attr.set(JAVA_LONG, BpfAttr.NEXT_KEY, next.address());
            int entries = 0;
            while (Bpf.call(BpfAttr.BPF_MAP_GET_NEXT_KEY, attr, capture) == 0) {
                entries++;
                MemorySegment.copy(next, 0, current, 0, keySize);
                attr.set(JAVA_LONG, BpfAttr.KEY, current.address());
            }
            return entries;
        }
    }

    private void prepare(MemorySegment key) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, BpfAttr.MAP_FD, fd);
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
        return "BPF map " + name;
    }
}
