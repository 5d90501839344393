package dev.netsym.calculus;

import java.util.function.Function;

/**
 * The outcome of a bounded symbolic operation: a value, or "unknown" with the reason
 * (time limit, unsupported construct). Callers must decide what unknown means for them,
 * which is why it is not an exception.
 */
public record SymbolicResult<T>(T value, String unknownReason) {

    public static <T> SymbolicResult<T> known(T value) {
        return new SymbolicResult<>(value, null);
    }

    public static <T> SymbolicResult<T> unknown(String reason) {
        return new SymbolicResult<>(null, reason);
    }

    public boolean isKnown() { return unknownReason == null; }

    public T orElse(T fallback) { return isKnown() ? value : fallback; }

    public <U> SymbolicResult<U> map(Function<T, U> f) {
        return isKnown() ? known(f.apply(value)) : unknown(unknownReason);
    }
}
