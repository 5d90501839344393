package dev.netsym.proof;

import java.util.Optional;

/**
 * What a prover says about one claim (two gradients equal, or one gradient 0, on the
 * subspace): proved with a certificate, refuted (shown not to hold identically), or neither.
 * A refutation always wins over a randomized test; neither is a conclusion about the claim.
 *
 * @param cutShort for "neither": whether the prover stopped because a time limit was reached
 *                 (the overall budget or a single computer-algebra call), so a longer run might decide
 */
record ProverVerdict(Optional<Certificate> certificate, boolean refuted, boolean cutShort) {
    static ProverVerdict proved(Certificate certificate) {
        return new ProverVerdict(Optional.of(certificate), false, false);
    }

    static final ProverVerdict REFUTED = new ProverVerdict(Optional.empty(), true, false);
    static final ProverVerdict UNKNOWN = new ProverVerdict(Optional.empty(), false, false);
    static final ProverVerdict CUT_SHORT = new ProverVerdict(Optional.empty(), false, true);

    boolean isProved() { return certificate.isPresent(); }
}
