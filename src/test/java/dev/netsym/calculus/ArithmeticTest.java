package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
    private static final BigDecimal E =
            new BigDecimal("2.71828182845904523536028747135266249775724709369995957496696762772407663");
    private static final BigDecimal LN2 =
            new BigDecimal("0.693147180559945309417232121458176568075500134360255254120680009");

    private final ModularArithmetic modular = new ModularArithmetic(9);
    private final DecimalArithmetic decimal = new DecimalArithmetic(9);

    @Test
    void genericActivationsAreDeterministicAndIndependentAcrossNamesOrdersAndSeeds() {
        assertEquals(modular.applyGeneric("f", 5L), new ModularArithmetic(9).applyGeneric("f", 5L));
        assertNotEquals(modular.applyGeneric("f", 5L), modular.applyGeneric("g", 5L));
        assertNotEquals(modular.applyGeneric("f", 5L), modular.genericDerivative("f", 5L));
        assertNotEquals(modular.applyGeneric("f", 5L), new ModularArithmetic(10).applyGeneric("f", 5L));
        ExactArithmetic exact = new ExactArithmetic(9);
        assertEquals(exact.applyGeneric("f", Rational.of(1, 3)), exact.applyGeneric("f", Rational.of(2, 6)));
    }

    @Test
    void decimalElementaryFunctionsReachFiftyDigits() {
        MathContext fifty = DecimalArithmetic.DEFAULT_CONTEXT;
        assertEquals(E.round(fifty), decimal.apply(Builtin.EXP, BigDecimal.ONE));
        assertEquals(LN2.round(fifty), decimal.apply(Builtin.LOG, BigDecimal.valueOf(2)));
        assertEquals(LN2.negate().round(fifty), decimal.apply(Builtin.LOG, new BigDecimal("0.5")));
        BigDecimal x = new BigDecimal("-37.125");
        assertTrue(decimal.equal(x, decimal.apply(Builtin.LOG, decimal.apply(Builtin.EXP, x))));
        // tanh and softplus keep relative accuracy where the naive formulas cancel
        BigDecimal tiny = new BigDecimal("1e-30");
        assertTrue(decimal.equal(tiny, decimal.apply(Builtin.TANH, tiny)));
        BigDecimal farLeft = BigDecimal.valueOf(-200);
        assertTrue(decimal.equal(decimal.apply(Builtin.EXP, farLeft), decimal.apply(Builtin.SOFTPLUS, farLeft)));
        // sigmoid(ln 3) = 3/4, tanh(ln 2) = 3/5
        assertTrue(decimal.equal(new BigDecimal("0.75"),
                decimal.apply(Builtin.SIGMOID, decimal.apply(Builtin.LOG, BigDecimal.valueOf(3)))));
        assertTrue(decimal.equal(new BigDecimal("0.6"), decimal.apply(Builtin.TANH, LN2)));
        assertFalse(decimal.equal(new BigDecimal("0.6"), new BigDecimal("0.6000000000000000000000000000001")));
        assertThrows(ArithmeticException.class, () -> decimal.apply(Builtin.LOG, BigDecimal.ZERO));
    }

    @Test
    void decimalLogarithmsOfHugeAndTinyNumbersAreQuickAndRight() {
        // A whole x − 1 or 2 + y would have ten million digits here and take minutes.
        BigDecimal huge = new BigDecimal("1e10000000");
        BigDecimal tiny = new BigDecimal("1e-10000000");
        BigDecimal tenMillionLn10 = decimal.multiply(decimal.apply(Builtin.LOG, BigDecimal.TEN), new BigDecimal(10_000_000));
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            assertTrue(decimal.equal(tenMillionLn10, decimal.apply(Builtin.LOG, huge)));
            assertTrue(decimal.equal(tenMillionLn10.negate(), decimal.apply(Builtin.LOG, tiny)));
            // ln(1 + y) = y to fifty digits for so small a y
            assertEquals(0, tiny.compareTo(decimal.log1p(tiny)));
        });
    }

    @Test
    void decimalDerivativesMatchDifferenceQuotients() {
        BigDecimal h = new BigDecimal("1e-20");
        BigDecimal tolerance = new BigDecimal("1e-25");
        for (String z : new String[] {"-3.5", "-0.25", "0.7", "4"}) {
            BigDecimal point = new BigDecimal(z);
            for (Builtin function : new Builtin[] {Builtin.TANH, Builtin.SIGMOID, Builtin.SOFTPLUS, Builtin.EXP}) {
                BigDecimal slope = difference(point, h, v -> decimal.apply(function, v));
                assertTrue(slope.subtract(decimal.derivative(function, 0, point)).abs().compareTo(tolerance) < 0,
                        function + " at " + z);
            }
            for (int order = 0; order < 3; order++) {
                int k = order;
                BigDecimal slope = difference(point, h, v -> decimal.genericDerivative("f", k, v));
                BigDecimal next = decimal.genericDerivative("f", k + 1, point);
                assertTrue(slope.subtract(next).abs().compareTo(tolerance) < 0, "f^(" + k + ") at " + z);
            }
        }
    }

    @Test
    void decimalAndDoubleShareTheirGenericActivation() {
        DoubleArithmetic doubles = new DoubleArithmetic(9);
        for (int order = 0; order < 4; order++) {
            double expected = decimal.genericDerivative("f", order, new BigDecimal("0.3")).doubleValue();
            assertEquals(expected, doubles.genericDerivative("f", order, 0.3), 1e-12);
        }
    }

    private BigDecimal difference(BigDecimal z, BigDecimal h, java.util.function.UnaryOperator<BigDecimal> f) {
        BigDecimal up = f.apply(z.add(h));
        BigDecimal down = f.apply(z.subtract(h));
        return up.subtract(down).divide(h.multiply(BigDecimal.valueOf(2)), decimal.context());
    }

    /** Rounding noise next to 0 is not a difference: a witness run must not call it a move. */
    @Test
    void decimalEqualityIgnoresNoiseNearZero() {
        DecimalArithmetic d = new DecimalArithmetic(1, new java.math.MathContext(40));
        assertTrue(d.equal(new java.math.BigDecimal("-1e-42"), java.math.BigDecimal.ZERO));
        assertFalse(d.equal(new java.math.BigDecimal("1e-20"), java.math.BigDecimal.ZERO));
        assertFalse(d.equal(new java.math.BigDecimal("1.000000000000000000001"), java.math.BigDecimal.ONE));
        assertTrue(d.equal(new java.math.BigDecimal("1e40").add(java.math.BigDecimal.ONE), new java.math.BigDecimal("1e40")));
    }

    /**
     * exp at 40 digits against values computed independently (e and e^-1 from their series at
     * 60 digits, e^10 from e, e^-745.5 and e^0.001 from the series directly) and against the
     * identity e^x · e^-x = 1, from tiny arguments to huge ones.
     */
    @Test
    void decimalExpIsAccurateToItsPrecision() {
        java.math.MathContext mc = new java.math.MathContext(40);
        DecimalArithmetic d = new DecimalArithmetic(1, mc);
        java.math.MathContext wide = new java.math.MathContext(80);
        java.math.BigDecimal e = seriesExp(java.math.BigDecimal.ONE, wide);
        assertRelativelyClose(e, d.exp(java.math.BigDecimal.ONE), 1e-39);
        assertRelativelyClose(java.math.BigDecimal.ONE.divide(e, wide), d.exp(java.math.BigDecimal.ONE.negate()), 1e-39);
        assertRelativelyClose(e.pow(10, wide), d.exp(java.math.BigDecimal.TEN), 1e-39);
        assertRelativelyClose(seriesExp(new java.math.BigDecimal("0.001"), wide), d.exp(new java.math.BigDecimal("0.001")), 1e-39);
        // e^-745.5 = (e^-1)^745 · e^-0.5
        java.math.BigDecimal expected = java.math.BigDecimal.ONE.divide(e, wide).pow(745, wide)
                .multiply(java.math.BigDecimal.ONE.divide(seriesExp(new java.math.BigDecimal("0.5"), wide), wide), wide);
        assertRelativelyClose(expected, d.exp(new java.math.BigDecimal("-745.5")), 1e-38);
        for (String x : new String[] {"1e-30", "0.3", "-2.75", "123.456", "-9999.5", "250000", "-3000000"}) {
            java.math.BigDecimal v = new java.math.BigDecimal(x);
            assertRelativelyClose(java.math.BigDecimal.ONE, d.exp(v).multiply(d.exp(v.negate()), wide), 1e-38);
        }
        assertEquals(0, d.exp(new java.math.BigDecimal("-2e8")).signum(), "below e^-1e8 exp underflows to 0");
    }

    /** Σ x^n/n! until the terms vanish at this precision: slow, plain, independent of the code tested. */
    private static java.math.BigDecimal seriesExp(java.math.BigDecimal x, java.math.MathContext mc) {
        java.math.BigDecimal sum = java.math.BigDecimal.ONE;
        java.math.BigDecimal term = java.math.BigDecimal.ONE;
        for (int n = 1; n < 400; n++) {
            term = term.multiply(x, mc).divide(java.math.BigDecimal.valueOf(n), mc);
            sum = sum.add(term, mc);
        }
        return sum;
    }

    private static void assertRelativelyClose(java.math.BigDecimal expected, java.math.BigDecimal actual, double tolerance) {
        double relative = expected.subtract(actual).abs().divide(expected.abs(), java.math.MathContext.DECIMAL64).doubleValue();
        assertTrue(relative < tolerance, actual + " vs " + expected + ": relative error " + relative);
    }
}
