package dev.netsym.calculus;

/** An operation the chosen {@link Arithmetic} cannot evaluate (e.g. tanh modulo a prime). */
public class UnsupportedArithmeticException extends UnsupportedOperationException {
    public UnsupportedArithmeticException(String message) {
        super(message);
    }
}
