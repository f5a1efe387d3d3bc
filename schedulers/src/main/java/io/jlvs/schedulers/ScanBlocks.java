package io.jlvs.schedulers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The blocks of one server set for the incremental least-load scans (lc, wlc, sed, nq; see {@link BlockedLeastLoad}):
 * servers [b * SIZE, min((b + 1) * SIZE, n)) in set order form block b, and version b counts the changes of
 * everything those scans read of the block's servers (connection counts, OVERLOAD, weight). Every server points at
 * its block through a {@link Slot} and bumps the block's version after each such change, so a scheduler that cached
 * a block's winner with the version it read before computing it knows that the winner is still the kernel's answer
 * for that block while the version reads the same.
 *
 * <p>One instance per server set, shared by every lc/wlc/sed/nq instance bound to that same set (their cached winners
 * differ; the versions do not). A server has one slot: binding another set that contains it marks the blocks it
 * pointed at superseded, and schedulers still bound to those fall back to the plain scan, since their versions no
 * longer move. (After a server-set change the old set is superseded that way; a forwarding thread that read the
 * flag just before may finish one decision with its old cached winners.)
 */
final class ScanBlocks {
    /**
     * Servers per block. A decision reads one version and one winner per block and rescans the blocks that changed:
     * about n/SIZE cheap steps plus SIZE per changed block. Smaller blocks mean more steps, larger ones a longer
     * rescan per change: with servers changing all the time, 64 balances the two at a thousand servers.
     */
    static final int SIZE = 64;

    private static final VarHandle VERSIONS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Where a server bumps: its set's blocks and its block there. One final object, so it is never seen torn. */
    record Slot(ScanBlocks blocks, int block) {
        void bump() { blocks.bump(block); }
    }

    private final ServerSet servers;
    private final long[] versions;
    private volatile boolean superseded;

    private ScanBlocks(ServerSet servers) {
        this.servers = servers;
        this.versions = new long[(servers.size() + SIZE - 1) / SIZE];
    }

    /**
     * The blocks of this set: the existing ones when some lc/wlc/sed/nq instance was bound to this very set before and
     * no other set took its servers since; otherwise new ones, pointed at by every server of the set. Control plane.
     */
    static ScanBlocks of(ServerSet servers) {
        synchronized (ScanBlocks.class) {
            if (servers.isEmpty()) return new ScanBlocks(servers);
            Slot first = servers.get(0).scanSlot();
            if (first != null && first.blocks.servers == servers && !first.blocks.superseded) return first.blocks;
            ScanBlocks blocks = new ScanBlocks(servers);
            for (int i = 0; i < servers.size(); i++) {
                Destination s = servers.get(i);
                Slot previous = s.scanSlot();
                // Superseded before the server stops bumping them, so no reader trusts versions that stopped moving.
                if (previous != null) previous.blocks.superseded = true;
                s.setScanSlot(new Slot(blocks, i / SIZE));
            }
            return blocks;
        }
    }

    /**
     * A set that fits in one block gains nothing from cached winners (any change rescans the whole set) and would
     * pay the bump on every update, so the plain scan is faster there. Its servers
     * stop bumping whatever blocks they pointed at.
     */
    static boolean worthBlocks(ServerSet servers) { return servers.size() > SIZE; }

    /** For a set that keeps the plain scan: its servers stop bumping (see {@link #worthBlocks}). Control plane. */
    static void detach(ServerSet servers) {
        synchronized (ScanBlocks.class) {
            for (int i = 0; i < servers.size(); i++) {
                Destination s = servers.get(i);
                Slot previous = s.scanSlot();
                if (previous == null) continue;
                previous.blocks.superseded = true;
                s.setScanSlot(null);
            }
        }
    }

    /** A server left this set: it stops bumping these blocks (and stops keeping them reachable). */
    static void leave(Destination server, ServerSet servers) {
        synchronized (ScanBlocks.class) {
            Slot slot = server.scanSlot();
            if (slot != null && slot.blocks.servers == servers) {
                slot.blocks.superseded = true;
                server.setScanSlot(null);
            }
        }
    }

    ServerSet servers() { return servers; }

    int blockCount() { return versions.length; }

    static int from(int block) { return block * SIZE; }

    int to(int block) { return Math.min(block * SIZE + SIZE, servers.size()); }

    /** Acquire: whoever reads a version sees at least the server changes made before the bump that produced it. */
    long version(int block) { return (long) VERSIONS.getAcquire(versions, block); }

    /** After the change, so that a reader who sees the new version sees the change too. */
    void bump(int block) { VERSIONS.getAndAdd(versions, block, 1L); }

    /** True when a scheduler bound to these blocks must use the plain scan: see the class comment. */
    boolean superseded() { return superseded; }
}
