package dev.netsym.proof;

import dev.netsym.model.Expr;
import java.util.Objects;
import java.util.Optional;

/**
 * Evidence that the classes cannot be coarser: two parameters that gradient descent
 * separates, or (with {@code second} null) one that moves although it started pinned. With
 * {@code opposite}, the two started as each other's negatives and stop being so.
 *
 * @param round the refinement round that found it (1 = at the initial point)
 * @param notBefore proved: in every run the two stay equal (the one stays put) through step
 *                  notBefore − 1; with a witness at that step, the first step is exact
 * @param difference g_first − g_second (or g_first) on the final subspace, when computed symbolically
 * @param witness the run of gradient descent that shows it: a split without one is never a
 *                separation (the proof reports it as undecided)
 */
public record Separation(String first, String second, int round, Optional<Expr> difference, Witness witness,
                         boolean opposite, int notBefore) {
    public Separation {
        Objects.requireNonNull(witness, "a separation needs a witness");
    }

    /** Two parameters that started equal and stop being equal (or one that moves); nothing moves before step 1. */
    public Separation(String first, String second, int round, Optional<Expr> difference, Witness witness) {
        this(first, second, round, difference, witness, false, 1);
    }

    /** Whether the first step is known exactly: proved not earlier, and the witness separates them there. */
    public boolean exactStep() {
        return witness.step() == notBefore;
    }

    public boolean isMove() { return second == null; }
}
