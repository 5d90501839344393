package dev.netsym.proof;

import dev.netsym.model.Expr;
import java.util.Optional;

/**
 * Why a class of parameters provably stays together (or a frozen one provably stays put).
 *
 * @param commonGradient the one gradient every member has on the subspace, when it was
 *                       computed symbolically (small networks); empty otherwise
 */
public record Certificate(Kind kind, String detail, Optional<Expr> commonGradient) {
    public enum Kind {
        /** Nothing to prove: the class has one member and is not frozen. */
        TRIVIAL("one parameter"),
        /** Colour refinement of the computation graph: same local expression over the same classes. */
        STRUCTURAL("structural (local lemma)"),
        /** The gradients' difference reduced to 0 by computer algebra. */
        SYMBOLIC("symbolic (reduced to 0)"),
        /** Random evaluation modulo a prime: a polynomial identity test with a stated error bound. */
        RANDOMIZED("randomized identity test");

        private final String label;

        Kind(String label) { this.label = label; }

        public String label() { return label; }
    }

    public static Certificate trivial() {
        return new Certificate(Kind.TRIVIAL, "", Optional.empty());
    }
}
