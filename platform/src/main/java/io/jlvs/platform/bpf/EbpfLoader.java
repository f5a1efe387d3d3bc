package io.jlvs.platform.bpf;

import io.jlvs.platform.libc.Bpf;
import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Loads eBPF programs (BPF_PROG_LOAD) and attaches them (BPF_PROG_ATTACH). A program the kernel refuses is loaded
 * a second time with the verifier's log on, and the log goes into the exception's message, as libbpf does.
 */
public final class EbpfLoader {
    private EbpfLoader() {}

    /**
     * The license the programs declare. It only decides whether a program may call GPL-only helpers; the splice
     * programs call none (bpf_get_socket_cookie and bpf_sk_redirect_hash are not GPL-only).
     */
    public static final String LICENSE = "Dual BSD/GPL";
    /** BPF_LOG_LEVEL1: the verifier's decisions, enough to see which instruction it refused and why. */
    private static final int LOG_LEVEL = 1;
    private static final int LOG_SIZE = 1 << 20;

    /** Loads {@code program} as {@code programType}; returns the program's descriptor. */
    public static int load(int programType, int expectedAttachType, EbpfInstructions program, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = loadAttr(arena, programType, expectedAttachType, program, name);
            try {
                return Bpf.call(BpfAttr.BPF_PROG_LOAD, attr, "BPF_PROG_LOAD " + name);
            } catch (ErrnoException refused) {
                MemorySegment log = arena.allocate(LOG_SIZE);
                attr.set(JAVA_INT, BpfAttr.LOG_LEVEL, LOG_LEVEL);
                attr.set(JAVA_INT, BpfAttr.LOG_SIZE, LOG_SIZE);
                attr.set(JAVA_LONG, BpfAttr.LOG_BUF, log.address());
                try {
                    return Bpf.call(BpfAttr.BPF_PROG_LOAD, attr, "BPF_PROG_LOAD " + name + " with the verifier's log");
                } catch (ErrnoException again) {
                    String verifierLog = log.getString(0).strip();
                    throw new ErrnoException(refused.getMessage()
                            + (verifierLog.isEmpty() ? "; the verifier wrote no log" : "; verifier log:\n" + verifierLog),
                            refused.errno());
                }
            }
        }
    }

    private static MemorySegment loadAttr(Arena arena, int programType, int expectedAttachType,
                                          EbpfInstructions program, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= BpfAttr.OBJ_NAME_LENGTH) throw new IllegalArgumentException("program name too long: " + name);
        MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
        MemorySegment instructions = program.copyTo(arena);
        MemorySegment license = arena.allocateFrom(LICENSE);
        attr.set(JAVA_INT, BpfAttr.PROG_TYPE, programType);
        attr.set(JAVA_INT, BpfAttr.INSN_CNT, program.count());
        attr.set(JAVA_LONG, BpfAttr.INSNS, instructions.address());
        attr.set(JAVA_LONG, BpfAttr.LICENSE, license.address());
        MemorySegment.copy(nameBytes, 0, attr, JAVA_BYTE, BpfAttr.PROG_NAME, nameBytes.length);
        attr.set(JAVA_INT, BpfAttr.EXPECTED_ATTACH_TYPE, expectedAttachType);
        return attr;
    }

    /** Attaches program {@code programFd} to {@code targetFd} (for sk_skb programs: a sockmap or sockhash). */
    public static void attach(int targetFd, int programFd, int attachType, String what) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.TARGET_FD, targetFd);
            attr.set(JAVA_INT, BpfAttr.ATTACH_BPF_FD, programFd);
            attr.set(JAVA_INT, BpfAttr.ATTACH_TYPE, attachType);
            Bpf.call(BpfAttr.BPF_PROG_ATTACH, attr, "BPF_PROG_ATTACH " + what);
        }
    }

    /** Closes a program descriptor; a negative one is ignored. */
    public static void close(int programFd) {
        Libc.close(programFd);
    }
}
