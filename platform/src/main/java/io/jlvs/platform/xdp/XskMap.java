package io.jlvs.platform.xdp;

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
 * A BPF_MAP_TYPE_XSKMAP: receive queue index to AF_XDP socket, the target of the redirect program's
 * bpf_redirect_map. The kernel drops a socket's entry when the socket closes.
 */
public final class XskMap implements AutoCloseable {
    private final int fd;
    private boolean closed;

    private XskMap(int fd) {
        this.fd = fd;
    }

    /** A map for queues 0 to {@code queues - 1}, named {@code name} (at most 15 characters) for bpftool. */
    public static XskMap create(String name, int queues) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= BpfAttr.OBJ_NAME_LENGTH) throw new IllegalArgumentException("map name too long: " + name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.MAP_TYPE, BpfAttr.BPF_MAP_TYPE_XSKMAP);
            attr.set(JAVA_INT, BpfAttr.KEY_SIZE, 4);
            attr.set(JAVA_INT, BpfAttr.VALUE_SIZE, 4);
            attr.set(JAVA_INT, BpfAttr.MAX_ENTRIES, queues);
            MemorySegment.copy(nameBytes, 0, attr, JAVA_BYTE, BpfAttr.MAP_NAME, nameBytes.length);
            return new XskMap(Bpf.call(BpfAttr.BPF_MAP_CREATE, attr, "BPF_MAP_CREATE xskmap " + name));
        }
    }

    public int fd() {
        return fd;
    }

    /** Sends queue {@code queue}'s redirected frames to {@code socketFd}. */
    public void put(int queue, int socketFd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(JAVA_INT, queue);
            MemorySegment value = arena.allocateFrom(JAVA_INT, socketFd);
            MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.MAP_FD, fd);
            attr.set(JAVA_LONG, BpfAttr.KEY, key.address());
            attr.set(JAVA_LONG, BpfAttr.VALUE, value.address());
            attr.set(JAVA_LONG, BpfAttr.ELEM_FLAGS, BpfAttr.BPF_ANY);
            Bpf.call(BpfAttr.BPF_MAP_UPDATE_ELEM, attr, "BPF_MAP_UPDATE_ELEM xskmap queue " + queue);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
    }
}
