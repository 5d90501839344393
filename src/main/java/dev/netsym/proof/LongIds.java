package dev.netsym.proof;

/**
 * Dense ids for keys of one or two longs, in order of first appearance: an open-addressing
 * table on primitive arrays, because boxing a key per parameter dominates refinement on
 * networks with a million weights.
 */
final class LongIds {
    /** Per slot: the key's two longs at 2·slot and 2·slot + 1. */
    private long[] keys;
    private int[] ids;
    private boolean[] used;
    private int size;

    LongIds(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[2 * capacity];
        ids = new int[capacity];
        used = new boolean[capacity];
    }

    /** The key's id; a key not seen before gets the next id. */
    int idOf(long key) {
        return idOf(key, 0L);
    }

    /** The id of the key (first, second); a key not seen before gets the next id. */
    int idOf(long first, long second) {
        int mask = ids.length - 1;
        int slot = mix(first, second) & mask;
        while (used[slot]) {
            if (keys[2 * slot] == first && keys[2 * slot + 1] == second) return ids[slot];
            slot = (slot + 1) & mask;
        }
        used[slot] = true;
        keys[2 * slot] = first;
        keys[2 * slot + 1] = second;
        ids[slot] = size;
        if (++size * 2 > ids.length) grow();
        return size - 1;
    }

    int size() { return size; }

    static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static int mix(long first, long second) {
        long h = (first * 0x9E3779B97F4A7C15L) ^ (second * 0xC2B2AE3D27D4EB4FL);
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldIds = ids;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        ids = new int[oldIds.length * 2];
        used = new boolean[oldUsed.length * 2];
        int mask = ids.length - 1;
        for (int i = 0; i < oldIds.length; i++) {
            if (!oldUsed[i]) continue;
            int slot = mix(oldKeys[2 * i], oldKeys[2 * i + 1]) & mask;
            while (used[slot]) slot = (slot + 1) & mask;
            used[slot] = true;
            keys[2 * slot] = oldKeys[2 * i];
            keys[2 * slot + 1] = oldKeys[2 * i + 1];
            ids[slot] = oldIds[i];
        }
    }
}
