package dev.netsym.proof;

/**
 * Dense ids for long keys, in order of first appearance: an open-addressing table on
 * primitive arrays, because boxing a key per parameter dominates refinement on networks
 * with a million weights.
 */
final class LongIds {
    private long[] keys;
    private int[] ids;
    private boolean[] used;
    private int size;

    LongIds(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        ids = new int[capacity];
        used = new boolean[capacity];
    }

    /** The key's id; a key not seen before gets the next id. */
    int idOf(long key) {
        int mask = keys.length - 1;
        int slot = mix(key) & mask;
        while (used[slot]) {
            if (keys[slot] == key) return ids[slot];
            slot = (slot + 1) & mask;
        }
        used[slot] = true;
        keys[slot] = key;
        ids[slot] = size;
        if (++size * 2 > keys.length) grow();
        return size - 1;
    }

    int size() { return size; }

    static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldIds = ids;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        ids = new int[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (!oldUsed[i]) continue;
            int slot = mix(oldKeys[i]) & mask;
            while (used[slot]) slot = (slot + 1) & mask;
            used[slot] = true;
            keys[slot] = oldKeys[i];
            ids[slot] = oldIds[i];
        }
    }
}
