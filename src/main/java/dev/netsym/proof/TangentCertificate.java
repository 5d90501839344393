package dev.netsym.proof;

import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Proves a quadratic law h unit by unit, without writing the objective out. Along the field
 * v = ∇h every unit u changes at the rate δu = Σ_p v_p ∂u/∂p + Σ_w ∂u/∂w·δw (w the units u reads),
 * and ⟨∇h, ∇ℓ⟩ is that rate for the objective. The certificate is a map R from units to fixed
 * linear combinations of unit values (a rescaling: δh1[2] = h1[2]; a rotation of a linear
 * layer: δh1[1] = h1[2]), found modulo a prime and then checked exactly: for each unit, its own
 * equation with δw replaced by R_w for its inputs gives R_u, once the units R_u names are
 * replaced by their definitions; for the objective the rate is 0. By induction over the units
 * δu = R_u everywhere, so ⟨∇h, ∇ℓ⟩ ≡ 0. Relu-type calls are their linear piece with a symbol σ
 * for the piece (constant on each activation region), so one check covers every region, and the
 * data stay symbols, so it covers every dataset.
 */
final class TangentCertificate {
    /** Beyond this many units the per-unit fit costs more than it saves. */
    static final int MAX_UNITS = 400;
    /** A unit or objective that expands to more terms than this is left to computer algebra. */
    static final int MAX_TERMS = 20_000;
    private static final int EXTRA_DRAWS = 12;

    private final Network network;
    private final Tape tape;
    private final RegionEvaluator evaluator;
    private final ModularArithmetic field;
    private final JetRing base;
    private final List<Rational[]> points;
    private final List<RegionEvaluator.Pieces> pieces;
    private final Random random;
    private final Map<String, Integer> symbols = new HashMap<>();
    private final List<String> units = new ArrayList<>();
    private final Map<String, Polynomial> definitions = new LinkedHashMap<>();
    private Polynomial objective;
    private boolean polynomial = true;

    TangentCertificate(Network network, Tape tape, RegionEvaluator evaluator, ModularArithmetic field,
            List<Rational[]> points, List<RegionEvaluator.Pieces> pieces, Random random) {
        this.network = network;
        this.tape = tape;
        this.evaluator = evaluator;
        this.field = field;
        this.base = new JetRing(field, 0);
        this.points = points;
        this.pieces = pieces;
        this.random = random;
        units.addAll(tape.unitNodes().keySet());
        if (units.size() > MAX_UNITS) return;
        try {
            for (Unit u : network.units()) {
                if (tape.unitNodes().containsKey(u.name())) definitions.put(u.name(), polynomial(u.definition(), u.name()));
            }
            objective = polynomial(network.objective(), "objective");
            // Every unit the tape evaluates needs its equation here, or the induction has a gap.
            polynomial = definitions.keySet().containsAll(units);
        } catch (IllegalArgumentException notPolynomial) {
            polynomial = false;
        }
    }

    /** The proof every tangent certificate shares, in words. */
    static final String PROOF = "along grad h every unit moves at a fixed linear combination of unit values (its tangent)"
            + " and the objective not at all: each unit's equation and the objective checked by exact polynomial"
            + " expansion, with a free symbol for each relu-type piece and the data as symbols, so for every"
            + " activation region and every dataset at once";

    /** {@code law} with its proof by tangent, or empty when no fixed linear tangent certifies it. */
    Optional<ConservationLaws.Law> certify(ConservationLaws.Law law) {
        if (!polynomial || units.size() > MAX_UNITS || points.isEmpty()) return Optional.empty();
        Polynomial h = Polynomial.ZERO;
        Map<String, Polynomial> direction = new LinkedHashMap<>();
        for (ConservationLaws.Term t : law.terms()) {
            Polynomial term = Polynomial.constant(t.coefficient());
            for (String f : t.factors()) {
                term = term.multiply(Polynomial.variable(symbol(f)));
                direction.put(f, null);
            }
            h = h.add(term);
        }
        for (String p : List.copyOf(direction.keySet())) direction.put(p, h.derivative(symbol(p)));
        Optional<Map<String, Polynomial>> tangent = fitTangent(law);
        if (tangent.isEmpty()) return Optional.empty();
        Map<String, Polynomial> r = tangent.get();
        for (String u : units) {
            Polynomial f = definitions.get(u);
            Polynomial rate = rate(f, direction, r).subtract(r.get(u));
            for (String w : units) {
                if (r.get(u).mentions(symbol(w))) rate = rate.substitute(symbol(w), definitions.get(w));
            }
            if (!rate.isZero()) return Optional.empty();
        }
        Polynomial objectiveRate = rate(objective, direction, r);
        if (!objectiveRate.isZero()) {
            for (String w : units) {
                if (objectiveRate.mentions(symbol(w))) objectiveRate = objectiveRate.substitute(symbol(w), definitions.get(w));
            }
            if (!objectiveRate.isZero()) return Optional.empty();
        }
        return Optional.of(new ConservationLaws.Law(law.terms(), PROOF, tangent(r)));
    }

