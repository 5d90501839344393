package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every builtin function, from the table: its partial derivatives agree with central finite
 * differences of its value in 60-digit decimals; double-doubles and doubles agree with the
 * decimals; exact and modular arithmetic evaluate exactly what the function's exactness allows,
 * with the conventions at kinks; erfc matches published values far into its tail.
 */
class BuiltinFunctionsTest {
    private static final MathContext DIGITS_60 = new MathContext(60, RoundingMode.HALF_EVEN);
    private final DecimalArithmetic decimal = new DecimalArithmetic(1, DIGITS_60);

    /** A point of the function's domain, away from its kinks, as arguments. */
    private static Rational[] point(Builtin f, SplittableRandom random) {
        Rational[] args = new Rational[f.arity()];
        for (int i = 0; i < args.length; i++) {
            Rational x = Rational.of(random.nextInt(1, 4000), random.nextInt(1, 400));
            if (random.nextBoolean() && f != Builtin.SQRT && f != Builtin.LOG) x = x.negate();
            args[i] = x;
        }
        if (f == Builtin.LEAKY_RELU) args[1] = Rational.of(random.nextInt(1, 9), 10);
        if (f.arity() == 2 && args[0].equals(args[1])) args[1] = args[1].add(Rational.ONE);
        return args;
    }

    private BigDecimal[] decimals(Rational[] args) {
        BigDecimal[] values = new BigDecimal[args.length];
        for (int i = 0; i < args.length; i++) values[i] = decimal.fromRational(args[i]);
        return values;
    }

    @Test
    void partialsAreTheSlopesOfTheValues() {
        SplittableRandom random = new SplittableRandom(20261130);
        BigDecimal h = new BigDecimal("1e-20");
        for (Builtin f : Builtin.values()) {
            for (int trial = 0; trial < 40; trial++) {
                Rational[] args = point(f, random);
                if (f == Builtin.EXP && args[0].compareTo(Rational.of(200)) > 0) continue;
                for (int k = 0; k < f.arity(); k++) {
                    BigDecimal[] up = decimals(args);
                    BigDecimal[] down = decimals(args);
                    up[k] = up[k].add(h);
                    down[k] = down[k].subtract(h);
                    BigDecimal slope = decimal.apply(f, up).subtract(decimal.apply(f, down))
                            .divide(h.multiply(BigDecimal.valueOf(2)), DIGITS_60);
                    BigDecimal partial = decimal.derivative(f, k, decimals(args));
                    BigDecimal error = slope.subtract(partial).abs();
                    BigDecimal allowed = partial.abs().max(BigDecimal.ONE).multiply(new BigDecimal("1e-30"));
                    assertTrue(error.compareTo(allowed) <= 0, f + " ∂/∂arg" + k + " at " + java.util.Arrays.toString(args)
                            + ": " + partial + " but the slope is " + slope);
                }
            }
        }
    }

    @Test
    void doubleDoublesAndDoublesAgreeWithDecimals() {
        SplittableRandom random = new SplittableRandom(17);
        DoubleDoubleArithmetic dd = new DoubleDoubleArithmetic(1);
        DoubleArithmetic doubles = new DoubleArithmetic(1);
        for (Builtin f : Builtin.values()) {
            for (int trial = 0; trial < 200; trial++) {
                Rational[] args = point(f, random);
                if (f == Builtin.EXP && args[0].compareTo(Rational.of(200)) > 0) continue;
                DoubleDouble[] ddArgs = new DoubleDouble[args.length];
                Double[] doubleArgs = new Double[args.length];
                for (int i = 0; i < args.length; i++) {
                    ddArgs[i] = dd.fromRational(args[i]);
                    doubleArgs[i] = args[i].doubleValue();
                }
                // Against the decimal value at the double-double's own (rounded) arguments.
                BigDecimal[] at = new BigDecimal[args.length];
                for (int i = 0; i < args.length; i++) at[i] = ddArgs[i].toBigDecimal();
                close(f + java.util.Arrays.toString(args), decimal.apply(f, at), dd.apply(f, ddArgs).toBigDecimal(), "1e-28");
                close(f + java.util.Arrays.toString(args), decimal.apply(f, at),
                        new BigDecimal(doubles.apply(f, doubleArgs)), "1e-12");
                for (int k = 0; k < f.arity(); k++) {
                    close(f + "'" + k + java.util.Arrays.toString(args), decimal.derivative(f, k, at),
                            dd.derivative(f, k, ddArgs).toBigDecimal(), "1e-28");
                }
            }
        }
    }

    private static void close(String what, BigDecimal expected, BigDecimal actual, String relative) {
        BigDecimal error = expected.subtract(actual).abs();
        BigDecimal allowed = expected.abs().multiply(new BigDecimal(relative)).add(new BigDecimal("1e-300"));
        assertTrue(error.compareTo(allowed) <= 0, what + ": expected " + expected.round(new MathContext(35))
                + ", got " + actual.round(new MathContext(35)));
    }

