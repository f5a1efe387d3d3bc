package io.jlvs.platform.net;

import java.util.Map;

/**
 * Immutable open-addressing map from an IPv4 destination (primitive int key) to its NextHop, so a lookup
 * neither boxes nor allocates. The resolver builds a new table per batch of changes and publishes it whole
 * (copy on write): readers never see a half-updated table and need no lock.
 */
final class NextHopTable {
    static final NextHopTable EMPTY = new NextHopTable(Map.of());

    private final int[] keys;
    private final NextHop[] values;
    private final int mask;
    private final int size;

    NextHopTable(Map<Integer, NextHop> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1) * 2 - 1);
        keys = new int[capacity];
        values = new NextHop[capacity];
        mask = capacity - 1;
        size = entries.size();
        entries.forEach((key, value) -> {
            int slot = slot(key);
            while (values[slot] != null) slot = (slot + 1) & mask;
            keys[slot] = key;
            values[slot] = value;
        });
    }

    private int slot(int key) {
        return (key * 0x9E3779B9 >>> 16 ^ key * 0x9E3779B9) & mask;
    }

    /** The entry for {@code key}, or null. At least one slot stays empty, so the probe always ends. */
    NextHop get(int key) {
        int slot = slot(key);
        NextHop value;
        while ((value = values[slot]) != null) {
            if (keys[slot] == key) return value;
            slot = (slot + 1) & mask;
        }
        return null;
    }

    int size() {
        return size;
    }
}
