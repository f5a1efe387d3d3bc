package io.jlvs.schedulers;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An immutable snapshot of a service's real servers in the order they were added (the kernel's destination list).
 * The control plane builds a new one for every change and publishes it; forwarding threads read whichever one is
 * current without locks. The generation orders snapshots so that stateful schedulers can tell old from new.
 */
public final class ServerSet {
    private static final AtomicLong GENERATIONS = new AtomicLong();
    public static final ServerSet EMPTY = new ServerSet(new Destination[0]);

    private final Destination[] servers;
    private final long generation;

    private ServerSet(Destination[] servers) {
        this.servers = servers;

        this.generation = GENERATIONS.incrementAndGet();
    }

    public static ServerSet of(List<Destination> servers) {
        Destination[] copy = servers.toArray(new Destination[0]);
        for (Destination s : copy) if (s == null) throw new NullPointerException("null server");
        return new ServerSet(copy);
    }

    public static ServerSet of(Destination... servers) { return of(List.of(servers)); }

    public int size() { return servers.length; }

    public Destination get(int index) { return servers[index]; }

    public boolean isEmpty() { return servers.length == 0; }

    public long generation() { return generation; }

    public int indexOf(Destination server) {
        for (int i = 0; i < servers.length; i++) if (servers[i] == server) return i;
        return -1;
    }

    public List<Destination> asList() { return List.of(servers); }

    /** True when some server takes new connections: the case in which a scheduler with fallback must answer. */
    public boolean anyAcceptsNewConnections() {
        for (Destination s : servers) if (s.acceptsNewConnections()) return true;
        return false;
    }
}
