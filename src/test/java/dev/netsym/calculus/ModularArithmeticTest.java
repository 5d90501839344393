package dev.netsym.calculus;

import static dev.netsym.calculus.TestNetworks.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Builtin;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.SpecResult;
import dev.netsym.spec.SpecParser;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModularArithmeticTest {
    private static final long[] SEEDS = {0, 1, 2, 9, 42, -7, Long.MAX_VALUE, Long.MIN_VALUE};

    @Test
    void everySeedGivesAPrimeBetweenTwoToThe61AndTwoToThe62() {
        for (long seed : SEEDS) {
            long m = new ModularArithmetic(seed).modulus();
            assertTrue(m > 1L << 61 && m < 1L << 62, "seed " + seed + ": " + m);
            assertTrue(BigInteger.valueOf(m).isProbablePrime(100), "seed " + seed + ": " + m);
        }
    }

    @Test
    void theSameSeedGivesTheSamePrimeAndDifferentSeedsDifferentOnes() {
        Set<Long> primes = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            long m = new ModularArithmetic(seed).modulus();
            assertEquals(m, new ModularArithmetic(seed).modulus());
            primes.add(m);
        }
        assertEquals(50, primes.size());
        ModularArithmetic modular = new ModularArithmetic(3);
        assertEquals("modulo the prime " + modular.modulus(), modular.toString());
    }

    @Test
    void arithmeticAgreesWithBigIntegerOnRandomAndEdgeResidues() {
        SplittableRandom random = new SplittableRandom(2);
        for (long seed : SEEDS) {
            ModularArithmetic modular = new ModularArithmetic(seed);
            long m = modular.modulus();
            BigInteger big = BigInteger.valueOf(m);
            long[] residues = new long[2_000];
            long[] edges = {0, 1, 2, m - 2, m - 1, 1L << 61, (1L << 61) - 1};
            System.arraycopy(edges, 0, residues, 0, edges.length);
            for (int i = edges.length; i < residues.length; i++) residues[i] = random.nextLong(m);
            for (int i = 0; i < residues.length; i++) {
                long a = residues[i];
                long b = residues[(i * 7 + 3) % residues.length];
                Long x = modular.fromRational(Rational.of(a));
                Long y = modular.fromRational(Rational.of(b));
                assertEquals(a, modular.standardResidue(x));
                assertEquals(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(big).longValueExact(),
                        modular.standardResidue(modular.multiply(x, y)), a + " * " + b + " mod " + m);
                assertEquals(BigInteger.valueOf(a).add(BigInteger.valueOf(b)).mod(big).longValueExact(),
                        modular.standardResidue(modular.add(x, y)));
                assertEquals(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)).mod(big).longValueExact(),
                        modular.standardResidue(modular.subtract(x, y)));
                assertEquals(BigInteger.valueOf(a).negate().mod(big).longValueExact(),
                        modular.standardResidue(modular.negate(x)));
            }
            for (long a : edges) {
                for (long b : edges) {
                    assertEquals(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(big).longValueExact(),
                            modular.standardResidue(modular.multiply(modular.fromRational(Rational.of(a)),
                                    modular.fromRational(Rational.of(b)))), a + " * " + b + " mod " + m);
                }
            }
            assertEquals(1L, modular.standardResidue(modular.one()));
            assertEquals(0L, modular.standardResidue(modular.zero()));
        }
    }

    @Test
    void inversesAndPowersAgreeWithBigInteger() {
        SplittableRandom random = new SplittableRandom(5);
        for (long seed : SEEDS) {
            ModularArithmetic modular = new ModularArithmetic(seed);
            BigInteger big = BigInteger.valueOf(modular.modulus());
            for (int i = 0; i < 200; i++) {
                long a = i == 0 ? modular.modulus() - 1 : i == 1 ? 1 : 1 + random.nextLong(modular.modulus() - 1);
                Long x = modular.fromRational(Rational.of(a));
                Long inverse = modular.divide(modular.one(), x);
                assertEquals(BigInteger.valueOf(a).modInverse(big).longValueExact(), modular.standardResidue(inverse));
                assertEquals(modular.one(), modular.multiply(x, inverse));
                assertEquals(BigInteger.valueOf(a).modPow(BigInteger.valueOf(-3), big).longValueExact(),
                        modular.standardResidue(modular.power(x, -3)));
                assertEquals(BigInteger.valueOf(a).modPow(BigInteger.valueOf(5), big).longValueExact(),
                        modular.standardResidue(modular.power(x, 5)));
            }
        }
    }

    @Test
    void integersMapToTheSameResiduesAsTheirRationals() {
        ModularArithmetic field = new ModularArithmetic(11);
        java.util.Random random = new java.util.Random(3);
        long m = field.modulus();
        long[] edges = {0, 1, -1, m, -m, m - 1, m + 1, -m - 1, 2 * m, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long n : edges) assertEquals(field.fromRational(Rational.of(n)), field.fromLong(n), "n = " + n);
        for (int k = 0; k < 1000; k++) {
            long n = random.nextLong();
            assertEquals(field.fromRational(Rational.of(n)), field.fromLong(n), "n = " + n);
        }
    }

    @Test
    void negativeFractionalAndHugeRationalsMapToTheirResidues() {
        for (long seed : SEEDS) {
            ModularArithmetic modular = new ModularArithmetic(seed);
            long m = modular.modulus();
            BigInteger big = BigInteger.valueOf(m);
            assertEquals(m - 3, modular.standardResidue(modular.fromRational(Rational.of(-3))));
            Rational fraction = Rational.of(-5, 7);
            BigInteger fractionResidue = BigInteger.valueOf(-5).multiply(BigInteger.valueOf(7).modInverse(big)).mod(big);
            assertEquals(fractionResidue.longValueExact(), modular.standardResidue(modular.fromRational(fraction)));
            assertEquals(modular.one(), modular.multiply(modular.fromRational(Rational.of(1, 2)),
                    modular.fromRational(Rational.of(2))));
            Long two = modular.fromRational(Rational.of(2));
            assertEquals(modular.fromRational(Rational.of(1, 8)), modular.power(two, -3));
            BigInteger huge = BigInteger.TWO.pow(300).add(BigInteger.valueOf(12345));
            Rational hugeFraction = Rational.of(huge.negate(), BigInteger.valueOf(3).pow(100));
            BigInteger expected = huge.negate().multiply(BigInteger.valueOf(3).pow(100).modInverse(big)).mod(big);
            assertEquals(expected.longValueExact(), modular.standardResidue(modular.fromRational(hugeFraction)));
            assertThrows(DivisionByZeroException.class, () -> modular.fromRational(Rational.of(BigInteger.ONE, big)));
        }
    }

    @Test
    void divisionByZeroAndBuiltinsAreRefused() {
        ModularArithmetic modular = new ModularArithmetic(9);
        assertThrows(DivisionByZeroException.class, () -> modular.divide(modular.one(), modular.zero()));
        assertThrows(DivisionByZeroException.class, () -> modular.power(modular.zero(), -1));
        assertFalse(modular.supports(Builtin.RELU));
        assertThrows(UnsupportedArithmeticException.class, () -> modular.apply(Builtin.TANH, modular.one()));
    }

    @Test
    void genericActivationValuesAreResiduesOfTheInstancesPrime() {
        for (long seed : SEEDS) {
            ModularArithmetic modular = new ModularArithmetic(seed);
            for (long z = 0; z < 2_000; z++) {
                long value = modular.genericDerivative("f", (int) (z % 3), z);
                assertTrue(value >= 0 && value < modular.modulus(), "f at " + z + ": " + value);
            }
        }
    }

    @Test
    void primalityAgreesWithBigIntegerIncludingStrongPseudoprimes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            long n = i < 10_000 ? 41 + 2L * random.nextInt(1_000_000) : random.nextLong(1L << 61, 1L << 62) | 1;
            assertEquals(BigInteger.valueOf(n).isProbablePrime(100), ModularArithmetic.isPrime(n), "n = " + n);
        }
        // strong pseudoprimes to the bases 2, 3, 5, 7 and to the bases 2 through 23 respectively
        assertFalse(ModularArithmetic.isPrime(3215031751L));
        assertFalse(ModularArithmetic.isPrime(3825123056546413051L));
        assertTrue(ModularArithmetic.isPrime((1L << 61) - 1));
    }

    @Test
    void aCoefficientDivisibleByTwoToThe61MinusOneNoLongerHidesADifference() {
        // The gradients are x and x + (2^61 − 1)·x², equal modulo the old fixed prime 2^61 − 1.
        Network network = parse("""
                input x
                y = w1*x + w2*(x + 2305843009213693951*x^2)
                objective y
                init all = a
                """);
        Tape tape = Tape.compile(network);
        int w1 = tape.parameterIndex("w1");
        int w2 = tape.parameterIndex("w2");
        SplittableRandom random = new SplittableRandom(13);
        for (long seed : SEEDS) {
            ModularArithmetic modular = new ModularArithmetic(seed);
            for (int point = 0; point < 2; point++) {
                Long a = modular.fromRational(Rational.of(1 + random.nextLong(ModularArithmetic.SAMPLING_SET_SIZE)));
                Long x = modular.fromRational(Rational.of(1 + random.nextLong(ModularArithmetic.SAMPLING_SET_SIZE)));
                Long[] gradient = tape.gradient(modular, new Long[] {a, a}, new Long[] {x});
                assertNotEquals(gradient[w1], gradient[w2], "seed " + seed + ", " + modular);
            }
        }
        double bits = CoefficientBound.ofGradientDifference(tape, null, null);
        assertTrue(bits >= Math.log(2305843009213693951.0) / Math.log(2) && bits < 200, "bound " + bits);
        double missed = ModularArithmetic.probabilityModulusDividesContent(bits);
        assertTrue(missed > 0 && missed < 1e-14, "chance " + missed);
    }

    @Test
    void theCoefficientBoundCoversSmallNetworksAndRefusesTranscendentalOnes() {
        // L = w·x/3: g = x/3, numerator norm 1 ≤ 2^(1 + log2 2 + log2 3)
        Network linear = network(List.of("x"), List.of(), List.of(),
                quotient(product(ref("w"), ref("x")), num(3)), List.of("w"), Set.of());
        double bits = CoefficientBound.ofGradientDifference(Tape.compile(linear), null, null);
        assertEquals(2 + Math.log(3) / Math.log(2), bits, 1e-9);
        // fixing w at 5/7 and x at 11 only adds their sizes
        double fixed = CoefficientBound.ofGradientDifference(Tape.compile(linear),
                new Rational[] {Rational.of(5, 7)}, new Rational[] {Rational.of(11)});
        assertEquals(1 + (Math.log(12) + Math.log(11) + Math.log(7) + Math.log(3)) / Math.log(2), fixed, 1e-9);
        Network smooth = network(List.of(), List.of(), List.of(), call("tanh", ref("w")), List.of("w"), Set.of());
        assertEquals(Double.POSITIVE_INFINITY, CoefficientBound.ofGradientDifference(Tape.compile(smooth), null, null));
        assertEquals(1.0, ModularArithmetic.probabilityModulusDividesContent(Double.POSITIVE_INFINITY));
    }

    private static Network parse(String text) {
        SpecResult result = SpecParser.parse(text);
        assertFalse(result.hasErrors(), () -> result.diagnostics().toString());
        return result.network().orElseThrow();
    }
}
