package dev.netsym.proof;

import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.model.Network;
import dev.netsym.model.WrittenOutSize;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The whole {@code prove} job within one time budget: the invariant search (with the
 * symbolic prover on small networks), then the symbolic details a reader wants to see and
 * the special initial values. Big networks skip computer algebra entirely: the structural
 * and randomized certificates carry them, and Symja is never even loaded.
 */
public final class ProofRunner {
    /** A single Symja call may not take longer than this, whatever the total budget. */
    private static final Duration PER_CALL = Duration.ofSeconds(10);

    private ProofRunner() {}

    public static Proof prove(Network network, Duration budget) {
        return prove(network, budget, phase -> { });
    }

    /** The same, telling {@code progress} what it is doing at each phase. */
    public static Proof prove(Network network, Duration budget, Consumer<String> progress) {
        long start = System.nanoTime();
        ProofEngine.Options base = new ProofEngine.Options(budget, List.of());
        String notWrittenOut = notWrittenOut(network);
        if (notWrittenOut != null) {
            Proof proof = ProofEngine.prove(network, base, progress);
            return proof.withDetails(ProofDetails.skipped(proof, notWrittenOut));
        }
        try (SymbolicEngine engine = new SymbolicEngine(min(PER_CALL, budget))) {
            SymbolicProver prover = new SymbolicProver(network, engine, budget.dividedBy(2));
            ProofEngine.Options options = SymbolicProver.withProver(base, prover);
            Proof proof = ProofEngine.prove(network, options, progress);
            if (remaining(budget, start).isZero()) return proof;
            progress.accept("writing out units and gradients (Symja)");
            ProofDetails details = SymbolicProofDetails.of(proof, engine, remaining(budget, start));
            if (!remaining(budget, start).isZero()) {
                proof = proof.withSpecialValues(SymbolicProofDetails.specialValues(network, proof, engine,
                        new ProofEngine.Options(remaining(budget, start), options.provers())));
            }
            return proof.withDetails(details);
        }
    }

    /** Why computer algebra is not used on this network, or null when it is. */
    private static String notWrittenOut(Network network) {
        if (network.parameters().size() > SymbolicProver.MAX_PARAMETERS) {
            return "the network has more than " + SymbolicProver.MAX_PARAMETERS + " parameters: expressions are not written out";
        }
        if (!WrittenOutSize.fits(network)) {
            return "written out, they would have more than " + WrittenOutSize.LIMIT
                    + " operations (a value shared by many uses is copied into each)";
        }
        return null;
    }

    private static Duration remaining(Duration budget, long startNanos) {
        Duration left = budget.minusNanos(System.nanoTime() - startNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
