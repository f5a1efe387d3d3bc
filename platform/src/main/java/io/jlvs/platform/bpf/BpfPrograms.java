package io.jlvs.platform.bpf;

import io.jlvs.platform.libc.Bpf;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Programs already in the kernel, found by id: a descriptor for one, and its name. */
public final class BpfPrograms {
    private BpfPrograms() {}

    /** A new descriptor for loaded program {@code id} (close it); throws ENOENT when it is gone. */
    public static int fdById(int id) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.PROG_ID, id);
            return Bpf.call(BpfAttr.BPF_PROG_GET_FD_BY_ID, attr, "BPF_PROG_GET_FD_BY_ID " + id);
        }
    }

    /** The name the program behind {@code programFd} was loaded with (15 characters at most). */
    public static String name(int programFd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(BpfAttr.PROG_INFO_SIZE, 8);
            MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.INFO_BPF_FD, programFd);
            attr.set(JAVA_INT, BpfAttr.INFO_LEN, (int) info.byteSize());
            attr.set(JAVA_LONG, BpfAttr.INFO, info.address());
            Bpf.call(BpfAttr.BPF_OBJ_GET_INFO_BY_FD, attr, "BPF_OBJ_GET_INFO_BY_FD");
            return info.asSlice(BpfAttr.PROG_INFO_NAME, BpfAttr.OBJ_NAME_LENGTH).getString(0);
        }
    }

    /** The name of loaded program {@code id}. */
    public static String nameById(int id) throws IOException {
        int fd = fdById(id);
        try {
            return name(fd);
        } finally {
            Libc.close(fd);
        }
    }
}
