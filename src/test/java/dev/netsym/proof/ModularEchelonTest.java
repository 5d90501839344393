package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.model.Rational;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ranks and null spaces modulo a prime against exact rational elimination of the same integer vectors. */
class ModularEchelonTest {
    /** The rank over the rationals, by fraction-free elimination in big integers. */
    private static int exactRank(List<long[]> vectors, int columns) {
        List<BigInteger[]> rows = new ArrayList<>();
        for (long[] v : vectors) {
            BigInteger[] row = new BigInteger[columns];
            for (int c = 0; c < columns; c++) row[c] = BigInteger.valueOf(v[c]);
            rows.add(row);
        }
        int rank = 0;
        for (int c = 0; c < columns && rank < rows.size(); c++) {
            int pivot = -1;
            for (int r = rank; r < rows.size(); r++) if (rows.get(r)[c].signum() != 0) pivot = r;
            if (pivot < 0) continue;
            BigInteger[] p = rows.remove(pivot);
            rows.add(rank, p);
            for (int r = rank + 1; r < rows.size(); r++) {
                BigInteger[] row = rows.get(r);
                BigInteger f = row[c];
                for (int k = 0; k < columns; k++) row[k] = row[k].multiply(p[c]).subtract(p[k].multiply(f));
            }
            rank++;
        }
        return rank;
    }

    @Test
    void rankAndNullSpaceAgreeWithExactEliminationAsVectorsArrive() {
        Random random = new Random(17);
        ModularArithmetic field = new ModularArithmetic(5);
        for (int trial = 0; trial < 40; trial++) {
            int columns = 2 + random.nextInt(12);
            ModularEchelon echelon = new ModularEchelon(field, columns);
            List<long[]> added = new ArrayList<>();
            for (int n = 0; n < 2 + random.nextInt(16); n++) {
                long[] v = new long[columns];
                if (!added.isEmpty() && random.nextInt(3) == 0) {
                    // A combination of earlier vectors: must add nothing.
                    for (long[] earlier : added) {
                        long f = random.nextInt(5) - 2;
                        for (int c = 0; c < columns; c++) v[c] += f * earlier[c];
                    }
                } else {
                    v = randomVector(random, columns);
                }
                long[] residues = new long[columns];
                for (int c = 0; c < columns; c++) residues[c] = field.fromRational(Rational.of(v[c]));
                boolean independent = echelon.independentOf(residues);
                List<long[]> with = new ArrayList<>(added);
                with.add(v);
                assertEquals(exactRank(with, columns) > exactRank(added, columns), independent);
                assertEquals(independent, echelon.add(residues));
                added.add(v);
                assertEquals(exactRank(added, columns), echelon.rank());
                if (random.nextInt(4) == 0) assertNullSpace(field, echelon, added, columns);
            }
            assertNullSpace(field, echelon, added, columns);
        }
    }

    /**
     * Near saturation most vectors are dependent and the echelon tests them against its null
     * space instead of reducing them; an independent one must still get through, and must
     * renew that null space for the vectors after it.
     */
    @Test
    void aSaturatedSpanStillTellsDependentFromIndependentVectors() {
        Random random = new Random(29);
        ModularArithmetic field = new ModularArithmetic(7);
        for (int trial = 0; trial < 30; trial++) {
            int columns = 3 + random.nextInt(10);
            List<long[]> generators = new ArrayList<>();
            for (int g = 0; g < columns / 2 + random.nextInt(columns / 2 + 1); g++) generators.add(randomVector(random, columns));
            ModularEchelon echelon = new ModularEchelon(field, columns);
            List<long[]> added = new ArrayList<>();
            for (int n = 0; n < 3 * columns; n++) {
                long[] v;
                if (random.nextInt(8) == 0) {
                    v = randomVector(random, columns);
                } else {
                    v = new long[columns];
                    for (long[] g : generators) {
                        long f = random.nextInt(7) - 3;
                        for (int c = 0; c < columns; c++) v[c] += f * g[c];
                    }
                }
                long[] residues = new long[columns];
                for (int c = 0; c < columns; c++) residues[c] = field.fromLong(v[c]);
                List<long[]> with = new ArrayList<>(added);
                with.add(v);
                boolean independent = exactRank(with, columns) > exactRank(added, columns);
                if (random.nextBoolean()) assertEquals(independent, echelon.independentOf(residues));
                assertEquals(independent, echelon.add(residues));
                added.add(v);
                assertEquals(exactRank(added, columns), echelon.rank());
            }
            assertNullSpace(field, echelon, added, columns);
        }
    }

    private static long[] randomVector(Random random, int columns) {
        long[] v = new long[columns];
        for (int c = 0; c < columns; c++) v[c] = random.nextInt(3) == 0 ? 0 : random.nextInt(19) - 9;
        return v;
    }

    private static void assertNullSpace(ModularArithmetic field, ModularEchelon echelon, List<long[]> added, int columns) {
        List<long[]> nullSpace = echelon.nullSpace();
        assertEquals(columns - echelon.rank(), nullSpace.size());
        for (long[] n : nullSpace) {
            for (long[] v : added) {
                long dot = 0;
                for (int c = 0; c < columns; c++) dot = field.addmod(dot, field.mulmod(n[c], field.fromRational(Rational.of(v[c]))));
                assertEquals(0, dot);
            }
        }
        ModularEchelon basis = new ModularEchelon(field, columns);
        for (long[] n : nullSpace) assertEquals(true, basis.add(n));
    }
}
