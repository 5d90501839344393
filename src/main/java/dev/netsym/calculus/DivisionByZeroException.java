package dev.netsym.calculus;

/**
 * Division by zero in an {@link Arithmetic}. A random evaluation point that hits a pole is
 * not an error of the network, so callers catch this and draw another point.
 */
public class DivisionByZeroException extends ArithmeticException {
    public DivisionByZeroException(String message) {
        super(message);
    }
}
