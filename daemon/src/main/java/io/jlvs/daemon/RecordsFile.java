package io.jlvs.daemon;

import io.jlvs.forwarder.FullNatRecord;
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
 * Records the forwarder keeps beside a daemon's connection table, one per entry and indexed by the entry's slot,
 * in a file of shared memory next to the table file, mapped MAP_SHARED, so that the next daemon carries on the
 * connections it re-attaches as this one did: the SYN proxy's splices ({@code jlvs-NETNSINODE-HASH.splices}) and
 * FullNAT's local ports ({@code .fullnat}). A 64-byte header (the kind's magic, the records' layout, the bytes of
 * a record, the capacity), then the records. Pages of the tmpfs file are taken only as records are written.
 */
final class RecordsFile implements AutoCloseable {
    /**
     * What a file holds: its magic, its records' layout and size, and its name in messages; and an earlier layout
     * still read (0: none), with its size and what makes its records this layout's.
     */
    enum Kind {
        SPLICES("JLVSSPLC", SpliceRecord.LAYOUT, SpliceRecord.BYTES, "SYN proxy records", 0, 0, null),
        FULLNAT("JLVSFNAT", FullNatRecord.LAYOUT, FullNatRecord.BYTES, "FullNAT records",
                FullNatRecord.LAYOUT_1, FullNatRecord.LAYOUT_1_BYTES, FullNatRecord::upgradeLayout1);

        final byte[] magic;
        final int layout;
        final long recordBytes;
        final String what;
        final int earlierLayout;
        final long earlierRecordBytes;
        final Upgrade upgrade;

        Kind(String magic, int layout, long recordBytes, String what, int earlierLayout, long earlierRecordBytes,
             Upgrade upgrade) {
            this.magic = magic.getBytes(StandardCharsets.US_ASCII);
            this.layout = layout;
            this.recordBytes = recordBytes;
            this.what = what;
            this.earlierLayout = earlierLayout;
            this.earlierRecordBytes = earlierRecordBytes;
            this.upgrade = upgrade;
        }

        boolean readsEarlier(int layout, long recordBytes) {
            return earlierLayout != 0 && layout == earlierLayout && recordBytes == earlierRecordBytes;
        }
    }

    /** Records of a kind's earlier layout ({@code capacity} of them) in its layout, in memory of {@code arena}. */
    interface Upgrade {
        MemorySegment apply(MemorySegment earlier, int capacity, Arena arena);
    }

    static final long HEADER_BYTES = 64;
    private static final long LAYOUT = 8, RECORD_BYTES = 12, CAPACITY = 16;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final Arena arena;
    private final MemorySegment records;

    private RecordsFile(Arena arena, MemorySegment records) {
        this.arena = arena;
        this.records = records;
    }

    /** Creates {@code path} (mode 0600; it must not exist) for the records of {@code capacity} entries, none yet. */
    static RecordsFile create(Path path, Kind kind, int capacity) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_BYTES + kind.recordBytes * capacity,
                    arena);
            MemorySegment.copy(kind.magic, 0, all, ValueLayout.JAVA_BYTE, 0, kind.magic.length);
            all.set(INT, LAYOUT, kind.layout);
            all.set(INT, RECORD_BYTES, (int) kind.recordBytes);
            all.set(INT, CAPACITY, capacity);
            return new RecordsFile(arena, all.asSlice(HEADER_BYTES));
        } catch (IOException | RuntimeException e) {
            arena.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /**
     * A previous daemon's file, mapped read only, when it is of this layout and of the capacity of the table it
     * goes with; one of the kind's earlier layout is read into memory of this layout.
     *
     * @throws IOException naming what is wrong with it otherwise
     */
    static RecordsFile readPrevious(Path path, Kind kind, int tableCapacity) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) throw new IOException(path + ": " + size + " bytes, too short for a header");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            byte[] magic = all.asSlice(0, kind.magic.length).toArray(ValueLayout.JAVA_BYTE);
            int layout = all.get(INT, LAYOUT), recordBytes = all.get(INT, RECORD_BYTES), capacity = all.get(INT, CAPACITY);
            boolean earlier = kind.readsEarlier(layout, recordBytes);
            String problem = !Arrays.equals(magic, kind.magic) ? "not a file of " + kind.what
                    : !earlier && (layout != kind.layout || recordBytes != kind.recordBytes)
                    ? "records of layout " + layout + " (" + recordBytes + " bytes), this daemon reads layout "
                    + kind.layout + (kind.earlierLayout != 0 ? " and " + kind.earlierLayout : "")
                    : capacity != tableCapacity ? "records of " + capacity + " entries for a table of " + tableCapacity
                    : size != HEADER_BYTES + (long) recordBytes * capacity ? size + " bytes for " + capacity + " records"
                    : null;
            if (problem != null) throw new IOException(path + ": " + problem);
            MemorySegment records = all.asSlice(HEADER_BYTES);
            return new RecordsFile(arena, earlier ? kind.upgrade.apply(records, capacity, arena) : records);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The records, the kind's bytes per slot of the table. */
    MemorySegment records() { return records; }

    /** Unmaps the file (it stays in /dev/shm); nothing may use its records any more. */
    @Override
    public void close() {
        arena.close();
    }
}
