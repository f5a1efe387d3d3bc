package io.jlvs.daemon;

import io.jlvs.forwarder.SpliceRecord;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * The SYN proxy's records of a daemon's connections in a file of shared memory beside its table file
 * ({@code jlvs-NETNSINODE-HASH.splices}), mapped MAP_SHARED, so that the next daemon joins the proxied connections
 * it re-attaches as this one did. A 64-byte header (magic {@code JLVSSPLC}, the records' layout, the bytes of a
 * record, the capacity), then {@link SpliceRecord#BYTES} per entry of the table, indexed by the entry's slot.
 * Pages of the tmpfs file are taken only as records are written.
 */
final class SpliceFile implements AutoCloseable {
    static final long HEADER_BYTES = 64;
    private static final byte[] MAGIC = "JLVSSPLC".getBytes(StandardCharsets.US_ASCII);
    private static final long LAYOUT = 8, RECORD_BYTES = 12, CAPACITY = 16;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final Arena arena;
    private final MemorySegment records;

    private SpliceFile(Arena arena, MemorySegment records) {
        this.arena = arena;
        this.records = records;
    }

    /** Creates {@code path} (mode 0600; it must not exist) for the records of {@code capacity} entries, none yet. */
    static SpliceFile create(Path path, int capacity) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_BYTES + SpliceRecord.BYTES * capacity,
                    arena);
            MemorySegment.copy(MAGIC, 0, all, ValueLayout.JAVA_BYTE, 0, MAGIC.length);
            all.set(INT, LAYOUT, SpliceRecord.LAYOUT);
            all.set(INT, RECORD_BYTES, (int) SpliceRecord.BYTES);
            all.set(INT, CAPACITY, capacity);
            return new SpliceFile(arena, all.asSlice(HEADER_BYTES));
        } catch (IOException | RuntimeException e) {
            arena.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /**
     * A previous daemon's file, mapped read only, when it is of this layout and of the capacity of the table it
     * goes with.
     *
     * @throws IOException naming what is wrong with it otherwise
     */
    static SpliceFile readPrevious(Path path, int tableCapacity) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) throw new IOException(path + ": " + size + " bytes, too short for a header");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            byte[] magic = all.asSlice(0, MAGIC.length).toArray(ValueLayout.JAVA_BYTE);
            int layout = all.get(INT, LAYOUT), recordBytes = all.get(INT, RECORD_BYTES), capacity = all.get(INT, CAPACITY);
            String problem = !Arrays.equals(magic, MAGIC) ? "not a file of SYN proxy records"
                    : layout != SpliceRecord.LAYOUT || recordBytes != SpliceRecord.BYTES
                    ? "records of layout " + layout + " (" + recordBytes + " bytes), this daemon reads layout "
                    + SpliceRecord.LAYOUT
                    : capacity != tableCapacity ? "records of " + capacity + " entries for a table of " + tableCapacity
                    : size != HEADER_BYTES + SpliceRecord.BYTES * capacity ? size + " bytes for " + capacity + " records"
                    : null;
            if (problem != null) throw new IOException(path + ": " + problem);
            return new SpliceFile(arena, all.asSlice(HEADER_BYTES));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The records, {@link SpliceRecord#BYTES} per slot of the table. */
    MemorySegment records() { return records; }

    /** Unmaps the file (it stays in /dev/shm); nothing may use its records any more. */
    @Override
    public void close() {
        arena.close();
    }
}