    /** Σ_p v_p ∂f/∂p + Σ_w ∂f/∂w·R_w: the rate of f along v when each unit w moves at R_w. */
    private Polynomial rate(Polynomial f, Map<String, Polynomial> v, Map<String, Polynomial> r) {
        Polynomial rate = Polynomial.ZERO;
        for (Map.Entry<String, Polynomial> p : v.entrySet()) {
            rate = rate.add(f.derivative(symbol(p.getKey())).multiply(p.getValue()));
        }
        for (String w : units) {
            int s = symbol(w);
            if (f.mentions(s)) rate = rate.add(f.derivative(s).multiply(r.get(w)));
        }
        return rate;
    }

    /**
     * For each unit u, the constant combination R_u = Σ c_w·w + c of unit values that its rate
     * along ∇h equals at random points and samples, modulo the prime; empty if some unit has none
     * or a coefficient has no small rational form. Only a guess: {@link #certify} checks it exactly.
     */
    private Optional<Map<String, Polynomial>> fitTangent(ConservationLaws.Law law) {
        int n = units.size();
        int draws = n + 1 + EXTRA_DRAWS;
        long[][] values = new long[draws][n];
        long[][] rates = new long[draws][n];
        JetRing extended = base.extended();
        for (int d = 0; d < draws; d++) {
            int s = d % points.size();
            long[][] theta = ConservationLawSearch.randomPoint(base, field, random, tape.parameterCount());
            long[] direction = ConservationLawSearch.lawGradient(field, tape, law, theta);
            long[][] thetaJets = new long[theta.length][];
            for (int i = 0; i < theta.length; i++) thetaJets[i] = base.withDirection(theta[i], base.constant(direction[i]));
            Rational[] data = points.get(s);
            long[][] dataJets = new long[data.length][];
            for (int k = 0; k < data.length; k++) dataJets[k] = extended.fromRational(data[k]);
            // Every other draw takes each relu-type piece at random: a unit off for every sample
            // would otherwise hide its coefficient (the check below is what decides, not this).
            long[][] nodes;
            try {
                nodes = evaluator.forward(extended, thetaJets, dataJets, d % 2 == 0 ? pieces.get(s) : shuffled(pieces.get(s)));
            } catch (IllegalStateException branchAskedMore) {
                nodes = evaluator.forward(extended, thetaJets, dataJets, pieces.get(s));
            }
            for (int u = 0; u < n; u++) {
                long[] jet = nodes[tape.unitNode(units.get(u))];
                values[d][u] = jet[0];
                rates[d][u] = jet[1];
            }
        }
        // One elimination for every unit: rows [values, 1, rates of every unit], the values'
        // columns first, so that each rate column comes out in terms of the values (unit u's
        // system alone, [values, 1, rate_u], reduces its value columns the same way).
        ModularEchelon system = new ModularEchelon(field, 2 * n + 1);
        for (int d = 0; d < draws; d++) {
            long[] row = new long[2 * n + 1];
            System.arraycopy(values[d], 0, row, 0, n);
            row[n] = field.one();
            System.arraycopy(rates[d], 0, row, n + 1, n);
            system.add(row);
        }
        Map<String, Polynomial> r = new HashMap<>();
        for (int u = 0; u < n; u++) {
            Polynomial combination = Polynomial.ZERO;
            for (int k = 0; k < system.rank(); k++) {
                long coefficient = system.row(k)[n + 1 + u];
                if (coefficient == 0) continue;
                int w = system.pivot(k);
                // A row with no value left in it: no combination of values gives this rate.
                if (w > n) return Optional.empty();
                Optional<Rational> c = ModularEchelon.rational(field, coefficient);
                if (c.isEmpty()) return Optional.empty();
                Polynomial term = w == n ? Polynomial.constant(c.get())
                        : Polynomial.variable(symbol(units.get(w))).scale(c.get());
                combination = combination.add(term);
            }
            r.put(units.get(u), combination);
        }
        return Optional.of(r);
    }

    /** The pieces with each piecewise node's decisions reversed or kept at random. */
    private RegionEvaluator.Pieces shuffled(RegionEvaluator.Pieces p) {
        int[][][] decisions = p.decisions().clone();
        for (int node = 0; node < decisions.length; node++) {
            if (decisions[node] == null || random.nextBoolean()) continue;
            int[][] reversed = new int[decisions[node].length][];
            for (int k = 0; k < reversed.length; k++) {
                reversed[k] = decisions[node][k].clone();
                for (int j = 0; j < reversed[k].length; j++) reversed[k][j] = -reversed[k][j];
            }
            decisions[node] = reversed;
        }
        return new RegionEvaluator.Pieces(decisions, p.pattern());
    }

