package dev.netsym.proof;

import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.model.Rational;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Vectors over the integers modulo a prime, kept in reduced row echelon form as they are
 * added: the rank so far, whether a new vector adds to it, and the null space of the rows.
 * A rank computed here never exceeds the rank over the rationals of the same integer vectors,
 * so a rank it reports is a proved lower bound.
 */
final class ModularEchelon {
    private final ModularArithmetic field;
    private final int columns;
    private final List<long[]> rows = new ArrayList<>();
    private final List<Integer> pivots = new ArrayList<>();
    /** The null space of the rows, kept once a vector has been found dependent until one is added. */
    private List<long[]> orthogonal;
    private boolean missedSinceGrowth;

    ModularEchelon(ModularArithmetic field, int columns) {
        this.field = field;
        this.columns = columns;
    }

    int rank() { return rows.size(); }

    int columns() { return columns; }

    /** Row k of the reduced echelon form: 1 at its pivot column, 0 at every other row's. */
    long[] row(int k) { return rows.get(k); }

    int pivot(int k) { return pivots.get(k); }

    /** Adds the vector (Montgomery residues); whether it was independent of the rows so far. */
    boolean add(long[] vector) {
        if (nullSpaceTestApplies() && orthogonalToNullSpace(vector)) return false;
        long[] v = reduced(vector);
        int pivot = firstNonZero(v);
        if (pivot < 0) {
            missedSinceGrowth = true;
            return false;
        }
        long inverse = field.inverse(v[pivot]);
        for (int c = 0; c < columns; c++) v[c] = field.mulmod(v[c], inverse);
        for (long[] row : rows) {
            if (row[pivot] != 0) subtractMultiple(row, v, row[pivot]);
        }
        rows.add(v);
        pivots.add(pivot);
        orthogonal = null;
        missedSinceGrowth = false;
        return true;
    }

    /** Whether the vector is outside the span of the rows (without adding it). */
    boolean independentOf(long[] vector) {
        if (nullSpaceTestApplies()) return !orthogonalToNullSpace(vector);
        if (firstNonZero(reduced(vector)) >= 0) return true;
        missedSinceGrowth = true;
        return false;
    }

    /**
     * A vector is in the row space exactly when it is orthogonal to the null space. Once vectors
     * come out dependent (a search near saturation), that test, one product per free column, is
     * far cheaper than a reduction by every row.
     */
    private boolean nullSpaceTestApplies() {
        return missedSinceGrowth && columns - rows.size() <= rows.size();
    }

    private boolean orthogonalToNullSpace(long[] vector) {
        if (orthogonal == null) orthogonal = nullSpace();
        for (long[] n : orthogonal) {
            long dot = 0;
            for (int c = 0; c < columns; c++) {
                if (vector[c] != 0 && n[c] != 0) dot = field.addmod(dot, field.mulmod(vector[c], n[c]));
            }
            if (dot != 0) return false;
        }
        return true;
    }

    private long[] reduced(long[] vector) {
        long[] v = vector.clone();
        for (int r = 0; r < rows.size(); r++) {
            int p = pivots.get(r);
            if (v[p] != 0) subtractMultiple(v, rows.get(r), v[p]);
        }
        return v;
    }

    private static int firstNonZero(long[] v) {
        for (int c = 0; c < v.length; c++) if (v[c] != 0) return c;
        return -1;
    }

    private void subtractMultiple(long[] target, long[] row, long factor) {
        for (int c = 0; c < columns; c++) {
            if (row[c] != 0) target[c] = field.submod(target[c], field.mulmod(factor, row[c]));
        }
    }

    /**
     * A basis of the vectors orthogonal to every row, one per free column, each scaled so that
     * its first non-zero entry is 1 (so that rational coefficients come out small).
     */
    List<long[]> nullSpace() {
        boolean[] pivot = new boolean[columns];
        for (int p : pivots) pivot[p] = true;
        List<long[]> basis = new ArrayList<>();
        for (int free = 0; free < columns; free++) {
            if (pivot[free]) continue;
            long[] v = new long[columns];
            v[free] = field.one();
            for (int r = 0; r < rows.size(); r++) v[pivots.get(r)] = field.submod(0, rows.get(r)[free]);
            int first = 0;
            while (v[first] == 0) first++;
            long inverse = field.inverse(v[first]);
            for (int c = 0; c < columns; c++) v[c] = field.mulmod(v[c], inverse);
            basis.add(v);
        }
        return basis;
    }

    /**
     * The rational n/d with |n|, d ≤ √(m/2) congruent to the residue, if there is one (Wang's
     * rational reconstruction by the extended Euclidean algorithm).
     */
    static Optional<Rational> rational(ModularArithmetic field, long montgomeryResidue) {
        long m = field.modulus();
        long residue = field.standardResidue(montgomeryResidue);
        BigInteger bound = BigInteger.valueOf(m / 2).sqrt();
        BigInteger r0 = BigInteger.valueOf(m), r1 = BigInteger.valueOf(residue);
        BigInteger t0 = BigInteger.ZERO, t1 = BigInteger.ONE;
        while (r1.compareTo(bound) > 0) {
            BigInteger[] qr = r0.divideAndRemainder(r1);
            r0 = r1;
            r1 = qr[1];
            BigInteger t = t0.subtract(qr[0].multiply(t1));
            t0 = t1;
            t1 = t;
        }
        if (t1.signum() == 0 || t1.abs().compareTo(bound) > 0) return Optional.empty();
        if (!r1.gcd(t1).equals(BigInteger.ONE)) return Optional.empty();
        return Optional.of(Rational.of(r1, t1));
    }
}
