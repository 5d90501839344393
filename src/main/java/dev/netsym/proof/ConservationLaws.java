package dev.netsym.proof;

import dev.netsym.model.Rational;
import java.util.List;

/**
 * What gradient flow keeps constant: how many independent conservation laws the network has
 * (the codimension of the Lie algebra its per-sample gradient fields generate), and the
 * polynomial ones of low degree, each with its certificate. A value, rendered by {@code render}.
 *
 * @param everyDataset    whether the fields are those of every possible sample (else the spec's data)
 * @param samples         how many samples' fields generated the Lie algebra
 * @param piecewise       whether the network has relu-type units, so that the count is per activation region
 * @param activationPatterns how many distinct activation patterns those samples have at the chosen point
 * @param everyUnitSplit  whether every relu-type unit takes both pieces over the samples (no unit dead for all of them)
 * @param parameters      the dimension D of the parameter space
 * @param lieRank         the dimension r of the Lie algebra at a random point (proved ≥ r; = r when certified)
 * @param bracketDepth    the longest brackets computed
 * @param count           D − r, the number of independent conservation laws
 * @param certified       whether proved laws account for every one of them, which makes the count exact
 *                        without any probability; otherwise the count is an upper bound
 * @param laws            functionally independent polynomial laws, in order
 * @param dependentLaws   further polynomial laws of the same degree that are functions of those listed
 * @param degree          the largest degree searched
 * @param modulus         the prime of the modular arithmetic
 * @param drift           runs of discrete optimisers on the first proved quadratic law, or null
 */
public record ConservationLaws(
        boolean everyDataset,
        int samples,
        boolean piecewise,
        int activationPatterns,
        boolean everyUnitSplit,
        int parameters,
        int lieRank,
        int bracketDepth,
        int count,
        boolean certified,
        List<Law> laws,
        int dependentLaws,
        int degree,
        long modulus,
        LawDrift drift) {

    public ConservationLaws {
        laws = List.copyOf(laws);
    }

    /** Whether the polynomial laws found are all the laws there are. */
    public boolean complete() { return provedLaws() == count; }

    /** The law the drift runs are about: the first proved one of degree 2. */
    public Law driftLaw() {
        return laws.stream().filter(l -> l.proved() && l.degree() == 2).findFirst().orElse(null);
    }

    public long provedLaws() { return laws.stream().filter(Law::proved).count(); }

    /** One monomial c·p·q·…, its factors in order (a parameter listed twice is squared). */
    public record Term(Rational coefficient, List<String> factors) {
        public Term {
            factors = List.copyOf(factors);
            if (factors.isEmpty()) throw new IllegalArgumentException("a term needs a factor");
        }

        public static Term of(Rational coefficient, String... factors) { return new Term(coefficient, List.of(factors)); }

        public int degree() { return factors.size(); }

        /** Each distinct factor with its exponent, in order of first appearance. */
        public java.util.Map<String, Integer> powers() {
            java.util.Map<String, Integer> powers = new java.util.LinkedHashMap<>();
            for (String f : factors) powers.merge(f, 1, Integer::sum);
            return powers;
        }
    }

    /**
     * A conservation law h(θ) = Σ terms, and how it was shown: {@code proof} is the sentence of
     * the proof that ⟨∇h, ∇ℓ⟩ ≡ 0, or null when only exact modular identity tests back it;
     * {@code tangent}, for a proof by tangent, how each unit moves along ∇h (else null).
     */
    public record Law(List<Term> terms, String proof, String tangent) {
        public Law { terms = List.copyOf(terms); }

        public Law(List<Term> terms, String proof) { this(terms, proof, null); }

        public boolean proved() { return proof != null; }

        public int degree() { return terms.stream().mapToInt(Term::degree).max().orElse(0); }
    }
}
