package io.jlvs.connections;

import java.util.concurrent.atomic.AtomicLongArray;

/** Keeps ActiveConn/InActConn per destination as a scheduler would, from the table's events. Allocation-free. */
final class CountingEvents implements ConnectionEvents {
    final AtomicLongArray active;
    final AtomicLongArray inactive;
    final AtomicLongArray expired;

    CountingEvents(int destinations) {
        active = new AtomicLongArray(destinations);
        inactive = new AtomicLongArray(destinations);
        expired = new AtomicLongArray(destinations);
    }

    @Override
    public void countsChanged(int destId, int activeDelta, int inactiveDelta) {
        active.addAndGet(destId, activeDelta);
        inactive.addAndGet(destId, inactiveDelta);
    }

    @Override
    public void expired(int serviceId, int destId) {
        expired.incrementAndGet(destId);
    }

    long totalActive() {
        long sum = 0;
        for (int i = 0; i < active.length(); i++) sum += active.get(i);
        return sum;
    }

    long totalInactive() {
        long sum = 0;
        for (int i = 0; i < inactive.length(); i++) sum += inactive.get(i);
        return sum;
    }
}
