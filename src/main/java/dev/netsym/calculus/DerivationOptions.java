package dev.netsym.calculus;

import dev.netsym.model.Expr;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

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
 * @param maxSymbolicParameters above this many parameters, or this many times as many
 *     unit-to-operand edges, the whole derivation is done in the adjoint (unit-level) form
 *     without the CAS: the per-parameter symbolic work of the full form grows faster than
 *     the network (see {@link Derivation})
 * @param only the parameters whose gradients are wanted; empty for all
 */
public record DerivationOptions(int maxExpansionSize, int maxChainTerms, Map<String, Expr> point,
        Duration timeoutPerCall, int maxSymbolicParameters, Set<String> only) {

    /** Gradients of 40 parameters take the CAS a few seconds; beyond that it is minutes. */
    public static final int MAX_SYMBOLIC_PARAMETERS = 40;

    public DerivationOptions {
        point = Map.copyOf(point);
        only = Set.copyOf(only);
    }

    public DerivationOptions(int maxExpansionSize, int maxChainTerms, Map<String, Expr> point, Duration timeoutPerCall) {
        this(maxExpansionSize, maxChainTerms, point, timeoutPerCall, MAX_SYMBOLIC_PARAMETERS, Set.of());
    }

    public static DerivationOptions defaults() {
        return new DerivationOptions(400, 32, Map.of(), SymbolicEngine.DEFAULT_TIMEOUT);
    }

    public DerivationOptions withPoint(Map<String, Expr> values) {
        return new DerivationOptions(maxExpansionSize, maxChainTerms, values, timeoutPerCall, maxSymbolicParameters, only);
    }

    public DerivationOptions withMaxExpansionSize(int size) {
        return new DerivationOptions(size, maxChainTerms, point, timeoutPerCall, maxSymbolicParameters, only);
    }

    public DerivationOptions withMaxSymbolicParameters(int count) {
        return new DerivationOptions(maxExpansionSize, maxChainTerms, point, timeoutPerCall, count, only);
    }

    /** Only these parameters' gradients (all when empty); units are always derived. */
    public DerivationOptions withOnly(Set<String> parameters) {
        return new DerivationOptions(maxExpansionSize, maxChainTerms, point, timeoutPerCall, maxSymbolicParameters,
                parameters);
    }
}
