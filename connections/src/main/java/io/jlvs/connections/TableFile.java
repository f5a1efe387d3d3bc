package io.jlvs.connections;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * A connection table's entries in a file of shared memory (/dev/shm), mapped MAP_SHARED, so that they outlive
 * the daemon: after a crash or a restart the next daemon reads them back with {@link #readPrevious}. A
 * {@link TableHeader} page first, then {@code capacity} entries of the {@link EntrySlab} layout.
 *
 * <p>Mapped with {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)} into a shared arena: a
 * {@link MemorySegment} with atomic access (the table's CAS and release stores work on it as on anonymous
 * memory), unmapped deterministically at {@link #close()}, and no native binding needed. Every store lands in
 * the page cache of the tmpfs file at once, so a daemon killed with SIGKILL loses nothing it had written.
 */
public final class TableFile implements AutoCloseable {
    private final Path path;
    private final int capacity;
    private final Arena arena;
    private final MemorySegment entries;

    private TableFile(Path path, int capacity, Arena arena, MemorySegment entries) {
        this.path = path;
        this.capacity = capacity;
        this.arena = arena;
        this.entries = entries;
    }

    /**
     * Creates {@code path} (mode 0600; it must not exist), sized for {@code capacity} entries, all free, and
     * maps it. The header is complete before this returns.
     */
    public static TableFile create(Path path, int capacity, long ownerPid, long ownerStartTime, UUID bootId)
            throws IOException {
        long size = TableHeader.BYTES + ConnectionTable.entryBytes(capacity);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            TableHeader.of(capacity, ownerPid, ownerStartTime, bootId).write(all.asSlice(0, TableHeader.BYTES));
            return new TableFile(path, capacity, arena, all.asSlice(TableHeader.BYTES));
        } catch (IOException | RuntimeException e) {
            arena.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** The header of an existing file, whatever its layout, or an IOException if it is shorter than a header. */
    public static TableHeader readHeader(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() < TableHeader.BYTES) throw new IOException(path + ": " + ch.size() + " bytes, no header");
            return TableHeader.read(ch.map(FileChannel.MapMode.READ_ONLY, 0, TableHeader.BYTES, arena));
        }
    }

    /**
     * Maps a table file a previous daemon left, read only, for {@link PreviousTable#forEachLive}.
     *
     * @throws IncompatibleTableException when its header is not of this layout or of this boot (the message says
     *                                    which); nothing of it may be read then
     */
    public static PreviousTable readPrevious(Path path, UUID currentBoot) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < TableHeader.BYTES) {
                throw new IncompatibleTableException(path + ": " + size + " bytes, too short for a header");
            }
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            TableHeader header = TableHeader.read(all.asSlice(0, TableHeader.BYTES));
            String problem = header.incompatibility(size, currentBoot);
            if (problem != null) throw new IncompatibleTableException(path + ": " + problem);
            return new PreviousTable(header, arena, new EntrySlab(all.asSlice(TableHeader.BYTES), header.capacity()));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() { return path; }

    public int capacity() { return capacity; }

    /** The entry memory to build a {@link ConnectionTable} on: {@link ConnectionTable#entryBytes} of capacity. */
    public MemorySegment entries() { return entries; }

    /** Unmaps the file (it stays in /dev/shm); no table may use its entries any more. */
    @Override
    public void close() {
        arena.close();
    }

    /** A table file whose header this build cannot read back (other layout, other boot, truncated). */
    public static final class IncompatibleTableException extends IOException {
        public IncompatibleTableException(String message) {
            super(message);
        }
    }
}
