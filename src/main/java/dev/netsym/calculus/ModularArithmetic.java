package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;
import java.math.BigInteger;

/**
 * Integers modulo a prime m with 2^61 &lt; m &lt; 2^62, chosen at random from the seed. For a
 * rational network two gradients that differ as functions differ at a random point with high
 * probability, so a few points decide equality without the coefficient growth of exact rationals.
 *
 * <p><b>Why the prime is random.</b> Let P be the integer numerator of g_i − g_j (a polynomial in
 * the data and the class symbols, non-zero when the gradients differ). Two random points can
 * miss P ≠ 0 in only two ways:
 * <ol>
 * <li>P vanishes modulo m as a polynomial. That needs m to divide the content of P (the gcd of its
 * coefficients). A content below 2^b has at most b/61 prime factors above 2^61. The start of the
 * search for m is a uniform odd number in (2^61, 2^62), and m is the first prime from there on
 * (wrapping to 2^61 at the top), so a prime q is chosen only from the odd starts between its
 * predecessor and q — plus, for the first prime above 2^61, those above the last prime below
 * 2^62. Every prime gap below 2^64 is at most 1550 (the maximal gaps are known exhaustively up
 * to 2^64; the largest below 2^62 is 1476), so at most 1550 of the 2^60 odd starts lead to any
 * one prime: {@link #probabilityModulusDividesContent} = ⌊b/61⌋ · 1550 / 2^60. A fixed prime,
 * instead, fails for every P whose coefficients it divides, e.g. the gradients x and
 * x + (2^61 − 1)·x² modulo 2^61 − 1.</li>
 * <li>P mod m ≠ 0 vanishes at the random points: by Schwartz–Zippel over any sampling set S of
 * the field, at most deg P / |S| per independent point. The points are drawn from
 * S = {1, …, {@link #SAMPLING_SET_SIZE}}.</li>
 * </ol>
 * Evaluation here is the image of the exact rational value wherever every division is by a non-zero
 * residue; otherwise it throws {@link DivisionByZeroException} rather than answer.
 * {@link CoefficientBound} gives b for a tape.
 *
 * <p>Values are kept in Montgomery form x·2^64 mod m, so a product costs two high-word
 * multiplications and no division; {@link #standardResidue} converts one back for display.
 *
 * <p>Generic activations are independent random functions: f^(k)(z) is a hash of
 * (seed, name, k, z), so an identity that holds for every f holds here, and any other
 * fails with high probability. Only builtins that are rational functions of their arguments
 * ({@link Builtin.Exactness#RATIONAL}) are supported, and none is so far: relu and the other
 * piecewise functions need an order, and the transcendental functions have no meaning modulo m.
 */
public final class ModularArithmetic implements Arithmetic<Long> {
    /** Random points are drawn from {1, …, 2^61 − 1}; Schwartz–Zippel divides the degree by this. */
    public static final long SAMPLING_SET_SIZE = (1L << 61) - 1;
    /** A bound on every prime gap below 2^64, hence on how many odd starts lead to one prime. */
    static final int MAX_PRIME_GAP = 1550;
    private static final long LOWEST_START = (1L << 61) + 1;
    private static final long MODULUS_LIMIT = 1L << 62;
    /** Deterministic Miller–Rabin: these bases decide primality for every n below 3.3·10^24. */
    private static final long[] WITNESSES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    /** A tag that keeps the modulus independent of the generic activations' hashes of the same seed. */
    private static final long MODULUS_TAG = 0x6D6F64756C7573L;

    private final long seed;
    private final long modulus;
    /** m^-1 mod 2^64, for Montgomery reduction. */
    private final long modulusInverse;
    /** 1 in Montgomery form: 2^64 mod m. */
    private final long montgomeryOne;
    /** 2^128 mod m: a Montgomery product with it moves a residue into Montgomery form. */
    private final long montgomerySquare;
    private final BigInteger bigModulus;

    public ModularArithmetic(long seed) {
        this(seed, randomPrime(seed));
    }