    /** erfc against values computed independently at 80 digits; far tails included. */
    @Test
    void erfcMatchesPublishedValues() {
        String[][] table = {
            {"0.5", "0.479500122186953462317253346108035471263548424242036"},
            {"1", "0.157299207050285130658779364917390740703933002033697"},
            {"2.5", "0.00040695201744495893956421573997491272034867740371342"},
            {"3", "0.0000220904969985854413727761295823203798477070873992497"},
            {"10", "2.08848758376254475700078629495778861156081811932116e-45"},
            {"30", "2.56465620375611160003339727750144714654888972277862e-393"},
            {"-1.5", "1.96610514647531072706697626164594785868141047925764"},
        };
        DecimalArithmetic d = new DecimalArithmetic(1, new MathContext(50));
        DoubleDoubleArithmetic dd = new DoubleDoubleArithmetic(1);
        for (String[] row : table) {
            BigDecimal expected = new BigDecimal(row[1]);
            close("erfc(" + row[0] + ")", expected, d.erfc(new BigDecimal(row[0])), "1e-45");
            if (!row[0].equals("30")) {
                close("dd erfc(" + row[0] + ")", expected, dd.erfc(DoubleDouble.of(new BigDecimal(row[0]))).toBigDecimal(),
                        "1e-29");
            }
        }
        // gelu keeps relative accuracy deep in its left tail: gelu(−20) = −20·Φ(−20).
        close("gelu(-20)", new BigDecimal("-5.50724823721246739015124556171493066561499546951866e-88"),
                d.apply(Builtin.GELU, BigDecimal.valueOf(-20)), "1e-45");
        close("pi", new BigDecimal("3.14159265358979323846264338327950288419716939937511"), d.pi(), "1e-49");
    }

    @Test
    void exactArithmeticEvaluatesThePiecewiseFunctionsWithTheirConventions() {
        ExactArithmetic exact = new ExactArithmetic();
        Rational a = Rational.of(-3, 2);
        Rational b = Rational.of(5, 7);
        assertEquals(Rational.of(3, 2), exact.apply(Builtin.ABS, a));
        assertEquals(Rational.of(-1), exact.derivative(Builtin.ABS, 0, a));
        assertEquals(Rational.ZERO, exact.derivative(Builtin.ABS, 0, Rational.ZERO));
        assertEquals(b, exact.apply(Builtin.MAX, a, b));
        assertEquals(a, exact.apply(Builtin.MIN, a, b));
        assertEquals(Rational.ZERO, exact.derivative(Builtin.MAX, 0, a, b));
        assertEquals(Rational.ONE, exact.derivative(Builtin.MAX, 1, a, b));
        assertEquals(Rational.ONE, exact.derivative(Builtin.MIN, 0, a, b));
        // A tie splits the slope: gradient descent keeps max(w1·x, w2·x) symmetric in w1 and w2.
        for (Builtin f : new Builtin[] {Builtin.MAX, Builtin.MIN}) {
            assertEquals(Rational.of(1, 2), exact.derivative(f, 0, b, b));
            assertEquals(Rational.of(1, 2), exact.derivative(f, 1, b, b));
        }
        for (Builtin f : Builtin.values()) {
            assertEquals(f.exactness() != Builtin.Exactness.TRANSCENDENTAL, exact.supports(f), f.specName());
            // No builtin is a rational function, and modulo a prime nothing else has a meaning.
            assertFalse(new ModularArithmetic(1).supports(f), f.specName());
        }
        assertThrows(UnsupportedArithmeticException.class, () -> exact.apply(Builtin.ELU, Rational.of(-1)));
        assertThrows(UnsupportedArithmeticException.class, () -> new ModularArithmetic(1).apply(Builtin.ABS, 3L));
    }

    @Test
    void kinksAndDomainsFollowTheConventions() {
        BigDecimal zero = BigDecimal.ZERO;
        assertEquals(0, BigDecimal.ONE.compareTo(decimal.derivative(Builtin.ELU, 0, zero)));
        assertEquals(0, new BigDecimal("0.5").compareTo(decimal.derivative(Builtin.GELU, 0, zero)));
        assertEquals(0, new BigDecimal("0.5").compareTo(decimal.derivative(Builtin.GELU_TANH, 0, zero)));
        assertEquals(0, new BigDecimal("0.5").compareTo(decimal.derivative(Builtin.SILU, 0, zero)));
        assertEquals(0, zero.compareTo(decimal.apply(Builtin.SQRT, zero)));
        assertThrows(DivisionByZeroException.class, () -> decimal.derivative(Builtin.SQRT, 0, zero));
        assertThrows(ArithmeticException.class, () -> decimal.apply(Builtin.SQRT, BigDecimal.valueOf(-1)));
        assertThrows(ArithmeticException.class, () -> new DoubleDoubleArithmetic(1).apply(Builtin.SQRT, DoubleDouble.of(-1)));
        // Arguments of max that differ only within rounding noise have no known order: no branch is taken on noise.
        BigDecimal third = decimal.divide(BigDecimal.ONE, BigDecimal.valueOf(3));
        BigDecimal nearlyThird = third.add(new BigDecimal("1e-55"));
        assertThrows(ArithmeticException.class, () -> decimal.apply(Builtin.MAX, third, nearlyThird));
        assertThrows(ArithmeticException.class, () -> decimal.derivative(Builtin.MIN, 0, third, nearlyThird));
        assertEquals(0, new BigDecimal("0.5").compareTo(decimal.derivative(Builtin.MAX, 1, third, third)));
        // gelu_tanh is the tanh formula it is named after.
        BigDecimal z = new BigDecimal("-1.25");
        BigDecimal u = decimal.sqrt(decimal.divide(BigDecimal.valueOf(2), decimal.pi()))
                .multiply(z.add(new BigDecimal("0.044715").multiply(z.pow(3))), DIGITS_60);
        BigDecimal expected = z.multiply(BigDecimal.ONE.add(decimal.apply(Builtin.TANH, u)), DIGITS_60)
                .divide(BigDecimal.valueOf(2), DIGITS_60);
        close("gelu_tanh(-1.25)", expected, decimal.apply(Builtin.GELU_TANH, z), "1e-45");
    }
}
