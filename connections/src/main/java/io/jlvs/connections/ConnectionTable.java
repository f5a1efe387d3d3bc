package io.jlvs.connections;

import io.jlvs.packets.Ipv4;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * <p>Lookups and {@link #create} read the flow from a {@link ConnectionParam} and {@link #lookup} copies the entry
 * it finds into a {@link ConnectionView}, both owned by the calling thread, so the per-packet path allocates
 * nothing and reads an entry once.
 *
 * <p>Threads: any number of forwarding threads call {@link #lookup}, {@link #create} and {@link #onPacket};
 * one housekeeping thread calls {@link #expire}; control threads list ({@link #forEach}) and remove
 * ({@link #removeByDest}). Lookups, onPacket and listings take no lock; create and removals take two striped
 * spin locks (inbound stripe, then outbound stripe) for the duration of a chain walk.
 *
 * <p>A handle is {@code slot | generation << 32}; it goes stale when the entry dies, and every call taking a
 * handle validates it against the entry's generation. Fields are read through a {@link ConnectionView} only
 * (lookup, {@link #read}, listings), each copy validated as a whole: a stale handle yields an invalid view, never
 * a field of whichever entry reuses its slot.
 *
 * <p>Memory: 112 bytes per entry plus 8 bytes per entry of bucket heads (two indexes, a power-of-two bucket
 * count at least the capacity), allocated off-heap once ({@link #offHeapBytes()}); nothing is allocated on the
 * Java heap per connection. The entries may live in memory the caller provides (a {@link TableFile} mapped from
 * /dev/shm): then a restarted daemon can read them back ({@link TableFile#readPrevious}) and re-create them
 * here with {@link #restore}; the indexes, the timer wheel and the free list are rebuilt, never read back.
 *
 * <p>Change feed: {@link #create(ConnectionParam, long, ConnectionView, ChangeRing)} and
 * {@link #onPacket(long, int, int, long, ChangeRing)} offer the handle of a connection worth sending to a
 * backup director to the calling worker's {@link ChangeRing}: UDP (and other non-TCP) connections when created and
 * TCP ones when they enter ESTABLISHED, FIN_WAIT, CLOSE, CLOSE_WAIT or TIME_WAIT, at once (IPVS sends an
 * ESTABLISHED connection only at its threshold-th packet, so a failover right after a connection opened would
 * break it); and, in those states, whenever the {@link SyncRule} (sync_threshold, sync_refresh_period,
 * sync_retries) says so, counting from that first offer.
 */
public final class ConnectionTable implements AutoCloseable {
    /**
     * Directions of a packet (the kernel's IP_VS_DIR_*): from the client (its key is protocol, client, virtual),
     * from the real server (protocol, real, client), and from the client of a connection whose replies do not
     * pass the director (DR, TUN: the state machine then follows the client's packets only).
     */
    public static final int DIR_INPUT = 0, DIR_OUTPUT = 1, DIR_INPUT_ONLY = 2;
    /** Entries examined at most per {@link #expire(long)} call. */
    public static final int DEFAULT_EXPIRE_BUDGET = 1 << 18;
    private static final long REARM_SLACK_NANOS = 16_000_000L;
    /** The kernel's floor under half a timeout for sync_refresh_period: 10 s. */
    private static final long MIN_REFRESH_NANOS = 10_000_000_000L;

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
    /** Bytes of every off-heap segment allocated through {@link #allocate}. */
    private long offHeapBytes;
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
    private volatile SyncRule syncRule = SyncRule.IPVS_DEFAULTS;
    /** The secure_tcp defence: TCP follows IPVS's tcp_states_dos while it is on. */
    private volatile boolean secureTcp;
    /** Wheel entries examined by expire since creation (housekeeping thread only; for tests and stats). */
    private long examined;

    /** A table with IPVS's default timeouts (see {@link #setTimeoutSeconds}). */
    public ConnectionTable(int capacity, ConnectionEvents events) {
        this(null, capacity, events);
    }

    /**
     * A table whose entries live in {@code entries} ({@link #entryBytes(int)} bytes, 64-byte aligned, zeroed;
     * for example a {@link TableFile}'s), or in memory of its own when null. The caller keeps {@code entries}
     * mapped until after {@link #close()}.
     */
    public ConnectionTable(MemorySegment entries, int capacity, ConnectionEvents events) {
        if (capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 1.." + MAX_CAPACITY + ": " + capacity);
        }
        this.capacity = capacity;
        this.events = events == null ? ConnectionEvents.NONE : events;
        this.timeouts = StateTimeouts.DEFAULTS;
        int buckets = Math.max(16, Integer.highestOneBit(capacity - 1) << 1);
        int stripes = Math.clamp(buckets / 256, 16, MAX_STRIPES);
        if (entries != null) {
            if (entries.byteSize() != entryBytes(capacity) || entries.address() % 64 != 0) {
                throw new IllegalArgumentException("entry memory must be " + entryBytes(capacity)
                        + " bytes, 64-byte aligned: " + entries);
            }
            offHeapBytes += entries.byteSize();
        }
        this.slab = new EntrySlab(entries != null ? entries : allocate(entryBytes(capacity)), capacity);
        this.inbound = new ChainIndex(allocate(4L * buckets), slab, EntrySlab.IN_NEXT, false, buckets, stripes);
        this.outbound = new ChainIndex(allocate(4L * buckets), slab, EntrySlab.OUT_NEXT, true, buckets, stripes);
        this.freeSlots = new SlotFreeList(slab);
        this.wheel = new TimerWheel(slab, WHEEL_TICKS);
    }

    /** Bytes of entry memory a table of {@code capacity} entries needs. */
    public static long entryBytes(int capacity) { return EntrySlab.ENTRY_BYTES * capacity; }

    /** Every off-heap segment of the table comes from here: 64-byte aligned, counted in {@link #offHeapBytes}. */
    private MemorySegment allocate(long bytes) {
        MemorySegment segment = arena.allocate(bytes, 64);
        offHeapBytes += segment.byteSize();
        return segment;
    }

    // ------------------------------------------------------------------ lookups

    /**
     * The connection of a packet, or -1: with {@link #DIR_INPUT} (or DIR_INPUT_ONLY) the packet comes from the
     * client and {@code key}'s protocol, client and virtual endpoints are read; with {@link #DIR_OUTPUT} it is a
     * real server's reply and the protocol, real and client endpoints are read.
     */
    public long lookup(ConnectionParam key, int direction) {
        return lookup(key, direction, null);
    }

    /**
     * {@link #lookup(ConnectionParam, int)} that also copies the entry found into {@code entry}, consistent with
     * the returned handle (read once, validated once); on a miss {@code entry} is left invalid.
     */
    public long lookup(ConnectionParam key, int direction, ConnectionView entry) {
        return direction == DIR_OUTPUT
                ? find(outbound, key.protocol, key.realHi, key.realLo, key.realPort,
                        key.clientHi, key.clientLo, key.clientPort, entry)
                : find(inbound, key.protocol, key.clientHi, key.clientLo, key.clientPort,
                        key.virtualHi, key.virtualLo, key.virtualPort, entry);
    }

    private long find(ChainIndex index, int proto, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort,
                      ConnectionView entry) {
        int bucket = index.bucket(flowHash.hash(proto, aHi, aLo, aPort, bHi, bLo, bPort));
        int stripe = index.stripe(bucket);
        retry:
        for (;;) {
            long seq = index.stableSequence(stripe);
            int slot = index.head(bucket);
            int steps = 0;
            while (slot != NIL) {
                long word = slab.wordAcquire(slot);
                if (!EntrySlab.isLive(word)) continue retry; // freed under our feet: its chain changed
                boolean match = index.matches(slot, proto, aHi, aLo, aPort, bHi, bLo, bPort);
                if (match && entry != null) slab.readInto(slot, entry);
                int next = index.next(slot);
                VarHandle.loadLoadFence();
                if (EntrySlab.generation(slab.wordPlain(slot)) != EntrySlab.generation(word)) continue retry;
                if (match) {
                    if (entry != null) entry.validate(handle(slot, word), word);
                    return handle(slot, word);
                }
                slot = next;
                if (++steps % WALK_CHECK_STEPS == 0 && !index.unchanged(stripe, seq)) continue retry;
            }
            if (index.unchanged(stripe, seq)) {
                if (entry != null) entry.invalidate();
                return -1;
            }
        }
    }

    // ------------------------------------------------------------------ create and per-packet update

    /**
     * Creates the connection {@code p} describes (every field is read) in state NONE (TCP; the caller then
     * applies the creating packet with {@link #onPacket}), counted inactive for its dest id. Returns its handle,
     * or -1 when the table is full (counted in {@link #fullDrops()}) or when a connection with the same inbound
     * key exists (look it up).
     */
    public long create(ConnectionParam p, long nowNanos) {
        return create(p, nowNanos, null);
    }

    /**
     * {@link #create(ConnectionParam, long)} that also fills {@code created} with the new entry as created
     * (state NONE), or leaves it invalid when nothing was created.
     */
    public long create(ConnectionParam p, long nowNanos, ConnectionView created) {
        return create(p, nowNanos, created, null);
    }

    /**
     * {@link #create(ConnectionParam, long, ConnectionView)} that offers the new connection to {@code feed}
     * (the calling worker's ring, or null) when it is worth sending at once: a non-TCP one.
     */
    public long create(ConnectionParam p, long nowNanos, ConnectionView created, ChangeRing feed) {
        long deadline = nowNanos + timeouts.nanos(p.protocol, TcpState.NONE);
        long handle = insert(p, TcpState.NONE, deadline, created);
        if (handle >= 0 && feed != null && p.protocol != Ipv4.PROTO_TCP) {
            // The offer at creation stands in for the threshold-th packet's: the count starts there.
            slab.setInPackets((int) handle, syncRule.threshold());
            feed.offer(handle);
        }
        return handle < 0 ? -1 : handle;
    }

    /** {@link #restore}: a connection with the same inbound key exists. */
    public static final long EXISTS = -1;
    /** {@link #restore}: the table is full (counted in {@link #fullDrops()}). */
    public static final long FULL = -2;

    /**
     * Creates a connection in a given state with a given deadline: an entry read back from a previous daemon's
     * table, or one a backup director learns from its master. Returns its handle, {@link #EXISTS} when a
     * connection with the same inbound key exists (update it with {@link #update}), or {@link #FULL}.
     *
     * @throws IllegalArgumentException if the state is not a TCP state (0 for other protocols)
     */
    public long restore(ConnectionParam p, int state, long deadlineNanos) {
        checkState(p.protocol, state);
        return insert(p, state, deadlineNanos, null);
    }

    /**
     * Sets the state and the deadline of a live connection (active/inactive counts follow the state), as a
     * backup does when its master reports a change. Returns false if the handle is stale.
     */
    public boolean update(long h, int state, long deadlineNanos) {
        int slot = (int) h;
        int generation = (int) (h >>> 32);
        if (h < 0 || slot >= capacity) return false;
        for (;;) {
            long word = slab.wordAcquire(slot);
            if (EntrySlab.generation(word) != generation) return false;
            checkState(EntrySlab.proto(word), state);
            int old = EntrySlab.state(word);
            if (old == state) break;
            if (slab.casWord(slot, word, EntrySlab.withState(word, state))) {
                if (EntrySlab.proto(word) == Ipv4.PROTO_TCP && TcpState.isActive(state) != TcpState.isActive(old)) {
                    boolean nowActive = TcpState.isActive(state);
                    events.countsChanged(slab.destId(slot), nowActive ? 1 : -1, nowActive ? -1 : 1);
                }
                break;
            }
        }
        for (;;) {
            long deadline = slab.deadline(slot);
            if (EntrySlab.generation(slab.wordAcquire(slot)) != generation || deadline == DYING) return false;
            if (deadline == deadlineNanos) return true;
            if (!slab.casDeadline(slot, deadline, deadlineNanos)) continue;
            if (Math.ceilDiv(deadlineNanos, TimerWheel.TICK_NANOS) < Math.ceilDiv(deadline, TimerWheel.TICK_NANOS)) {
                requestRefile(slot, generation);
            }
            return true;
        }
    }

    private static void checkState(int proto, int state) {
        if (proto == Ipv4.PROTO_TCP ? state < 0 || state >= TcpState.COUNT : state != 0) {
            throw new IllegalArgumentException("state " + state + " for protocol " + proto);
        }
    }

    private long insert(ConnectionParam p, int state, long deadline, ConnectionView created) {
        int proto = p.protocol;
        int inBucket = inbound.bucket(flowHash.hash(proto, p.clientHi, p.clientLo, p.clientPort,
                p.virtualHi, p.virtualLo, p.virtualPort));
        int outBucket = outbound.bucket(flowHash.hash(proto, p.realHi, p.realLo, p.realPort,
                p.clientHi, p.clientLo, p.clientPort));
        int inStripe = inbound.stripe(inBucket);
        int outStripe = outbound.stripe(outBucket);
        int slot;
        long word;
        inbound.lock(inStripe);
        try {
            for (int s = inbound.head(inBucket); s != NIL; s = inbound.next(s)) {
                if (inbound.matches(s, proto, p.clientHi, p.clientLo, p.clientPort,
                        p.virtualHi, p.virtualLo, p.virtualPort)) {
                    if (created != null) created.invalidate();
                    return EXISTS;
                }
            }
            slot = freeSlots.pop();
            if (slot == NIL) {
                fullDrops.incrementAndGet();
                if (created != null) created.invalidate();
                return FULL;
            }
            slab.fill(slot, p, deadline);
            slab.setLink(slot, EntrySlab.TIMER_PREV, TimerWheel.NOT_FILED);
            word = EntrySlab.liveWord(slab.wordPlain(slot), proto, state);
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
        boolean active = proto == Ipv4.PROTO_TCP && TcpState.isActive(state);
        events.countsChanged(p.destId, active ? 1 : 0, active ? 0 : 1);
        long handle = handle(slot, word);
        if (created != null) created.set(p, handle, word, deadline);
        return handle;
    }

    /**
     * Applies one packet: IPVS's TCP state transition for the direction and flags (other protocols: none),
     * re-arms the timeout of the resulting state, and reports active/inactive changes. Returns the new state
     * (always 0 for non-TCP), or -1 if the handle is stale.
     */
    public int onPacket(long handle, int direction, int tcpFlags, long nowNanos) {
        return onPacket(handle, direction, tcpFlags, nowNanos, null);
    }

    /**
     * {@link #onPacket(long, int, int, long)} that offers the connection to {@code feed} (the calling worker's
     * ring, or null) when the packet moved it to a TCP state worth sending, or moved its deadline by more than
     * half its timeout since it was last offered.
     */
    public int onPacket(long handle, int direction, int tcpFlags, long nowNanos, ChangeRing feed) {
        int slot = (int) handle;
        int generation = (int) (handle >>> 32);
        if (handle < 0 || slot >= capacity) return -1;
        boolean offered = false;
        for (;;) {
            long word = slab.wordAcquire(slot);
            if (EntrySlab.generation(word) != generation) return -1;
            int old = EntrySlab.state(word);
            int next = EntrySlab.proto(word) == Ipv4.PROTO_TCP
                    ? TcpTransitions.next(secureTcp, direction, TcpState.flagIndex(tcpFlags), old) : old;
            if (next == old) break;
            int destId = slab.destId(slot);
            if (slab.casWord(slot, word, EntrySlab.withState(word, next))) {
                if (feed != null && sendWorthy(next)) {
                    slab.setFedDeadline(slot, nowNanos + timeouts.nanos(Ipv4.PROTO_TCP, next), 0);
                    feed.offer(handle);
                    offered = true;
                }
                boolean nowActive = TcpState.isActive(next);
                if (nowActive != TcpState.isActive(old)) {
                    events.countsChanged(destId, nowActive ? 1 : -1, nowActive ? -1 : 1);
                }
                break;
            }
        }
        if (feed != null && direction != DIR_OUTPUT) countForSync(slot, generation, handle, nowNanos, feed, offered);
        StateTimeouts t = timeouts;
        for (;;) {
            long deadline = slab.deadline(slot);
            long word = slab.wordAcquire(slot);
            if (EntrySlab.generation(word) != generation || deadline == DYING) return -1;
            long timeout = t.nanos(EntrySlab.proto(word), EntrySlab.state(word));
            long rearmed = nowNanos + timeout;
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

    /**
     * One more packet from the client (the kernel's in_pkts): offers the connection when the {@link SyncRule}
     * says it is due (ip_vs_sync_conn_needed). An offer the packet already caused by a change of state stands in
     * for the count's: the count restarts at the threshold.
     */
    private void countForSync(int slot, int generation, long handle, long nowNanos, ChangeRing feed,
                              boolean offered) {
        SyncRule rule = syncRule;
        if (offered) {
            slab.setInPackets(slot, rule.threshold());
            return;
        }
        int count = rule.nextCount(slab.inPackets(slot));
        slab.setInPackets(slot, count);
        if (!rule.countDue(count)) return;
        long word = slab.wordAcquire(slot);
        if (EntrySlab.generation(word) != generation) return;
        int proto = EntrySlab.proto(word), state = EntrySlab.state(word);
        if (proto == Ipv4.PROTO_TCP && !sendWorthy(state)) return;
        long timeout = timeouts.nanos(proto, state);
        long deadline = nowNanos + timeout;
        int retries = 0;
        if (rule.refreshNanos() > 0) {
            long moved = slab.movedSinceFed(slot, deadline);
            // Times read back from the mark are good to its resolution: comparisons allow for it.
            long bound = Math.min(rule.refreshNanos(), Math.max(timeout >> 1, MIN_REFRESH_NANOS));
            if (Math.abs(moved) < bound - EntrySlab.FED_MARK_RESOLUTION_NANOS) {
                retries = slab.fedRetries(slot);
                if (retries >= rule.retries()) return;
                long lastOffered = deadline - moved - timeout;
                if (nowNanos < lastOffered + (rule.refreshNanos() >> 3) - EntrySlab.FED_MARK_RESOLUTION_NANOS) return;
                retries++;
            }
        }
        slab.setFedDeadline(slot, deadline, retries);
        feed.offer(handle);
    }

    /** Switches the TCP state table to IPVS's secure_tcp one (tcp_states_dos) and back; any thread. */
    public void setSecureTcp(boolean on) { this.secureTcp = on; }

    public boolean secureTcp() { return secureTcp; }

    /** Replaces the rule for offers beyond changes of state (jlvsadm --sysctl sync_*); any thread. */
    public void setSyncRule(SyncRule rule) { this.syncRule = rule; }

    public SyncRule syncRule() { return syncRule; }

    /** IPVS sends a TCP connection to its backup when it enters one of these states. */
    private static boolean sendWorthy(int tcpState) {
        return tcpState == TcpState.ESTABLISHED || tcpState == TcpState.FIN_WAIT || tcpState == TcpState.CLOSE
                || tcpState == TcpState.CLOSE_WAIT || tcpState == TcpState.TIME_WAIT;
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

    /**
     * Copies the live entry of {@code h} into {@code into} (remaining time at {@code nowNanos}) and returns true;
     * false, with {@code into} invalid, when the handle is stale.
     */
    public boolean read(long h, ConnectionView into, long nowNanos) {
        if (h >= 0 && (int) h < capacity && read((int) h, into, nowNanos) && into.handle == h) return true;
        into.invalidate();
        return false;
    }

    /** Deadline of the entry, or -1 if stale or being expired. */
    public long expiresAtNanos(long h) {
        if (!isLive(h)) return -1;
        long deadline = slab.deadline((int) h);
        return isLive(h) && deadline != DYING ? deadline : -1;
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
        boolean active = EntrySlab.proto(word) == Ipv4.PROTO_TCP && TcpState.isActive(EntrySlab.state(word));
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

    /** A consistent copy of the slot's entry if it is live; the view is valid only when this returns true. */
    private boolean read(int slot, ConnectionView view, long now) {
        view.valid = false;
        long word = slab.wordAcquire(slot);
        if (!EntrySlab.isLive(word)) return false;
        slab.readInto(slot, view);
        long deadline = slab.deadline(slot);
        VarHandle.loadLoadFence();
        if (EntrySlab.generation(slab.wordPlain(slot)) != EntrySlab.generation(word)) return false;
        view.validate(handle(slot, word), word);
        view.expiresAtNanos = deadline;
        view.remainingNanos = deadline == DYING ? 0 : Math.max(0, deadline - now);
        return true;
    }

    /**
     * The timeout of a state, in seconds ({@code state} is ignored for protocols other than TCP, which all use
     * the UDP timeout). Starts at IPVS's defaults.
     */
    public int timeoutSeconds(int proto, int state) { return timeouts.seconds(proto, state); }

    /**
     * Changes the timeout of a state (ipvsadm --set changes TCP ESTABLISHED, TCP FIN_WAIT and UDP); applies from
     * each connection's next packet.
     *
     * @throws IllegalArgumentException if {@code seconds} is below 1 or {@code state} is not a TCP state
     */
    public void setTimeoutSeconds(int proto, int state, int seconds) {
        synchronized (timeoutUpdates) {
            timeouts = timeouts.with(proto, state, seconds);
        }
    }

    public int size() { return (int) inbound.count(); }

    public int capacity() { return capacity; }

    /** New connections refused because the table was full. */
    public long fullDrops() { return fullDrops.get(); }

    /** Off-heap bytes the table allocated (entries and bucket heads), all at construction. */
    public long offHeapBytes() { return offHeapBytes; }

    /** Frees the off-heap memory; no other thread may use the table any more. */
    @Override
    public void close() {
        arena.close();
    }
}
