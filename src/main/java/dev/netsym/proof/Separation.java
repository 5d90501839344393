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
 * @param difference g_first − g_second (or g_first) on the final subspace, when computed symbolically
 * @param witness the run of gradient descent that shows it: a split without one is never a
 *                separation (the proof reports it as undecided)
 */
public record Separation(String first, String second, int round, Optional<Expr> difference, Witness witness,
                         boolean opposite) {
    public Separation {
        Objects.requireNonNull(witness, "a separation needs a witness");
    }

    /** Two parameters that started equal and stop being equal (or one that moves). */
    public Separation(String first, String second, int round, Optional<Expr> difference, Witness witness) {
        this(first, second, round, difference, witness, false);
    }

    public boolean isMove() { return second == null; }
}
