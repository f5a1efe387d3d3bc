package io.jlvs.daemon;

import io.jlvs.connections.PreviousTable;
import io.jlvs.connections.TableFile;
import io.jlvs.connections.TableHeader;
import io.jlvs.forwarder.IpvsRuntime;
import io.jlvs.forwarder.ReattachReport;
import io.jlvs.platform.hostguard.NetnsId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * What a daemon keeps in /dev/shm so that the next one (after a restart, or a crash) carries on where it stopped:
 * the connection table's entries ({@code jlvs-NETNSINODE-HASH.conns}, a {@link TableFile}) and the desired state
 * in force ({@code jlvs-NETNSINODE-HASH.ipvs}, in {@code jlvsadm -S} form, rewritten after every change). One
 * pair per network namespace and control socket (HASH: of the socket's path), so that several daemons of one
 * host keep apart. /dev/shm is memory: nothing survives a reboot, and the table's CLOCK_MONOTONIC deadlines would
 * mean nothing after one anyway.
 *
 * <p>Beside the table, the SYN proxy's records of its connections ({@code .splices}) and FullNAT's ({@code .fullnat}),
 * each a {@link RecordsFile}, moved aside and read back with it, so that proxied connections are joined again and
 * FullNAT connections keep their local ports.
 *
 * <p>At start a table file of a previous daemon is moved aside ({@code .previous}), a new one is created for this
 * daemon, and {@link #reattach} copies the previous entries into it once the desired state is restored, then
 * deletes the old file. A previous file of another layout or boot is refused with a message and deleted: the
 * daemon starts with an empty table, never with a doubtful one.
 */
public final class TableStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableStore.class);
    /** Where the files are: shared memory, kept across daemons, gone at reboot. */
    public static final Path DIRECTORY = Path.of("/dev/shm");

    private final Path tablePath;
    private final Path previousPath;
    private final Path statePath;
    private final Path previousSplicesPath;
    private final Path previousFullNatPath;
    private final TableFile file;
    private final RecordsFile splices;
    private final RecordsFile fullNats;
    private final boolean hasPrevious;

    private TableStore(Path tablePath, Path previousPath, Path statePath, Path previousSplicesPath,
                       Path previousFullNatPath, TableFile file, RecordsFile splices, RecordsFile fullNats,
                       boolean hasPrevious) {
        this.tablePath = tablePath;
        this.previousPath = previousPath;
        this.statePath = statePath;
        this.previousSplicesPath = previousSplicesPath;
        this.previousFullNatPath = previousFullNatPath;
        this.file = file;
        this.splices = splices;
        this.fullNats = fullNats;
        this.hasPrevious = hasPrevious;
    }

    /** The base name of the files of a daemon with this control socket in the calling thread's namespace. */
    static String baseName(Path controlSocket) throws IOException {
        return "jlvs-" + NetnsId.current() + "-" + socketHash(controlSocket);
    }

    /** The short hash of a control socket's path in the names of its daemon's files. */
    public static String socketHash(Path controlSocket) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(controlSocket.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Creates this daemon's table file in {@code directory}, moving a previous daemon's aside for {@link #reattach}.
     *
     * @throws IOException if the previous daemon still runs, or the file cannot be made
     */
    static TableStore open(Path directory, String baseName, int capacity) throws IOException {
        Path table = directory.resolve(baseName + ".conns");
        Path previous = directory.resolve(baseName + ".conns.previous");
        Path state = directory.resolve(baseName + ".ipvs");
        Path splices = directory.resolve(baseName + ".splices");
        Path previousSplices = directory.resolve(baseName + ".splices.previous");
        Path fullNat = directory.resolve(baseName + ".fullnat");
        Path previousFullNat = directory.resolve(baseName + ".fullnat.previous");
        long pid = ProcessHandle.current().pid();
        if (Files.exists(table)) {
            refuseIfOwnerRuns(table, pid);
            // A .previous next to a table means the daemon before died while re-attaching: the older file is the
            // complete one, the newer holds only the copies it had made.
            if (Files.exists(previous)) {
                Files.delete(table);
                Files.deleteIfExists(splices);
                Files.deleteIfExists(fullNat);
            } else {
                moveAside(splices, previousSplices);
                moveAside(fullNat, previousFullNat);
                Files.move(table, previous, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.deleteIfExists(splices); // records without their table are of no connection
        Files.deleteIfExists(fullNat);
        TableFile file = TableFile.create(table, capacity, pid, NetnsId.processStartTime(pid),
                TableHeader.currentBootId());
        RecordsFile records = null, fullNatRecords;
        try {
            records = RecordsFile.create(splices, RecordsFile.Kind.SPLICES, capacity);
            fullNatRecords = RecordsFile.create(fullNat, RecordsFile.Kind.FULLNAT, capacity);
        } catch (IOException | RuntimeException e) {
            if (records != null) records.close();
            file.close();
            throw e;
        }
        return new TableStore(table, previous, state, previousSplices, previousFullNat, file, records, fullNatRecords,
                Files.exists(previous));
    }

    private static void moveAside(Path records, Path previous) throws IOException {
        Files.deleteIfExists(previous);
        if (Files.exists(records)) Files.move(records, previous, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void refuseIfOwnerRuns(Path table, long self) throws IOException {
        TableHeader header;
        try {
            header = TableFile.readHeader(table);
        } catch (IOException e) {
            return; // no readable header: nobody can be using it as a table
        }
        long owner = header.ownerPid();
        if (owner != self && owner > 0 && NetnsId.processStartTime(owner) == header.ownerStartTime()) {
            throw new IOException("another jlvs daemon (pid " + owner + ") uses the connection table " + table
                    + "; stop it first");
        }
    }

    MemorySegment entries() { return file.entries(); }

    int capacity() { return file.capacity(); }

    /** Where the SYN proxy keeps its records of this table's connections ({@code DataPlane.keepSynProxyStatesIn}). */
    MemorySegment spliceRecords() { return splices.records(); }

    /** Where FullNAT keeps its records of this table's connections ({@code DataPlane.keepFullNatStatesIn}). */
    MemorySegment fullNatRecords() { return fullNats.records(); }

    Path tablePath() { return tablePath; }

    /** The desired state the previous daemon had in force, in {@code jlvsadm -S} form, if it left one. */
    Optional<String> savedState() throws IOException {
        return Files.exists(statePath) ? Optional.of(Files.readString(statePath)) : Optional.empty();
    }

    /** Replaces the saved desired state at once (write aside, then rename), so a crash leaves the old or the new. */
    void saveState(String rules) throws IOException {
        Path tmp = statePath.resolveSibling(statePath.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, rules);
        Files.move(tmp, statePath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Copies the previous daemon's live connections into this daemon's table, bound to the services running now
     * (restore the desired state first), logs what came back and what was dropped and why, and deletes the
     * previous file. Does nothing when there was none.
     */
    Optional<ReattachReport> reattach(IpvsRuntime runtime) throws IOException {
        if (!hasPrevious) return Optional.empty();
        UUID boot = TableHeader.currentBootId();
        try (PreviousTable previous = TableFile.readPrevious(previousPath, boot);
             RecordsFile records = previousRecords(previousSplicesPath, RecordsFile.Kind.SPLICES,
                     previous.header().capacity(), "its proxied connections are not joined");
             RecordsFile fullNatRecords = previousRecords(previousFullNatPath, RecordsFile.Kind.FULLNAT,
                     previous.header().capacity(), "its FullNAT connections are dropped")) {
            ReattachReport report = runtime.reattach(previous, records == null ? null : records.records(),
                    fullNatRecords == null ? null : fullNatRecords.records(), System.nanoTime());
            LOG.info("connection table of the previous daemon (pid {}, {}): {}", previous.header().ownerPid(),
                    tablePath, report);
            return Optional.of(report);
        } catch (TableFile.IncompatibleTableException e) {
            LOG.warn("the previous daemon's connection table is not re-attached, starting with an empty table: {}",
                    e.getMessage());
            return Optional.empty();
        } finally {
            Files.deleteIfExists(previousPath);
            Files.deleteIfExists(previousSplicesPath);
            Files.deleteIfExists(previousFullNatPath);
        }
    }

    /** The previous daemon's records of a kind, or null (logged with the consequence) when none can be read. */
    private static RecordsFile previousRecords(Path path, RecordsFile.Kind kind, int capacity, String consequence) {
        if (!Files.exists(path)) return null;
        try {
            return RecordsFile.readPrevious(path, kind, capacity);
        } catch (IOException e) {
            LOG.warn("the previous daemon's {} are not read, {}: {}", kind.what, consequence, e.getMessage());
            return null;
        }
    }

    /** Unmaps the table and the records (close the table first); the files stay for the next daemon. */
    @Override
    public void close() {
        fullNats.close();
        splices.close();
        file.close();
    }
}
