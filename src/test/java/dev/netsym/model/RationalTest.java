package dev.netsym.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reductions in longs give the same numbers as the ones in BigIntegers, in lowest terms. */
class RationalTest {

    @Test
    void fractionsOfLongsAreInLowestTermsWithAPositiveDenominator() {
        SplittableRandom random = new SplittableRandom(3);
        long[] edges = {0, 1, -1, 2, -2, 6, -6, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1, 1L << 40, -(1L << 40)};
        for (int i = 0; i < 200_000; i++) {
            long n = i < edges.length * edges.length ? edges[i % edges.length] : random.nextLong() >> random.nextInt(64);
            long d = i < edges.length * edges.length ? edges[i / edges.length] : random.nextLong() >> random.nextInt(64);
            if (d == 0) {
                long numerator = n;
                assertThrows(ArithmeticException.class, () -> Rational.of(numerator, 0));
                continue;
            }
            Rational viaBig = Rational.of(BigInteger.valueOf(n), BigInteger.valueOf(d));
            Rational viaLong = Rational.of(n, d);
            assertEquals(viaBig, viaLong, n + "/" + d);
            assertEquals(viaBig.numerator(), viaLong.numerator(), n + "/" + d);
            assertEquals(viaBig.denominator(), viaLong.denominator(), n + "/" + d);
            assertEquals(1, viaLong.denominator().signum(), n + "/" + d);
        }
    }

    @Test
    void productsOfSmallAndLargeFractionsAreExact() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 100_000; i++) {
            // Sizes around the 31-bit line where the product switches to longs.
            BigInteger[] parts = new BigInteger[4];
            for (int k = 0; k < 4; k++) {
                parts[k] = BigInteger.valueOf(random.nextLong() >> (30 + random.nextInt(34)));
                if (k % 2 == 1 && parts[k].signum() == 0) parts[k] = BigInteger.ONE;
            }
            Rational a = Rational.of(parts[0], parts[1]);
            Rational b = Rational.of(parts[2], parts[3]);
            Rational expected = Rational.of(a.numerator().multiply(b.numerator()), a.denominator().multiply(b.denominator()));
            assertEquals(expected, a.multiply(b), a + " * " + b);
            assertEquals(expected.denominator(), a.multiply(b).denominator(), a + " * " + b);
        }
    }
}