    /** Montgomery arithmetic modulo any odd modulus below 2^62 (a prime one for division). */
    private ModularArithmetic(long seed, long modulus) {
        this.seed = seed;
        this.modulus = modulus;
        // Newton's iteration doubles the correct low bits: m·m = 1 mod 8, then 6, 12, 24, 48, 96.
        long inverse = modulus;
        for (int i = 0; i < 5; i++) inverse *= 2 - modulus * inverse;
        this.modulusInverse = inverse;
        this.montgomeryOne = Long.remainderUnsigned(-modulus, modulus);
        long square = montgomeryOne;
        for (int i = 0; i < 64; i++) square = addmod(square, square);
        this.montgomerySquare = square;
        this.bigModulus = BigInteger.valueOf(modulus);
    }

    public long seed() { return seed; }

    /** The prime all arithmetic here is modulo. */
    public long modulus() { return modulus; }

    /** The value as the usual residue in [0, m), for display and for comparison with other code. */
    public long standardResidue(Long value) {
        return mulmod(value, 1);
    }

    /**
     * The chance, over the random choice of the modulus, that it divides a non-zero integer below
     * 2^contentBits: such an integer has at most ⌊contentBits/61⌋ prime factors above 2^61, and no
     * prime is chosen with probability above 1550/2^60.
     */
    public static double probabilityModulusDividesContent(double contentBits) {
        if (Double.isInfinite(contentBits)) return 1;
        return Math.floor(contentBits / 61) * MAX_PRIME_GAP / 0x1p60;
    }

    /** The first prime from a random odd start in (2^61, 2^62), wrapping to 2^61 at the top. */
    private static long randomPrime(long seed) {
        long offset = SeedHash.combine(seed, MODULUS_TAG) & ((1L << 60) - 1);
        long candidate = LOWEST_START + 2 * offset;
        while (!isPrime(candidate)) {
            candidate += 2;
            if (candidate >= MODULUS_LIMIT) candidate = LOWEST_START;
        }
        return candidate;
    }

    /** Deterministic primality for odd n in (37, 2^62): trial division, then Miller–Rabin. */
    static boolean isPrime(long n) {
        for (long p : WITNESSES) {
            if (n % p == 0) return false;
        }
        ModularArithmetic field = new ModularArithmetic(0, n);
        int twos = Long.numberOfTrailingZeros(n - 1);
        long odd = (n - 1) >>> twos;
        long minusOne = n - field.montgomeryOne;
        for (long base : WITNESSES) {
            long x = field.powmod(field.toMontgomery(base), odd);
            if (x == field.montgomeryOne || x == minusOne) continue;
            boolean reachedMinusOne = false;
            for (int i = 1; i < twos && !reachedMinusOne; i++) {
                x = field.mulmod(x, x);
                reachedMinusOne = x == minusOne;
            }
            if (!reachedMinusOne) return false;
        }
        return true;
    }

    /** The residue of an integer (no rational to build: random draws make millions of these). */
    public long fromLong(long value) {
        return toMontgomery(Math.floorMod(value, modulus));
    }

    /** A residue in [0, m) into Montgomery form. */
    private long toMontgomery(long residue) {
        return mulmod(residue, montgomerySquare);
    }

    /**
     * The Montgomery product a·b·2^-64 mod m of a, b in [0, m): with u = lo(ab)·m^-1 mod 2^64, u·m
     * has the same low word as ab, so (ab − u·m)/2^64 = hi(ab) − hi(u·m), which lies in (−m, m).
     */
    public long mulmod(long a, long b) {
        long productHigh = Math.multiplyHigh(a, b);   // a, b < 2^63: the signed high word is the unsigned one
        long u = a * b * modulusInverse;
        // multiplyHigh is signed; a negative u stands for u + 2^64, whose product is m·2^64 larger.
        long reductionHigh = Math.multiplyHigh(u, modulus) + ((u >> 63) & modulus);
        long result = productHigh - reductionHigh;
        return result < 0 ? result + modulus : result;
    }

