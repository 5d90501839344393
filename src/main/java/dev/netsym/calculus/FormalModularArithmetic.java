package dev.netsym.calculus;

import dev.netsym.model.Rational;

/**
 * Residues modulo a random prime in which every e^x, σ, log, √, erfc and π, every indicator of a
 * piece (relu's step, max's share, abs's sign), and every derivative of a generic activation, is
 * an unknown of its own: a uniform residue drawn by a keyed hash of
 * the function and its argument, so that equal arguments give the same unknown. A smooth
 * network's gradient is then a rational function of the parameters, the data and these
 * unknowns; two gradients equal as such functions are equal for the unknowns' real values too,
 * whatever relations the reals add between them. {@link FormalSizeArithmetic} bounds the
 * sizes that turn agreement at random points into a probability.
 */
public final class FormalModularArithmetic implements BranchFreeArithmetic<Long> {
    private final ModularArithmetic residues;

    public FormalModularArithmetic(long seed) {
        this.residues = new ModularArithmetic(seed);
    }

    public long modulus() { return residues.modulus(); }

    /** The unknown standing for function(argument); a name no activation can have keeps them apart. */
    private Long unknown(String function, Long argument) {
        return residues.genericDerivative("\u0000" + function, 0, argument);
    }

    @Override public Long exp(Long a) { return unknown("exp", a); }

    @Override public Long log(Long a) { return unknown("log", a); }

    @Override public Long sqrt(Long a) { return unknown("sqrt", a); }

    @Override public Long erfc(Long a) { return unknown("erfc", a); }

    @Override public Long pi() { return unknown("pi", zero()); }

    @Override public Long logistic(Long a) { return unknown("logistic", a); }

    @Override public Long step(Long z) { return unknown("step", z); }

    @Override public Long halfStep(Long d) { return unknown("half step", d); }

    @Override public Long sign(Long z) { return unknown("sign", z); }

    @Override public Long genericDerivative(String name, int order, Long z) { return residues.genericDerivative(name, order, z); }

    @Override public Long zero() { return residues.zero(); }

    @Override public Long one() { return residues.one(); }

    @Override public Long fromRational(Rational value) { return residues.fromRational(value); }

    @Override public Long add(Long a, Long b) { return residues.add(a, b); }

    @Override public Long subtract(Long a, Long b) { return residues.subtract(a, b); }

    @Override public Long multiply(Long a, Long b) { return residues.multiply(a, b); }

    @Override public Long divide(Long a, Long b) { return residues.divide(a, b); }

    @Override public Long negate(Long a) { return residues.negate(a); }

    @Override public Long power(Long base, int exponent) { return residues.power(base, exponent); }

    @Override public boolean isZero(Long a) { return residues.isZero(a); }

    @Override public boolean equal(Long a, Long b) { return residues.equal(a, b); }

    @Override public Long[] newArray(int length) { return new Long[length]; }

    @Override
    public String toString() { return "residues modulo " + residues.modulus() + " with unknowns for e^x, σ, log, √, erfc and the pieces"; }
}
