package io.jlvs.failover.sync;

import java.nio.ByteBuffer;

import static io.jlvs.failover.sync.SyncLayout.*;

/**
 * jlvs's own sync messages, beyond the kernel's protocol: a backup that starts asks the master for its whole table
 * (resync request) and the master marks the end of its answer (resync end). Each is a version 1 header alone:
 * <pre>
 * reserved = 0 (8) | syncid (8) | size = 8 (16) | nr_conns = 0 (8) | version = 0xEA request, 0xEB end (8) | spare = 0 (16)
 * </pre>
 * A kernel reads any version but 1 as a version 0 message, whose first byte, the entry count, is then the
 * reserved 0: a kernel backup receives an empty message and a kernel master does not listen.
 */
public final class SyncControl {
    public static final int RESYNC_REQUEST = 0xEA, RESYNC_END = 0xEB;

    private SyncControl() {}

    /** Whether a header's version byte is one of jlvs's control messages. */
    public static boolean isControl(int version) {
        return version == RESYNC_REQUEST || version == RESYNC_END;
    }

    /** Writes the control message {@code kind} of syncid at out's position; returns its length. */
    public static int write(ByteBuffer out, int syncId, int kind) {
        if (!isControl(kind)) throw new IllegalArgumentException("sync control message " + kind);
        out.put((byte) 0).put((byte) syncId).putShort((short) HEADER_BYTES).put((byte) 0).put((byte) kind)
                .putShort((short) 0);
        return HEADER_BYTES;
    }
}