    /** The tangent in words: "dh[2] = 2*h[2], every other unit 0". */
    private String tangent(Map<String, Polynomial> r) {
        List<String> moving = new ArrayList<>();
        for (String u : units) if (!r.get(u).isZero()) moving.add(u);
        if (moving.isEmpty()) return "no unit moves";
        StringBuilder b = new StringBuilder();
        int shown = Math.min(4, moving.size());
        for (int k = 0; k < shown; k++) b.append(k == 0 ? "" : ", ").append("d").append(moving.get(k)).append(" = ").append(describe(r.get(moving.get(k))));
        if (moving.size() > shown) b.append(", ... (").append(moving.size()).append(" units move)");
        return b.append(", every other unit 0").toString();
    }

    /** A combination of unit values as text, e.g. "h1[2]" or "2*h1[1] - h1[3]". */
    private String describe(Polynomial combination) {
        StringBuilder b = new StringBuilder();
        for (String u : units) {
            Rational c = combination.derivative(symbol(u)).constantValue();
            if (c == null || c.isZero()) continue;
            if (b.length() > 0) b.append(c.signum() < 0 ? " - " : " + ");
            else if (c.signum() < 0) b.append("-");
            Rational a = c.signum() < 0 ? c.negate() : c;
            if (!a.isOne()) b.append(a).append("*");
            b.append(u);
        }
        Rational constant = combination.constantTerm();
        if (!constant.isZero()) b.append(b.length() == 0 ? constant.toString() : (constant.signum() < 0 ? " - " + constant.negate() : " + " + constant));
        return b.toString();
    }

    private static Polynomial bounded(Polynomial p) {
        if (p.termCount() > MAX_TERMS) throw new IllegalArgumentException("expands to over " + MAX_TERMS + " terms");
        return p;
    }

    private int symbol(String name) {
        return symbols.computeIfAbsent(name, k -> symbols.size());
    }

    /** An expression as a polynomial; relu-type calls as their piece with a fresh σ. */
    private Polynomial polynomial(Expr e, String owner) {
        return new Object() {
            int pieces;

            Polynomial of(Expr e) {
                if (e instanceof Expr.Num n) return Polynomial.constant(n.value());
                if (e instanceof Expr.Ref ref) return Polynomial.variable(symbol(ref.name()));
                if (e instanceof Expr.Neg n) return of(n.operand()).negate();
                if (e instanceof Expr.Sum s) {
                    Polynomial sum = Polynomial.ZERO;
                    for (Expr t : s.terms()) sum = sum.add(of(t));
                    return sum;
                }
                if (e instanceof Expr.Product p) {
                    Polynomial product = Polynomial.constant(Rational.ONE);
                    for (Expr f : p.factors()) product = bounded(product.multiply(of(f)));
                    return product;
                }
                if (e instanceof Expr.Quotient q) {
                    Rational d = of(q.denominator()).constantValue();
                    if (d == null || d.isZero()) throw new IllegalArgumentException("not a polynomial");
                    return of(q.numerator()).scale(Rational.ONE.divide(d));
                }
                if (e instanceof Expr.Power p) {
                    Rational k = of(p.exponent()).constantValue();
                    if (k == null || !k.isInteger() || k.signum() < 0 || k.numerator().bitLength() > 6) {
                        Polynomial base = of(p.base());
                        if (k != null && k.isInteger() && k.signum() < 0 && base.constantValue() != null && !base.constantValue().isZero()) {
                            return Polynomial.constant(base.constantValue().pow(k.numerator().intValueExact()));
                        }
                        throw new IllegalArgumentException("not a polynomial");
                    }
                    Polynomial base = of(p.base());
                    Polynomial power = Polynomial.constant(Rational.ONE);
                    for (int j = 0; j < k.numerator().intValueExact(); j++) power = bounded(power.multiply(base));
                    return power;
                }
                if (e instanceof Expr.Call c) {
                    Builtin b = Builtin.byName(c.function()).orElseThrow(() -> new IllegalArgumentException("not a polynomial"));
                    Expr sigma = new Expr.Ref("σ " + owner + " " + (++pieces));
                    return of(LawCertifier.linearPiece(b, c.args(), sigma)
                            .orElseThrow(() -> new IllegalArgumentException("not a polynomial")));
                }
                throw new IllegalArgumentException("not a polynomial");
            }
        }.of(e);
    }
}
