package io.jlvs.connections;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The first page of a {@link TableFile}: what a later daemon checks before it reads the entries back.
 * <pre>
 *  0 +---------------------------+
 *    | magic "JLVSCONN"          |   written last: a file whose creation was cut short has no magic
 *  8 +-------------+-------------+
 *    | layout ver. | entry bytes |   the entry layout (see EntrySlab); any other is refused
 * 16 +-------------+-------------+
 *    | capacity    | (reserved)  |
 * 24 +-------------+-------------+
 *    | owner pid                 |   the daemon that writes the entries, and its process start time
 * 32 +---------------------------+   (clock ticks since boot), which tells it from a reused pid
 *    | owner start time          |
 * 40 +---------------------------+
 *    | boot id (128 bits)        |   /proc/sys/kernel/random/boot_id: deadlines are CLOCK_MONOTONIC
 * 56 +---------------------------+   nanoseconds, meaningful only within the boot that wrote them
 *    | created (epoch millis)    |
 * 64 +---------------------------+
 *    ... zero up to 4096, where the entries start
 * </pre>
 * Native byte order, like the entries: the file never leaves the host that wrote it.
 */
public record TableHeader(long magic, int layoutVersion, int entryBytes, int capacity, long ownerPid,
                          long ownerStartTime, UUID bootId, long createdMillis) {
    public static final long MAGIC = 0x4A4C_5653_434F_4E4EL; // "JLVSCONN"
    /** Version 1: 112-byte entries with the fwmark and the feed mark. */
    public static final int LAYOUT_VERSION = 1;
    /** Bytes of the header page; the entries start here, page aligned. */
    public static final long BYTES = 4096;
    static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private static final long MAGIC_AT = 0, VERSION_AT = 8, ENTRY_BYTES_AT = 12, CAPACITY_AT = 16, PID_AT = 24,
            START_AT = 32, BOOT_HI_AT = 40, BOOT_LO_AT = 48, CREATED_AT = 56;
    private static final VarHandle LONG_HANDLE = ValueLayout.JAVA_LONG.varHandle();

    /** The header of a new file of this build's layout. */
    public static TableHeader of(int capacity, long ownerPid, long ownerStartTime, UUID bootId) {
        return new TableHeader(MAGIC, LAYOUT_VERSION, (int) EntrySlab.ENTRY_BYTES, capacity, ownerPid,
                ownerStartTime, bootId, System.currentTimeMillis());
    }

    /** This boot's id. */
    public static UUID currentBootId() throws IOException {
        return UUID.fromString(Files.readString(BOOT_ID).strip());
    }

    static TableHeader read(MemorySegment page) {
        return new TableHeader((long) LONG_HANDLE.getAcquire(page, MAGIC_AT),
                page.get(ValueLayout.JAVA_INT, VERSION_AT), page.get(ValueLayout.JAVA_INT, ENTRY_BYTES_AT),
                page.get(ValueLayout.JAVA_INT, CAPACITY_AT), page.get(ValueLayout.JAVA_LONG, PID_AT),
                page.get(ValueLayout.JAVA_LONG, START_AT),
                new UUID(page.get(ValueLayout.JAVA_LONG, BOOT_HI_AT), page.get(ValueLayout.JAVA_LONG, BOOT_LO_AT)),
                page.get(ValueLayout.JAVA_LONG, CREATED_AT));
    }

    /** Writes every field, the magic last (release), so that a reader seeing the magic sees the rest. */
    void write(MemorySegment page) {
        page.set(ValueLayout.JAVA_INT, VERSION_AT, layoutVersion);
        page.set(ValueLayout.JAVA_INT, ENTRY_BYTES_AT, entryBytes);
        page.set(ValueLayout.JAVA_INT, CAPACITY_AT, capacity);
        page.set(ValueLayout.JAVA_LONG, PID_AT, ownerPid);
        page.set(ValueLayout.JAVA_LONG, START_AT, ownerStartTime);
        page.set(ValueLayout.JAVA_LONG, BOOT_HI_AT, bootId.getMostSignificantBits());
        page.set(ValueLayout.JAVA_LONG, BOOT_LO_AT, bootId.getLeastSignificantBits());
        page.set(ValueLayout.JAVA_LONG, CREATED_AT, createdMillis);
        LONG_HANDLE.setRelease(page, MAGIC_AT, magic);
    }

    /**
     * Why a file with this header, {@code fileBytes} long, cannot be read back by this build in the boot
     * {@code bootId}; null when it can.
     */
    public String incompatibility(long fileBytes, UUID currentBoot) {
        if (magic != MAGIC) return "not a jlvs connection table (magic " + Long.toHexString(magic) + ")";
        if (layoutVersion != LAYOUT_VERSION) {
            return "layout version " + layoutVersion + ", this jlvs reads version " + LAYOUT_VERSION;
        }
        if (entryBytes != EntrySlab.ENTRY_BYTES) {
            return "entries of " + entryBytes + " bytes, this jlvs has " + EntrySlab.ENTRY_BYTES;
        }
        if (capacity <= 0 || fileBytes != BYTES + (long) entryBytes * capacity) {
            return "size " + fileBytes + " bytes does not match a capacity of " + capacity;
        }
        if (!bootId.equals(currentBoot)) {
            return "written during another boot (" + bootId + ", now " + currentBoot + "): its deadlines mean nothing now";
        }
        return null;
    }
}
