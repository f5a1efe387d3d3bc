package io.jlvs.connections;

import java.lang.foreign.Arena;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The director's connection table: a bounded off-heap slab of entries indexed by the inbound key
 * <proto, client addr, client port, virtual addr, virtual port> and by the outbound key
 * <proto, real addr, real port, client addr, client port>, with IPVS's TCP state machine, timeouts and
 * active/inactive accounting per real server.
 *
 * <p>Threads: any number of forwarding threads call the lookups, {@link #create} and {@link #onPacket};
 * one housekeeping thread calls {@link #expire}; control threads list ({@link #forEach}) and remove
 * ({@link #removeByDest}). Lookups, onPacket and listings take no lock; create and removals take two striped
 * spin locks (inbound stripe, then outbound stripe) for the duration of a chain walk.
 *
 * <p>A handle is {@code slot | generation << 32}; it goes stale when the entry dies, and every call taking a
 * handle validates it against the entry's generation (except the address and port getters, which are meant to
 * be read right after a successful {@link #onPacket}).
 *
 * <p>Memory: 104 bytes per entry plus 8 bytes per entry of bucket heads (two indexes, a power-of-two bucket
 * count at least the capacity), allocated once; nothing is allocated on the Java heap per connection.
 */
public final class ConnectionTable implements AutoCloseable {
    public static final int DIR_INPUT = 0, DIR_OUTPUT = 1, DIR_INPUT_ONLY = 2;
    public static final int PROTO_TCP = 6, PROTO_UDP = 17;
    /** Entries examined at most per {@link #expire(long)} call. */
    public static final int DEFAULT_EXPIRE_BUDGET = 1 << 18;
    private static final long REARM_SLACK_NANOS = 16_000_000L;

    static final int NIL = -1;
    /**
     * Deadline of an entry the housekeeping thread has decided to expire. Claiming the deadline with a CAS
     * makes "expired" and "refreshed by a packet" mutually exclusive: onPacket's CAS of the old deadline fails.
     */
    static final long DYING = Long.MIN_VALUE;
    private static final int WHEEL_TICKS = 1024;
    private static final int MAX_STRIPES = 4096;
    private static final int MAX_CAPACITY = 1 << 30;
    /** Steps of a lock-free chain walk after which it checks whether a writer moved it off its chain. */
    private static final int WALK_CHECK_STEPS = 64;

    private final int capacity;
    private final ConnectionEvents events;
    private final Arena arena = Arena.ofShared();
    private final EntrySlab slab;
    private final ChainIndex inbound;
    private final ChainIndex outbound;
    private final SlotFreeList freeSlots;
    private final TimerWheel wheel;
    private final FlowHash flowHash = new FlowHash(ThreadLocalRandom.current().nextLong());
    private final AtomicLong fullDrops = new AtomicLong();
    private final Object housekeeping = new Object();
    private final Object timeoutUpdates = new Object();
    private volatile StateTimeouts timeouts;
    /** Wheel entries examined by expire since creation (housekeeping thread only; for tests and stats). */
    private long examined;

    public ConnectionTable(int capacity, ConnectionEvents events, Timeouts timeouts) {
        if (capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 1.." + MAX_CAPACITY + ": " + capacity);
        }
        this.capacity = capacity;
        this.events = events == null ? ConnectionEvents.NONE : events;
        this.timeouts = new StateTimeouts(timeouts == null ? Timeouts.DEFAULTS : timeouts);
        int buckets = Math.max(16, Integer.highestOneBit(capacity - 1) << 1);
        int stripes = Math.clamp(buckets / 256, 16, MAX_STRIPES);
        this.slab = new EntrySlab(arena, capacity);
        this.inbound = new ChainIndex(arena, slab, EntrySlab.IN_NEXT, buckets, stripes);
        this.outbound = new ChainIndex(arena, slab, EntrySlab.OUT_NEXT, buckets, stripes);
        this.freeSlots = new SlotFreeList(slab);
        this.wheel = new TimerWheel(slab, WHEEL_TICKS);
    }

    // ------------------------------------------------------------------ lookups

    /** The connection of a client packet, or -1. */
    public long lookupInbound(int proto, long cHi, long cLo, int cPort, long vHi, long vLo, int vPort) {
        int bucket = inbound.bucket(flowHash.hash(proto, cHi, cLo, cPort, vHi, vLo, vPort));
        int stripe = inbound.stripe(bucket);
        retry:
        for (;;) {
            long seq = inbound.stableSequence(stripe);
            int slot = inbound.head(bucket);
            int steps = 0;
            while (slot != NIL) {
                long word = slab.wordAcquire(slot);
                if (!EntrySlab.isLive(word)) continue retry; // freed under our feet: its chain changed
                boolean match = slab.matchesInbound(slot, proto, cHi, cLo, cPort, vHi, vLo, vPort);
                int next = inbound.next(slot);
                VarHandle.loadLoadFence();
                if (EntrySlab.generation(slab.wordPlain(slot)) != EntrySlab.generation(word)) continue retry;
                if (match) return handle(slot, word);
                slot = next;
                if (++steps % WALK_CHECK_STEPS == 0 && !inbound.unchanged(stripe, seq)) continue retry;
            }
            if (inbound.unchanged(stripe, seq)) return -1;
        }
    }

    /** The connection of a real server's reply (NAT), or -1. */
    public long lookupOutbound(int proto, long rHi, long rLo, int rPort, long cHi, long cLo, int cPort) {
        int bucket = outbound.bucket(flowHash.hash(proto, rHi, rLo, rPort, cHi, cLo, cPort));
        int stripe = outbound.stripe(bucket);
        retry:
        for (;;) {
            long seq = outbound.stableSequence(stripe);
            int slot = outbound.head(bucket);
            int steps = 0;
            while (slot != NIL) {
                long word = slab.wordAcquire(slot);
                if (!EntrySlab.isLive(word)) continue retry;
                boolean match = slab.matchesOutbound(slot, proto, rHi, rLo, rPort, cHi, cLo, cPort);
                int next = outbound.next(slot);
                VarHandle.loadLoadFence();
                if (EntrySlab.generation(slab.wordPlain(slot)) != EntrySlab.generation(word)) continue retry;
                if (match) return handle(slot, word);
                slot = next;
                if (++steps % WALK_CHECK_STEPS == 0 && !outbound.unchanged(stripe, seq)) continue retry;
            }
            if (outbound.unchanged(stripe, seq)) return -1;
        }
    }

    // ------------------------------------------------------------------ create and per-packet update

    /**
     * Creates a connection in state NONE (TCP; the caller then applies the creating packet with
     * {@link #onPacket}) counted inactive for {@code destId}. Returns its handle, or -1 when the table is full
     * (counted in {@link #fullDrops()}) or when a connection with the same inbound key exists (look it up).
     */
    public long create(int proto, long cHi, long cLo, int cPort, long vHi, long vLo, int vPort,
                       long rHi, long rLo, int rPort, int serviceId, int destId, int flags, long nowNanos) {
        int inBucket = inbound.bucket(flowHash.hash(proto, cHi, cLo, cPort, vHi, vLo, vPort));
        int outBucket = outbound.bucket(flowHash.hash(proto, rHi, rLo, rPort, cHi, cLo, cPort));
        int inStripe = inbound.stripe(inBucket);
        int outStripe = outbound.stripe(outBucket);
        long deadline = nowNanos + timeouts.nanos(proto, TcpState.NONE);
        int slot;
        long word;
        inbound.lock(inStripe);
        try {
            for (int s = inbound.head(inBucket); s != NIL; s = inbound.next(s)) {
                if (slab.matchesInbound(s, proto, cHi, cLo, cPort, vHi, vLo, vPort)) return -1;
            }
            slot = freeSlots.pop();
            if (slot == NIL) {
                fullDrops.incrementAndGet();
                return -1;
            }
            slab.fill(slot, proto, cHi, cLo, cPort, vHi, vLo, vPort, rHi, rLo, rPort, serviceId, destId, flags,
                    deadline);
            slab.setLink(slot, EntrySlab.TIMER_PREV, TimerWheel.NOT_FILED);
            word = EntrySlab.liveWord(slab.wordPlain(slot), proto, TcpState.NONE);
            outbound.lock(outStripe);
            try {
                slab.publishWord(slot, word);
                inbound.push(inBucket, slot);
                outbound.push(outBucket, slot);
            } finally {
                outbound.unlock(outStripe);
            }
            inbound.addCount(inStripe, 1);
        } finally {
            inbound.unlock(inStripe);
        }
        wheel.pushIncoming(slot);
        events.countsChanged(destId, 0, 1);
        return handle(slot, word);
    }

    /**
     * Applies one packet: IPVS's TCP state transition for the direction and flags (other protocols: none),
     * re-arms the timeout of the resulting state, and reports active/inactive changes. Returns the new state
     * (always 0 for non-TCP), or -1 if the handle is stale.
     */
    public int onPacket(long handle, int direction, int tcpFlags, long nowNanos) {
        int slot = (int) handle;
        int generation = (int) (handle >>> 32);
        if (handle < 0 || slot >= capacity) return -1;
        for (;;) {
            long word = slab.wordAcquire(slot);
            if (EntrySlab.generation(word) != generation) return -1;
            int old = EntrySlab.state(word);
            int next = EntrySlab.proto(word) == PROTO_TCP
                    ? TcpTransitions.next(direction, TcpState.flagIndex(tcpFlags), old) : old;
            if (next == old) break;
            int destId = slab.destId(slot);
            if (slab.casWord(slot, word, EntrySlab.withState(word, next))) {
                boolean nowActive = TcpState.isActive(next);
                if (nowActive != TcpState.isActive(old)) {
                    events.countsChanged(destId, nowActive ? 1 : -1, nowActive ? -1 : 1);
                }
                break;
            }
        }
        StateTimeouts t = timeouts;
        for (;;) {
            long deadline = slab.deadline(slot);
            long word = slab.wordAcquire(slot);
            if (EntrySlab.generation(word) != generation || deadline == DYING) return -1;
            long rearmed = nowNanos + t.nanos(EntrySlab.proto(word), EntrySlab.state(word));
            // A busy flow re-arms on every packet; moving the deadline by less than the slack changes nothing an
            // operator can see (expiry runs on 1 s ticks) and would cost a contended write per packet.
            if (rearmed >= deadline && rearmed - deadline < REARM_SLACK_NANOS) return EntrySlab.state(word);
            // CAS, not a store: if the slot died and was reused since we read the word, its deadline changed.
            if (rearmed != deadline && !slab.casDeadline(slot, deadline, rearmed)) continue;
            if (rearmed < deadline && Math.ceilDiv(rearmed, TimerWheel.TICK_NANOS)
                    < Math.ceilDiv(deadline, TimerWheel.TICK_NANOS)) {
                requestRefile(slot, generation);
            }
            return EntrySlab.state(word);
        }
    }

    /** The wheel would look at the entry too late: ask the housekeeping thread to move it (once). */
    private void requestRefile(int slot, int generation) {
        for (;;) {
            long word = slab.wordAcquire(slot);
            if (EntrySlab.generation(word) != generation || (word & EntrySlab.QUEUED) != 0) return;
            if (slab.casWord(slot, word, word | EntrySlab.QUEUED)) {
                wheel.pushRefile(slot);
                return;
            }
        }
    }

    // ------------------------------------------------------------------ getters by handle

    public boolean isLive(long h) {
        return h >= 0 && (int) h < capacity && EntrySlab.generation(slab.wordAcquire((int) h)) == (int) (h >>> 32);
    }

    /** TCP state (0 for other protocols), or -1 if stale. */
    public int state(long h) {
        if (!isLive(h)) return -1;
        long word = slab.wordAcquire((int) h);
        return EntrySlab.generation(word) == (int) (h >>> 32) ? EntrySlab.state(word) : -1;
    }

    public int protocol(long h) {
        if (!isLive(h)) return -1;
        long word = slab.wordAcquire((int) h);
        return EntrySlab.generation(word) == (int) (h >>> 32) ? EntrySlab.proto(word) : -1;
    }

    public int serviceId(long h) { return isLive(h) ? validated(h, slab.serviceId((int) h)) : -1; }
    public int destId(long h) { return isLive(h) ? validated(h, slab.destId((int) h)) : -1; }
    public int flags(long h) { return isLive(h) ? validated(h, slab.flags((int) h)) : -1; }
    /** Deadline of the entry, or -1 if stale or being expired. */
    public long expiresAtNanos(long h) {
        if (!isLive(h)) return -1;
        long deadline = slab.deadline((int) h);
        return isLive(h) && deadline != DYING ? deadline : -1;
    }

    // Addresses and ports: not validated (see the class comment).
    public long clientHi(long h) { return slab.clientHi((int) h); }
    public long clientLo(long h) { return slab.clientLo((int) h); }
    public int clientPort(long h) { return slab.clientPort((int) h); }
    public long virtualHi(long h) { return slab.virtualHi((int) h); }
    public long virtualLo(long h) { return slab.virtualLo((int) h); }
    public int virtualPort(long h) { return slab.virtualPort((int) h); }
    public long realHi(long h) { return slab.realHi((int) h); }
    public long realLo(long h) { return slab.realLo((int) h); }
    public int realPort(long h) { return slab.realPort((int) h); }

    private int validated(long h, int value) {
        VarHandle.loadLoadFence();
        return isLive(h) ? value : -1;
    }

    private static long handle(int slot, long word) {
        return ((long) EntrySlab.generation(word) << 32) | slot;
    }

    // ------------------------------------------------------------------ expiry

    public int expire(long nowNanos) {
        return expire(nowNanos, DEFAULT_EXPIRE_BUDGET);
    }

    /**
     * Frees the connections whose deadline passed, looking only at the wheel entries due by now (at most
     * {@code budget} of them; the rest waits for the next call). Returns the number of connections expired.
     * Meant for one housekeeping thread every 100 ms to 1 s; concurrent calls are serialized.
     */
    public int expire(long nowNanos, int budget) {
        synchronized (housekeeping) {
            long nowTick = TimerWheel.tickOf(nowNanos);
            wheel.startPass(nowTick);
            fileNewEntries();
            applyRefiles();
            int expired = 0;
            for (int work = 0; work < budget; work++) {
                int slot = wheel.nextDue(nowTick);
                if (slot == NIL) break;
                examined++;
                if (examine(slot, nowNanos)) expired++;
            }
            return expired;
        }
    }

    /** Wheel entries examined by {@link #expire} so far: shows that expiry does not scan the table. */
    long examinedEntries() {
        synchronized (housekeeping) {
            return examined;
        }
    }

    private void fileNewEntries() {
        for (int slot = wheel.takeIncoming(); slot != NIL; ) {
            int next = slab.link(slot, EntrySlab.TIMER_NEXT);
            long word = slab.wordAcquire(slot);
            if (EntrySlab.isLive(word) || (word & EntrySlab.QUEUED) != 0) {
                wheel.file(slot, slab.deadline(slot));
            } else {
                freeSlots.push(slot); // removed before it was ever filed
            }
            slot = next;
        }
    }

    private void applyRefiles() {
        for (int slot = wheel.takeRefiles(); slot != NIL; ) {
            int next = slab.link(slot, EntrySlab.REFILE_NEXT); // read before QUEUED clears: then it may be reused
            long word;
            do {
                word = slab.wordAcquire(slot);
            } while (!slab.casWord(slot, word, word & ~EntrySlab.QUEUED));
            if (wheel.isFiled(slot)) {
                wheel.unlink(slot);
                if (EntrySlab.isLive(word)) wheel.file(slot, slab.deadline(slot));
                else freeSlots.push(slot);
            } else if (wheel.isDetached(slot)) {
                freeSlots.push(slot); // dead, waited for this drain
            }
            // else still in the incoming stack: filed (and freed if dead) from there
            slot = next;
        }
    }

    /** One due entry, already taken off the wheel: free it, expire it or file it again. */
    private boolean examine(int slot, long now) {
        for (;;) {
            long word = slab.wordAcquire(slot);
            if (!EntrySlab.isLive(word)) {
                releaseDead(slot, word);
                return false;
            }
            long deadline = slab.deadline(slot);
            if (deadline > now) {
                wheel.file(slot, deadline);
                return false;
            }
            if (kill(slot, EntrySlab.generation(word), true, now, false)) {
                releaseDead(slot, slab.wordAcquire(slot));
                return true;
            }
        }
    }

    /** A dead entry that is on no wheel list: free it, unless the refile stack still links it. */
    private void releaseDead(int slot, long word) {
        if ((word & EntrySlab.QUEUED) == 0) freeSlots.push(slot);
        // else: left DETACHED, freed by applyRefiles
    }

    /**
     * Unlinks a live entry from both indexes and marks it dead (its slot is freed later by the housekeeping
     * thread). False if it is no longer that live entry, or if {@code onlyIfExpired} and it was refreshed.
     * With {@code reclaim} (removals outside the housekeeping thread) the dead entry is queued on the refile
     * stack so that its slot returns to the free list at the next expire call, not at its old deadline.
     */
    private boolean kill(int slot, int generation, boolean onlyIfExpired, long now, boolean reclaim) {
        // Key fields are stable while the generation lives; if it died meanwhile the check under the locks fails.
        int proto = slab.proto(slot);
        long cHi = slab.clientHi(slot), cLo = slab.clientLo(slot);
        int cPort = slab.clientPort(slot);
        int inBucket = inbound.bucket(flowHash.hash(proto, cHi, cLo, cPort,
                slab.virtualHi(slot), slab.virtualLo(slot), slab.virtualPort(slot)));
        int outBucket = outbound.bucket(flowHash.hash(proto, slab.realHi(slot), slab.realLo(slot),
                slab.realPort(slot), cHi, cLo, cPort));
        int inStripe = inbound.stripe(inBucket);
        int outStripe = outbound.stripe(outBucket);
        int serviceId, destId;
        long word;
        inbound.lock(inStripe);
        try {
            outbound.lock(outStripe);
            try {
                if (EntrySlab.generation(slab.wordAcquire(slot)) != generation) return false;
                if (onlyIfExpired) {
                    long deadline = slab.deadline(slot);
                    if (deadline > now || !slab.casDeadline(slot, deadline, DYING)) return false; // refreshed
                }
                serviceId = slab.serviceId(slot);
                destId = slab.destId(slot);
                inbound.unlink(inBucket, slot);
                outbound.unlink(outBucket, slot);
                // Dead only once unlinked: whoever sees it dead may free the slot. The CAS can only lose to
                // onPacket changing the state or QUEUED bit: kills are serialized by the stripe locks.
                do {
                    word = slab.wordAcquire(slot);
                } while (!slab.casWord(slot, word, EntrySlab.deadWord(word) | (reclaim ? EntrySlab.QUEUED : 0)));
            } finally {
                outbound.unlock(outStripe);
            }
            inbound.addCount(inStripe, -1);
        } finally {
            inbound.unlock(inStripe);
        }
        // Nobody sets QUEUED on a dead word, so if it was clear before, this thread owns the push.
        if (reclaim && (word & EntrySlab.QUEUED) == 0) wheel.pushRefile(slot);
        boolean active = EntrySlab.proto(word) == PROTO_TCP && TcpState.isActive(EntrySlab.state(word));
        events.countsChanged(destId, active ? -1 : 0, active ? 0 : -1);
        events.expired(serviceId, destId);
        return true;
    }

    // ------------------------------------------------------------------ control plane

    /** Lists the connections with {@link System#nanoTime()} as the clock (see {@link #forEach(ConnectionVisitor, long)}). */
    public void forEach(ConnectionVisitor visitor) {
        forEach(visitor, System.nanoTime());
    }

    /**
     * Weakly consistent listing without locks: every connection live for the whole call is visited once, with
     * a consistent copy of its fields; connections created or removed meanwhile may or may not be.
     */
    public void forEach(ConnectionVisitor visitor, long nowNanos) {
        ConnectionView view = new ConnectionView();
        for (int slot = 0; slot < capacity; slot++) {
            if (read(slot, view, nowNanos)) visitor.visit(view);
        }
    }

    /**
     * Removes one connection at once, from any thread (conn_reuse_mode: a new SYN on the tuple of a closing
     * connection is scheduled afresh). Returns false when the handle is stale.
     */
    public boolean removeNow(long h) {
        return isLive(h) && kill((int) h, (int) (h >>> 32), false, 0, true);
    }

    /** Removes the connections of a deleted real server (expire_nodest_conn). Returns how many. */
    public int removeByDest(int destId) {
        int removed = 0;
        for (int slot = 0; slot < capacity; slot++) {
            long word = slab.wordAcquire(slot);
            if (EntrySlab.isLive(word) && slab.destId(slot) == destId
                    && kill(slot, EntrySlab.generation(word), false, 0, true)) {
                removed++;
            }
        }
        return removed;
    }

    /** Removes the connections the filter accepts (it sees a view with remaining time at {@code nowNanos}). */
    public int removeIf(Predicate<ConnectionView> filter, long nowNanos) {
        ConnectionView view = new ConnectionView();
        int removed = 0;
        for (int slot = 0; slot < capacity; slot++) {
            if (read(slot, view, nowNanos) && filter.test(view)
                    && kill(slot, (int) (view.handle >>> 32), false, 0, true)) {
                removed++;
            }
        }
        return removed;
    }

    private boolean read(int slot, ConnectionView view, long now) {
        long word = slab.wordAcquire(slot);
        if (!EntrySlab.isLive(word)) return false;
        view.handle = handle(slot, word);
        view.protocol = EntrySlab.proto(word);
        view.state = EntrySlab.state(word);
        view.clientHi = slab.clientHi(slot);
        view.clientLo = slab.clientLo(slot);
        view.clientPort = slab.clientPort(slot);
        view.virtualHi = slab.virtualHi(slot);
        view.virtualLo = slab.virtualLo(slot);
        view.virtualPort = slab.virtualPort(slot);
        view.realHi = slab.realHi(slot);
        view.realLo = slab.realLo(slot);
        view.realPort = slab.realPort(slot);
        view.serviceId = slab.serviceId(slot);
        view.destId = slab.destId(slot);
        view.flags = slab.flags(slot);
        view.expiresAtNanos = slab.deadline(slot);
        view.remainingNanos = view.expiresAtNanos == DYING ? 0 : Math.max(0, view.expiresAtNanos - now);
        VarHandle.loadLoadFence();
        return EntrySlab.generation(slab.wordPlain(slot)) == EntrySlab.generation(word);
    }

    /** ipvsadm --set: a 0 keeps the current value. Applies from each connection's next packet. */
    public void setTimeouts(Timeouts update) {
        synchronized (timeoutUpdates) {
            timeouts = new StateTimeouts(timeouts.seconds.merge(update));
        }
    }

    public Timeouts timeouts() { return timeouts.seconds; }

    public int size() { return (int) inbound.count(); }

    public int capacity() { return capacity; }

    /** New connections refused because the table was full. */
    public long fullDrops() { return fullDrops.get(); }

    /** Off-heap and index memory held by the table, fixed at construction. */
    public long memoryBytes() {
        return slab.bytes() + inbound.bytes() + outbound.bytes() + wheel.bytes();
    }

    /** Frees the off-heap memory; no other thread may use the table any more. */
    @Override
    public void close() {
        arena.close();
    }
}
