package dev.netsym.calculus;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic strong hashing (the SplitMix64 finaliser) used to make "random functions":
 * the same seed and argument always give the same value, different ones look independent.
 */
final class SeedHash {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SeedHash() {}

    /** The SplitMix64 finaliser: a bijection on longs with full avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Folds one more long into a running hash. */
    static long combine(long hash, long value) {
        return mix(hash + GOLDEN_GAMMA + mix(value));
    }

    static long ofString(long hash, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        hash = combine(hash, bytes.length);
        for (byte b : bytes) hash = combine(hash, b);
        return hash;
    }

    static long ofBigInteger(long hash, BigInteger value) {
        byte[] bytes = value.toByteArray();
        hash = combine(hash, bytes.length);
        for (byte b : bytes) hash = combine(hash, b);
        return hash;
    }
}
