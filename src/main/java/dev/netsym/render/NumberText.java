package dev.netsym.render;

import dev.netsym.model.Init;
import dev.netsym.model.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Numbers as a person wrote them. Initial values keep the spec's decimal. Other numbers are
 * exact fractions, so 0.3 in a spec reaches an expression as 3/10; a fraction whose
 * denominator is a multiple of ten comes from decimals (or arithmetic on them) and reads
 * far better as one: 0.0000016073772, not 4018443/2500000000000. Halves, quarters and
 * fifths stay fractions.
 */
final class NumberText {
    private NumberText() {}

    /** Longer decimals than this (0.000…) read worse than their fraction. */
    private static final int MAX_DECIMAL_LENGTH = 24;

    /** The value as a decimal, such as "0.3" for 3/10, or null when it reads better as a fraction. */
    static String decimal(Rational value) {
        if (value.isInteger()) return null;
        BigInteger den = value.denominator();
        if (den.mod(BigInteger.TEN).signum() != 0) return null;
        BigInteger rest = den;
        while (rest.mod(BigInteger.TEN).signum() == 0) rest = rest.divide(BigInteger.TEN);
        while (rest.mod(BigInteger.TWO).signum() == 0) rest = rest.shiftRight(1);
        BigInteger five = BigInteger.valueOf(5);
        while (rest.mod(five).signum() == 0) rest = rest.divide(five);
        // Another prime factor: the decimal never ends.
        if (!rest.equals(BigInteger.ONE)) return null;
        String text = new BigDecimal(value.numerator()).divide(new BigDecimal(den), MathContext.UNLIMITED)
                .stripTrailingZeros().toPlainString();
        return text.length() <= MAX_DECIMAL_LENGTH ? text : null;
    }

    /** An initial value as the spec wrote it: "0.0000016073772", "1/2", "a", "random". */
    static String initial(Init init) {
        return init instanceof Init.Numeric n ? n.written() : init.toString();
    }

    /** A floating-point value to three significant digits: 0.707, -12.5, 3.2e-7. */
    static String approximate(double value) {
        if (value == 0 || !Double.isFinite(value)) return value == 0 ? "0" : Double.toString(value);
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-4 && magnitude < 1e6) return rounded.toPlainString();
        return rounded.toString().replace("E+", "e").replace("E", "e");
    }

    /** Text that is already a decimal ("-0.0125", "1e-3"), as a plain decimal; otherwise null. */
    static String decimalLiteral(String text) {
        if (!DECIMAL_LITERAL.matcher(text).matches()) return null;
        return new BigDecimal(text).toPlainString();
    }

    private static final java.util.regex.Pattern DECIMAL_LITERAL =
            java.util.regex.Pattern.compile("-?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|-?[0-9]+[eE][-+]?[0-9]+");
}
