package dev.netsym.proof;

import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.calculus.SymbolicResult;
import dev.netsym.calculus.SymbolicVerdict;
import dev.netsym.calculus.ZeroTest;
import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import dev.netsym.model.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves candidate conservation laws with computer algebra: ⟨∇h, ∇ℓ⟩ reduces to 0 identically
 * in the parameters and the data. The objective is written out with every unit substituted;
 * each relu-type call becomes its linear piece with a free symbol σ for the piece (relu(z) =
 * σ·z, max(a, b) = σ·a + (1 − σ)·b, ...), σ constant in θ as it is on each activation region,
 * so one identity covers every region at once.
 */
public final class LawCertifier {
    /** Objectives written out larger than this are not handed to computer algebra. */
    public static final int MAX_EXPRESSION_SIZE = 4_000;

    private final Duration timeoutPerCall;
    private final Duration budget;

    /** @param budget the time all proofs together may take; laws left when it runs out stay unproved */
    public LawCertifier(Duration timeoutPerCall, Duration budget) {
        this.timeoutPerCall = timeoutPerCall;
        this.budget = budget;
    }

    /** The laws with {@code proof} set where the identity reduced to 0. */
    List<ConservationLaws.Law> certify(Network network, List<ConservationLaws.Law> laws) {
        if (laws.isEmpty()) return laws;
        Expr objective = new Inliner(network).objective();
        if (SymbolicEngine.size(objective) > MAX_EXPRESSION_SIZE) return laws;
        List<ConservationLaws.Law> certified = new ArrayList<>();
        long deadline = System.nanoTime() + budget.toNanos();
        try (SymbolicEngine engine = new SymbolicEngine(timeoutPerCall)) {
            // For the spec's data, one identity per sample with its values in; otherwise the data stay symbols.
            List<SymbolicResult<Expr>> objectives = new ArrayList<>();
            if (network.data().isEmpty()) objectives.add(SymbolicResult.known(objective));
            for (Sample sample : network.data()) {
                Map<String, Expr> values = new HashMap<>();
                sample.values().forEach((name, value) -> values.put(name, new Expr.Num(value)));
                objectives.add(engine.substitute(objective, values));
            }
            List<Map<String, SymbolicResult<Expr>>> derivatives = new ArrayList<>();
            for (int k = 0; k < objectives.size(); k++) derivatives.add(new HashMap<>());
            for (ConservationLaws.Law law : laws) {
                String proof = null;
                for (int k = 0; k < objectives.size(); k++) {
                    SymbolicResult<Expr> sampleObjective = objectives.get(k);
                    proof = null;
                    if (!sampleObjective.isKnown() || System.nanoTime() >= deadline) break;
                    List<Expr> terms = new ArrayList<>();
                    boolean known = true;
                    for (Map.Entry<String, Expr> partial : gradient(law).entrySet()) {
                        SymbolicResult<Expr> d = derivatives.get(k).computeIfAbsent(partial.getKey(),
                                p -> engine.differentiate(sampleObjective.value(), p));
                        if (!d.isKnown() || System.nanoTime() >= deadline) {
                            known = false;
                            break;
                        }
                        terms.add(new Expr.Product(List.of(partial.getValue(), d.value())));
                    }
                    if (known) proof = zeroProof(engine, new Expr.Sum(terms));
                    if (proof == null) break;
                }
                if (proof != null && !network.data().isEmpty()) proof += ", for each sample of the spec's data";
                certified.add(new ConservationLaws.Law(law.terms(), proof));
            }
        }
        return certified;
    }

    /** Expand first: the identity is polynomial on each region, and Expand says so plainly. */
    private static String zeroProof(SymbolicEngine engine, Expr innerProduct) {
        SymbolicResult<Expr> expanded = engine.expand(innerProduct);
        if (expanded.isKnown() && expanded.value() instanceof Expr.Num n && n.value().isZero()) {
            return "<grad h, grad loss> expands to 0 (Symja's Expand)";
        }
        ZeroTest zero = engine.isZeroWithReason(innerProduct);
        return zero.verdict() == SymbolicVerdict.ZERO ? "<grad h, grad loss> = 0: " + zero.reason() : null;
    }

