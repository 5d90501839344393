package dev.netsym.calculus;

import dev.netsym.model.Expr;
import java.time.Duration;
import java.util.Map;

/**
 * Limits and extras for {@link Derivation#of}.
 *
 * @param maxExpansionSize expressions in inputs and parameters are built only while their
 *     size ({@link SymbolicEngine#size}) stays at or below this; beyond it the chain and
 *     local forms are kept and the reason recorded (full expansions grow exponentially)
 * @param maxChainTerms above this many chain-rule paths the chain is shown per unit that
 *     uses the parameter (adjoint form) instead of per path
 * @param point extra values (name → expression) at which to evaluate every gradient; empty
 *     for none
 * @param timeoutPerCall the time limit of each symbolic operation
 */
public record DerivationOptions(int maxExpansionSize, int maxChainTerms, Map<String, Expr> point,
        Duration timeoutPerCall) {

    public DerivationOptions { point = Map.copyOf(point); }

    public static DerivationOptions defaults() {
        return new DerivationOptions(400, 32, Map.of(), SymbolicEngine.DEFAULT_TIMEOUT);
    }

    public DerivationOptions withPoint(Map<String, Expr> values) {
        return new DerivationOptions(maxExpansionSize, maxChainTerms, values, timeoutPerCall);
    }

    public DerivationOptions withMaxExpansionSize(int size) {
        return new DerivationOptions(size, maxChainTerms, point, timeoutPerCall);
    }
}
