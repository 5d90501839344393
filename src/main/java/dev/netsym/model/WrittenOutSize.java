package dev.netsym.model;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many operations a network's expressions have when written out as trees, as printers,
 * LaTeX and Symja see them. A front end shares one expression object among many uses (a
 * matrix product's operand, once per column), which the evaluation tape compiles once; written
 * out, every use is a copy, and nesting such products multiplies the copies:
 * {@code tanh(tanh(x @ W1) @ W2) @ W3} is small as a graph and grows as a power as a tree.
 */
public final class WrittenOutSize {

    /**
     * The most operations netsym writes out: what derive and latex print, and what the symbolic
     * prover hands to Symja. It is the spec's own size budget, so that every network the front
     * end accepted before it counted shared values once can still be written out.
     */
    public static final long LIMIT = 6_000_000;

    private final Map<Expr, Long> sizes = new IdentityHashMap<>();
    private final long cap;
    private final long leafSize;

    private WrittenOutSize(long cap, long leafSize) {
        this.cap = cap;
        this.leafSize = leafSize;
    }

    /** Counts operations (names and numbers are free), up to cap; it remembers what it measured. */
    public static WrittenOutSize operations(long cap) {
        return new WrittenOutSize(cap, 0);
    }

    /** Counts every node, names and numbers too, up to cap. */
    public static WrittenOutSize nodes(long cap) {
        return new WrittenOutSize(cap, 1);
    }

    /** Whether the units and the objective, written out, have at most {@link #LIMIT} operations. */
    public static boolean fits(Network network) {
        return operations(LIMIT).passesCapAt(network) < 0;
    }

    /**
     * Where the units, in network order, and then the objective, written out, first come to
     * more than the cap: the index of the unit, the number of units when the objective does it,
     * or -1 when they all fit.
     */
    public int passesCapAt(Network network) {
        long total = 0;
        List<Unit> units = network.units();
        for (int i = 0; i < units.size(); i++) {
            total += of(units.get(i).definition());
            if (total > cap) return i;
        }
        return total + of(network.objective()) > cap ? units.size() : -1;
    }

    /**
     * An expression written out as a tree, or cap + 1 when it is more than cap. Each shared
     * object is measured once, without recursion, so the count costs the size of the graph.
     */
    public long of(Expr root) {
        return Expr.fold(root, sizes, this::flatSize, (e, sizeOf) -> {
            long size = 1;
            for (Expr c : e.children()) size = Math.min(size + sizeOf.apply(c), cap + 1);
            return size;
        });
    }

    /** A name or number, or a flat operation (counted, not remembered). */
    private long flatSize(Expr e) {
        return e.children().isEmpty() ? leafSize : Math.min(1 + leafSize * e.children().size(), cap + 1);
    }
}
