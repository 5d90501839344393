package dev.netsym.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/** An exact rational number in lowest terms with a positive denominator. */
public final class Rational implements Comparable<Rational> {
    public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    private final BigInteger num;
    private final BigInteger den;

    private Rational(BigInteger num, BigInteger den) {
        this.num = num;
        this.den = den;
    }

    public static Rational of(long n) {
        return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    public static Rational of(long n, long d) {
        // Small fractions (random start values, data, constants) reduced in longs: no BigInteger gcd.
        if (d == 0) throw new ArithmeticException("division by zero");
        if (n == Long.MIN_VALUE || d == Long.MIN_VALUE) return of(BigInteger.valueOf(n), BigInteger.valueOf(d));
        if (d < 0) {
            n = -n;
            d = -d;
        }
        if (n == 0) return ZERO;
        long g = gcd(Math.abs(n), d);
        return new Rational(BigInteger.valueOf(n / g), d == g ? BigInteger.ONE : BigInteger.valueOf(d / g));
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Whether a number fits in 31 bits and a sign: products of two such fit in a long. */
    private static boolean small(BigInteger b) {
        return b.bitLength() < 32;
    }

    public static Rational of(BigInteger n, BigInteger d) {
        if (d.equals(BigInteger.ONE)) return new Rational(n, BigInteger.ONE);
        if (d.signum() == 0) throw new ArithmeticException("division by zero");
        if (d.signum() < 0) {
            n = n.negate();
            d = d.negate();
        }
        BigInteger g = n.gcd(d);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            n = n.divide(g);
            d = d.divide(g);
        }
        if (n.signum() == 0) d = BigInteger.ONE;
        return new Rational(n, d);
    }

    /** Parses an integer, a decimal ("0.25", "1e-3") or a fraction ("1/2"). */
    public static Rational parse(String text) {
        int slash = text.indexOf('/');
        if (slash >= 0) {
            return parse(text.substring(0, slash)).divide(parse(text.substring(slash + 1)));
        }
        BigDecimal d = new BigDecimal(text);
        if (d.scale() <= 0) return of(d.toBigIntegerExact(), BigInteger.ONE);
        return of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }

    public BigInteger numerator() { return num; }
    public BigInteger denominator() { return den; }
    public boolean isZero() { return num.signum() == 0; }
    public boolean isOne() { return num.equals(BigInteger.ONE) && den.equals(BigInteger.ONE); }
    public boolean isInteger() { return den.equals(BigInteger.ONE); }
    public int signum() { return num.signum(); }

    public Rational add(Rational o) {
        if (den.equals(o.den)) return of(num.add(o.num), den);
        return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    public Rational subtract(Rational o) { return add(o.negate()); }

    public Rational multiply(Rational o) {
        if (small(num) && small(den) && small(o.num) && small(o.den)) {
            return of(num.longValue() * o.num.longValue(), den.longValue() * o.den.longValue());
        }
        return of(num.multiply(o.num), den.multiply(o.den));
    }

    public Rational divide(Rational o) {
        if (o.isZero()) throw new ArithmeticException("division by zero");
        return of(num.multiply(o.den), den.multiply(o.num));
    }

    public Rational negate() { return new Rational(num.negate(), den); }

    public Rational pow(int exponent) {
        if (exponent >= 0) return new Rational(num.pow(exponent), den.pow(exponent));
        return ONE.divide(pow(-exponent));
    }

    public double doubleValue() {
        return new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL64).doubleValue();
    }

    public BigDecimal toBigDecimal(MathContext mc) {
        return new BigDecimal(num).divide(new BigDecimal(den), mc);
    }

    /** Total size of numerator and denominator in bits, a measure of how costly it is to use. */
    public int bitLength() { return num.bitLength() + den.bitLength(); }

    @Override
    public int compareTo(Rational o) {
        return num.multiply(o.den).compareTo(o.num.multiply(den));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rational r && r.num.equals(num) && r.den.equals(den);
    }

    @Override
    public int hashCode() { return num.hashCode() * 31 + den.hashCode(); }

    /** "3", "-1/2": the spec language's own notation. */
    @Override
    public String toString() {
        return isInteger() ? num.toString() : num + "/" + den;
    }
}