    public long addmod(long a, long b) {
        long s = a + b;
        return s >= modulus ? s - modulus : s;
    }

    private long powmod(long base, long exponent) {
        long result = montgomeryOne;
        long b = base;
        long e = exponent;
        while (e > 0) {
            if ((e & 1) != 0) result = mulmod(result, b);
            b = mulmod(b, b);
            e >>>= 1;
        }
        return result;
    }

    /** The inverse by Fermat's little theorem: a^(m-2). */
    public long inverse(long a) {
        if (a == 0) throw new DivisionByZeroException("division by zero " + this);
        return powmod(a, modulus - 2);
    }

    @Override public Long zero() { return 0L; }

    @Override public Long one() { return montgomeryOne; }

    @Override
    public Long fromRational(Rational value) {
        long numerator = toMontgomery(value.numerator().mod(bigModulus).longValue());
        if (value.isInteger()) return numerator;
        long denominator = toMontgomery(value.denominator().mod(bigModulus).longValue());
        if (denominator == 0) {
            throw new DivisionByZeroException("denominator of " + value + " is a multiple of " + modulus);
        }
        return mulmod(numerator, inverse(denominator));
    }

    @Override public Long add(Long a, Long b) { return addmod(a, b); }

    @Override public Long subtract(Long a, Long b) { return addmod(a, b == 0 ? 0 : modulus - b); }

    @Override public Long multiply(Long a, Long b) { return mulmod(a, b); }

    @Override public Long divide(Long a, Long b) { return mulmod(a, inverse(b)); }

    @Override public Long negate(Long a) { return a == 0 ? 0L : modulus - a; }

    /** a − b on primitive residues (Montgomery form, as every value here): for loops that avoid boxing. */
    public long submod(long a, long b) { return addmod(a, b == 0 ? 0 : modulus - b); }

    @Override
    public Long power(Long base, int exponent) {
        if (exponent >= 0) return powmod(base, exponent);
        return inverse(powmod(base, -(long) exponent));
    }

    @Override public Builtin.Exactness reach() { return Builtin.Exactness.RATIONAL; }

    @Override public int signum(Long a) { throw noSuch("an order"); }

    @Override public int compare(Long a, Long b) { throw noSuch("an order"); }

    @Override public Long exp(Long a) { throw noSuch("exp"); }

    @Override public Long expm1(Long a) { throw noSuch("exp"); }

    @Override public Long log(Long a) { throw noSuch("log"); }

    @Override public Long log1p(Long a) { throw noSuch("log"); }

    @Override public Long sqrt(Long a) { throw noSuch("sqrt"); }

    @Override public Long erfc(Long a) { throw noSuch("erfc"); }

    @Override public Long pi() { throw noSuch("pi"); }

    private static UnsupportedArithmeticException noSuch(String what) {
        return new UnsupportedArithmeticException("residues modulo a prime have no " + what);
    }

    @Override
    public UnsupportedArithmeticException unsupported(Builtin function) {
        return new UnsupportedArithmeticException(
                function.specName() + " cannot be evaluated modulo a prime; use exact or decimal arithmetic");
    }

    @Override
    public Long genericDerivative(String name, int order, Long z) {
        long hash = SeedHash.ofString(seed, name);
        hash = SeedHash.combine(hash, order);
        hash = SeedHash.combine(hash, z);
        // 62 uniform bits, redrawn while outside [0, m): uniform on [0, m), fewer than 2 draws on average.
        long value = hash >>> 2;
        while (value >= modulus) {
            hash = SeedHash.mix(hash);
            value = hash >>> 2;
        }
        return value;
    }

    @Override public boolean isZero(Long a) { return a == 0; }

    @Override public boolean equal(Long a, Long b) { return a.longValue() == b.longValue(); }

    @Override public Long[] newArray(int length) { return new Long[length]; }

    @Override public String toString() { return "modulo the prime " + modulus; }
}