    /** ∂h/∂θ for each parameter h depends on. */
    static Map<String, Expr> gradient(ConservationLaws.Law law) {
        Map<String, List<Expr>> parts = new java.util.LinkedHashMap<>();
        for (ConservationLaws.Term t : law.terms()) {
            Map<String, Integer> powers = t.powers();
            for (String p : powers.keySet()) {
                // ∂(c·p^e·rest)/∂p = c·e·p^(e−1)·rest
                List<Expr> factors = new ArrayList<>();
                factors.add(new Expr.Num(t.coefficient().multiply(Rational.of(powers.get(p)))));
                powers.forEach((q, e) -> {
                    int exponent = q.equals(p) ? e - 1 : e;
                    if (exponent == 1) factors.add(new Expr.Ref(q));
                    if (exponent > 1) factors.add(new Expr.Power(new Expr.Ref(q), Expr.Num.of(exponent)));
                });
                parts.computeIfAbsent(p, k -> new ArrayList<>()).add(factors.size() == 1 ? factors.get(0) : new Expr.Product(factors));
            }
        }
        Map<String, Expr> gradient = new java.util.LinkedHashMap<>();
        parts.forEach((p, list) -> gradient.put(p, list.size() == 1 ? list.get(0) : new Expr.Sum(list)));
        return gradient;
    }

    /** The objective with units substituted, each unit once, relu-type calls as pieces. */
    private static final class Inliner {
        private final Network network;
        private final Map<String, Expr> units = new HashMap<>();
        private int pieces;

        Inliner(Network network) {
            this.network = network;
            for (Unit u : network.units()) units.put(u.name(), inline(u.definition()));
        }

        Expr objective() { return inline(network.objective()); }

        private Expr inline(Expr e) {
            if (e instanceof Expr.Ref ref) return units.getOrDefault(ref.name(), ref);
            if (e instanceof Expr.Num) return e;
            if (e instanceof Expr.Neg n) return new Expr.Neg(inline(n.operand()));
            if (e instanceof Expr.Sum s) return new Expr.Sum(s.terms().stream().map(this::inline).toList());
            if (e instanceof Expr.Product p) return new Expr.Product(p.factors().stream().map(this::inline).toList());
            if (e instanceof Expr.Quotient q) return new Expr.Quotient(inline(q.numerator()), inline(q.denominator()));
            if (e instanceof Expr.Power p) return new Expr.Power(inline(p.base()), inline(p.exponent()));
            if (e instanceof Expr.Call c) {
                List<Expr> args = c.args().stream().map(this::inline).toList();
                Builtin b = Builtin.byName(c.function()).orElse(null);
                return b == null ? new Expr.Call(c.function(), args) : piece(b, args);
            }
            if (e instanceof Expr.DerivativeCall d) return new Expr.DerivativeCall(d.function(), d.order(), inline(d.arg()));
            throw new IllegalArgumentException("unknown expression " + e);
        }

        /** The builtin on one region, its piece a fresh symbol. */
        private Expr piece(Builtin b, List<Expr> args) {
            Expr sigma = new Expr.Ref("σ" + (++pieces));
            return linearPiece(b, args, sigma).orElseGet(() -> new Expr.Call(b.specName(), args));
        }
    }

    /**
     * A relu-type builtin on one activation region, {@code sigma} standing for the piece:
     * relu(z) = σ·z, abs(z) = σ·z, leaky_relu(z, a) = (σ + (1 − σ)·a)·z, max(a, b) = σ·a + (1 − σ)·b;
     * empty for a builtin with no linear pieces.
     */
    static java.util.Optional<Expr> linearPiece(Builtin b, List<Expr> args, Expr sigma) {
        Expr rest = new Expr.Sum(List.of(Expr.Num.of(1), new Expr.Neg(sigma)));
        return java.util.Optional.ofNullable(switch (b) {
            case RELU, ABS -> new Expr.Product(List.of(sigma, args.get(0)));
            case LEAKY_RELU -> new Expr.Product(List.of(new Expr.Sum(List.of(sigma,
                    new Expr.Product(List.of(rest, args.get(1))))), args.get(0)));
            case MAX, MIN -> new Expr.Sum(List.of(new Expr.Product(List.of(sigma, args.get(0))),
                    new Expr.Product(List.of(rest, args.get(1)))));
            case TANH, SIGMOID, SOFTPLUS, EXP, LOG, SQRT, ELU, ERF, GELU, GELU_TANH, SILU -> null;
        });
    }
}
