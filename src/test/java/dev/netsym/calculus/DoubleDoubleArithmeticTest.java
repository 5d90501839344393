package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Double-double results agree with 60-digit decimals to about 30 digits, also where formulas cancel. */
class DoubleDoubleArithmeticTest {
    private final DoubleDoubleArithmetic dd = new DoubleDoubleArithmetic(3);
    private final DecimalArithmetic reference = new DecimalArithmetic(3, new MathContext(60));

    private static final Builtin[] FUNCTIONS = {Builtin.TANH, Builtin.SIGMOID, Builtin.SOFTPLUS, Builtin.EXP};

    @Test
    void exactDecimalValuesAreTheJdksToTheLastDigit() {
        SplittableRandom random = new SplittableRandom(5);
        double[] edges = {Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
                1, -1, 0.5, 2, 0.1, 1e-300, 4.9e-310, Math.PI, 1L << 53, (1L << 53) + 2.0, -0.0};
        for (double x : edges) assertEquals(new BigDecimal(x), DoubleDouble.exactly(x), () -> "at " + x);
        for (int i = 0; i < 50_000; i++) {
            double x = switch (i % 3) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-30, 30));
                default -> random.nextInt(-1000, 1000) / 7.0;
            };
            if (!Double.isFinite(x)) continue;
            double value = x;
            assertEquals(new BigDecimal(value), DoubleDouble.exactly(value), () -> "at " + value);
        }
    }

    /**
     * The quick rounding writes what the exact decimal value writes, digit for digit: random
     * values of every size (with a random low part), halves that only the low part decides,
     * exact ties, powers of ten and carries.
     */
    @Test
    void roundedTextIsTheExactDecimalsAndDecadesAreRight() {
        SplittableRandom random = new SplittableRandom(41);
        java.util.List<DoubleDouble> values = new java.util.ArrayList<>();
        for (int k = 0; k < 20_000; k++) {
            double hi = (random.nextBoolean() ? 1 : -1) * random.nextDouble(1, 10) * Math.pow(10, random.nextInt(-30, 31));
            values.add(new DoubleDouble(hi, 0).add(DoubleDouble.of(Math.ulp(hi) * random.nextDouble(-0.5, 0.5))));
        }
        for (String text : new String[] {"0.125", "-2.5", "1000", "0.001", "9.9999999999999999999", "123456.5",
                "0.30000000000000000000000000001", "0.29999999999999999999999999999", "1e-20", "-7.45e22", "1e300", "1"}) {
            values.add(DoubleDouble.of(new BigDecimal(text)));
        }
        // Halfway between two 8-digit decimals in hi, pushed either way only by lo.
        values.add(new DoubleDouble(1.00000005, 1e-20));
        values.add(new DoubleDouble(1.00000005, -1e-20));
        values.add(DoubleDouble.ZERO);
        for (DoubleDouble v : values) {
            BigDecimal exact = v.toBigDecimal();
            for (int digits : new int[] {1, 2, 8, 9, 12, 15, 16, 40}) {
                assertEquals(exact.round(new MathContext(digits)).stripTrailingZeros().toPlainString(), v.toPlainString(digits),
                        exact + " to " + digits + " digits");
            }
            java.util.OptionalInt decade = v.decimalExponent();
            if (decade.isPresent()) assertEquals(exact.precision() - exact.scale() - 1, decade.getAsInt(), exact.toString());
        }
        assertEquals(java.util.OptionalInt.empty(), DoubleDouble.of(1000).decimalExponent());
        assertEquals(java.util.OptionalInt.of(2), DoubleDouble.of(999.5).decimalExponent());
    }

    @Test
    void elementaryFunctionsAndDerivativesToThirtyDigits() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            // Magnitudes from 1e-12 to 30, both signs, as exact rationals.
            double magnitude = Math.pow(10, -12 + 13.5 * random.nextDouble());
            Rational x = Rational.parse(new BigDecimal(magnitude).round(new MathContext(17)).toPlainString());
            if (random.nextBoolean()) x = x.negate();
            for (Builtin f : FUNCTIONS) {
                check(f + "(" + x + ")", reference.apply(f, reference.fromRational(x)), dd.apply(f, dd.fromRational(x)));
                check(f + "'(" + x + ")", reference.derivative(f, 0, reference.fromRational(x)),
                        dd.derivative(f, 0, dd.fromRational(x)));
            }
            Rational positive = x.signum() < 0 ? x.negate() : x;
            check("log(" + positive + ")", reference.apply(Builtin.LOG, reference.fromRational(positive)),
                    dd.apply(Builtin.LOG, dd.fromRational(positive)));
            Rational nearOne = Rational.ONE.add(x.multiply(Rational.of(1, 100)));
            // Against the logarithm of the rounded input: near 1, rounding the input is what costs digits.
            check("log(" + nearOne + ")", reference.apply(Builtin.LOG, dd.fromRational(nearOne).toBigDecimal()),
                    dd.apply(Builtin.LOG, dd.fromRational(nearOne)));
        }
    }

    @Test
    void fieldOperationsAndGenericActivationsAgree() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            Rational a = Rational.of(random.nextInt(1, 1000), random.nextInt(1, 97));
            Rational b = Rational.of(-random.nextInt(1, 1000), random.nextInt(1, 97));
            check("a/b", reference.fromRational(a.divide(b)), dd.divide(dd.fromRational(a), dd.fromRational(b)));
            check("a*b", reference.fromRational(a.multiply(b)), dd.multiply(dd.fromRational(a), dd.fromRational(b)));
            check("a+b", reference.fromRational(a.add(b)), dd.add(dd.fromRational(a), dd.fromRational(b)));
            check("a^-3", reference.fromRational(a.pow(-3)), dd.power(dd.fromRational(a), -3));
            checkTo("1e-25", "1e-30", "f''(a)", new DecimalArithmetic(5, new MathContext(60)).genericDerivative("f", 2,
                    reference.fromRational(b.divide(Rational.of(100)))),
                    new DoubleDoubleArithmetic(5).genericDerivative("f", 2, dd.fromRational(b.divide(Rational.of(100)))));
        }
    }

    @Test
    void edgesThrowOrSaturate() {
        assertThrows(DivisionByZeroException.class, () -> dd.divide(DoubleDouble.ONE, DoubleDouble.ZERO));
        assertThrows(ArithmeticException.class, () -> dd.apply(Builtin.LOG, DoubleDouble.ZERO));
        assertThrows(ArithmeticException.class, () -> dd.apply(Builtin.EXP, DoubleDouble.of(1000)));
        assertEquals(DoubleDouble.ONE, dd.apply(Builtin.TANH, DoubleDouble.of(400)));
        assertTrue(dd.equal(DoubleDouble.of(1), DoubleDouble.of(1).add(DoubleDouble.of(1e-25))));
        assertFalse(dd.equal(DoubleDouble.of(1), DoubleDouble.of(1).add(DoubleDouble.of(1e-18))));
    }

    private static void check(String what, BigDecimal expected, DoubleDouble actual) {
        checkTo("1e-29", "1e-300", what, expected, actual);
    }

    /** The polynomial in tanh behind a generic activation's derivatives cancels near its zeros, in every arithmetic. */
    private static void checkTo(String relative, String absolute, String what, BigDecimal expected, DoubleDouble actual) {
        BigDecimal error = expected.subtract(actual.toBigDecimal()).abs();
        BigDecimal allowed = expected.abs().multiply(new BigDecimal(relative)).add(new BigDecimal(absolute));
        assertTrue(error.compareTo(allowed) <= 0, what + ": expected " + expected.round(new MathContext(35))
                + ", got " + actual + " (error " + error.round(new MathContext(3)) + ")");
    }
}
