package dev.netsym.proof;

import dev.netsym.calculus.DerivationOptions;
import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.calculus.SymbolicResult;
import dev.netsym.model.Assumption;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes {@link ProofDetails} for a finished proof of a small network, and the special
 * initial values at which more stays equal or put. Both are for display: the proof itself
 * never depends on them.
 */
public final class SymbolicProofDetails {
    private SymbolicProofDetails() {}

    /** The proof on its final subspace; stops where the budget runs out and says so. */
    public static ProofDetails of(Proof proof, SymbolicEngine engine, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        Network network = proof.network();
        SymbolicProver.Gradients g = new SymbolicProver.Gradients(network, engine,
                DerivationOptions.defaults().maxExpansionSize());
        if (g.unavailableBecause().isPresent()) {
            return ProofDetails.skipped(proof, "not written out symbolically: " + g.unavailableBecause().get());
        }
        Map<String, Expr> values = g.valuesOnSubspace(proof);
        AssumedSigns signs = new AssumedSigns(network.assumptions());
        Map<String, List<Expr>> deadRelus = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        List<String> notReached = new ArrayList<>();

        Map<String, Expr> units = new LinkedHashMap<>();
        List<String> tooBig = new ArrayList<>();
        for (Unit u : network.units()) {
            Optional<Expr> nested = g.unit(u.name());
            if (nested.isEmpty()) {
                tooBig.add(u.name());
            } else if (System.nanoTime() > deadline) {
                notReached.add("unit " + u.name());
            } else {
                g.substitute(nested.get(), values).ifPresentOrElse(
                        v -> units.put(u.name(), g.readable(underAssumptions(g, signs, u.name(), v, deadRelus))),
                        () -> notReached.add("unit " + u.name()));
            }
        }
        if (!tooBig.isEmpty()) {
            skipped.add("units " + String.join(", ", tooBig) + " are too big to write out in inputs and classes");
        }

        Optional<Expr> objective = Optional.empty();
        if (System.nanoTime() <= deadline) {
            objective = g.objective().flatMap(o -> g.substitute(o, values))
                    .map(o -> g.readable(signs.withDeadRelusZero(o, new LinkedHashSet<>())));
        }
        if (objective.isEmpty()) notReached.add("the objective");

        Map<String, Expr> onSubspace = new LinkedHashMap<>();
        Map<String, Expr> gradients = new LinkedHashMap<>();
        for (Parameter p : network.parameters()) {
            Optional<Expr> v = System.nanoTime() > deadline ? Optional.empty()
                    : g.gradient(p.name()).flatMap(e -> g.substitute(e, values));
            if (v.isEmpty()) {
                notReached.add("∂/∂" + p.name());
                continue;
            }
            onSubspace.put(p.name(), underAssumptions(g, signs, p.name(), v.get(), deadRelus));
            // Members of a class share one gradient: simplify it once.
            Expr shown = null;
            for (var entry : gradients.entrySet()) {
                if (onSubspace.get(entry.getKey()).equals(onSubspace.get(p.name()))) shown = entry.getValue();
            }
            gradients.put(p.name(), shown != null ? shown : g.readable(onSubspace.get(p.name())));
        }

        List<Separation> separations = new ArrayList<>();
        for (Separation s : proof.separations()) {
            Optional<Expr> difference = Optional.empty();
            Expr first = onSubspace.get(s.first());
            Expr second = s.isMove() ? null : onSubspace.get(s.second());
            if (first != null && (s.isMove() || second != null) && System.nanoTime() <= deadline) {
                // For a pair that started opposite, θ1 = −θ2 survives while g1 + g2 = 0.
                Expr raw = s.isMove() ? first : new Expr.Sum(List.of(first, s.opposite() ? second : new Expr.Neg(second)));
                SymbolicResult<Expr> evaluated = engine.evaluate(raw);
                if (evaluated.isKnown()) difference = Optional.of(g.factored(evaluated.value()));
            }
            if (difference.isEmpty()) {
                notReached.add("the difference for " + s.first() + (s.isMove() ? "" : " and " + s.second()));
            }
            separations.add(new Separation(s.first(), s.second(), s.round(), difference, s.witness(), s.opposite(),
                    s.notBefore()));
        }
        if (!notReached.isEmpty()) {
            boolean outOfTime = System.nanoTime() > deadline;
            skipped.add((outOfTime ? "the budget of " + budget.toMillis() + " ms ran out before "
                    : "the algebra did not finish in time for ") + summarise(notReached));
        }
        return new ProofDetails(units, gradients, deadRelus, separations, objective,
                skipped.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", skipped)));
    }

    /** e with the ReLUs the assumptions make 0 replaced by 0; the arguments used are recorded under name. */
    private static Expr underAssumptions(SymbolicProver.Gradients g, AssumedSigns signs, String name, Expr e,
                                         Map<String, List<Expr>> deadRelus) {
        Set<Expr> used = new LinkedHashSet<>();
        Expr simplified = signs.withDeadRelusZero(e, used);
        if (!used.isEmpty()) deadRelus.put(name, used.stream().map(g::readable).distinct().toList());
        return simplified;
    }

    private static String summarise(List<String> items) {
        int shown = Math.min(items.size(), 5);
        String list = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? list + " and " + (items.size() - shown) + " more" : list;
    }

    /**
     * Initial values of a symbol (a in {@code init all = a}) at which training does less:
     * the gradients at the initialisation are factored, the factors in that symbol alone are
     * solved, and each rational root is confirmed by proving the network again with it.
     * Irrational roots are not tried: the proof needs exact initial values.
     */
    public static List<SpecialValue> specialValues(Network network, Proof proof, SymbolicEngine engine,
                                                   ProofEngine.Options options) {
        List<String> symbols = network.initSymbols();
        if (symbols.isEmpty()) return List.of();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        SymbolicProver.Gradients g = new SymbolicProver.Gradients(network, engine,
                DerivationOptions.defaults().maxExpansionSize());
        if (g.unavailableBecause().isPresent()) return List.of();

        Map<String, Set<Expr>> factorsBySymbol = new LinkedHashMap<>();
        for (String symbol : symbols) factorsBySymbol.put(symbol, new LinkedHashSet<>());
        Map<String, Expr> initial = g.initialValues();
        for (Parameter p : network.parameters()) {
            if (System.nanoTime() > deadline) return List.of();
            Optional<Expr> atInit = g.gradient(p.name()).flatMap(e -> g.substitute(e, initial));
            if (atInit.isEmpty() || atInit.get() instanceof Expr.Num) continue;
            Expr factored = engine.factor(atInit.get()).orElse(atInit.get());
            List<Expr> factors = new ArrayList<>();
            factorsOf(factored, factors);
            for (Expr f : factors) {
                Set<String> names = new LinkedHashSet<>();
                namesIn(f, names);
                if (names.size() == 1 && factorsBySymbol.containsKey(names.iterator().next())) {
                    factorsBySymbol.get(names.iterator().next()).add(f);
                }
            }
        }

        List<SpecialValue> result = new ArrayList<>();
        for (var entry : factorsBySymbol.entrySet()) {
            String symbol = entry.getKey();
            Set<Rational> roots = new TreeSet<>();
            for (Expr factor : entry.getValue()) {
                if (System.nanoTime() > deadline) break;
                SymbolicResult<List<Expr>> solved = engine.solveRealRoots(factor, symbol);
                if (!solved.isKnown()) continue;
                for (Expr root : solved.value()) rational(root).filter(r -> allowed(network, symbol, r))
                        .ifPresent(roots::add);
            }
            for (Rational r : roots) {
                if (System.nanoTime() > deadline) break;
                Network copy = withValue(network, symbol, r);
                Proof special = ProofEngine.prove(copy, forNetwork(options, copy));
                // "Adjusts 2 values instead of 4" needs both counts exact: nothing left undecided.
                if (special.timedOut() || !special.undecided().isEmpty() || !proof.undecided().isEmpty()) continue;
                if (special.trainableValues() < proof.trainableValues()
                        || special.frozen().size() > proof.frozen().size()) {
                    result.add(new SpecialValue(symbol, r.toString(), special.trainableValues(),
                            special.frozen().size(), summary(proof, special)));
                }
            }
        }
        return result;
    }

    /** A symbolic prover knows its network's initial values: the copy gets its own. */
    private static ProofEngine.Options forNetwork(ProofEngine.Options options, Network copy) {
        List<ProofCertifier.EqualityProver> provers = new ArrayList<>();
        for (ProofCertifier.EqualityProver p : options.provers()) {
            provers.add(p instanceof SymbolicProver s ? s.forNetwork(copy) : p);
        }
        return new ProofEngine.Options(options.timeout(), provers);
    }

    private static String summary(Proof general, Proof special) {
        if (special.trainableValues() == 0 && special.frozen().size() == special.network().parameters().size()) {
            return "every gradient is 0: nothing ever moves";
        }
        List<String> newlyFrozen = new ArrayList<>(special.frozen());
        newlyFrozen.removeAll(general.frozen());
        String trained = "training adjusts " + special.trainableValues() + " value"
                + (special.trainableValues() == 1 ? "" : "s") + " instead of " + general.trainableValues();
        if (newlyFrozen.isEmpty()) return trained;
        return summarise(newlyFrozen) + (newlyFrozen.size() == 1 ? " never moves" : " never move") + "; " + trained;
    }

    /** Products, powers and signs are split down to the factors whose roots are the roots. */
    private static void factorsOf(Expr e, List<Expr> out) {
        if (e instanceof Expr.Product p) {
            p.factors().forEach(f -> factorsOf(f, out));
        } else if (e instanceof Expr.Neg n) {
            factorsOf(n.operand(), out);
        } else if (e instanceof Expr.Power p && p.exponent() instanceof Expr.Num n && n.value().signum() > 0) {
            factorsOf(p.base(), out);
        } else if (!(e instanceof Expr.Num)) {
            out.add(e);
        }
    }

    private static void namesIn(Expr e, Set<String> names) {
        if (e instanceof Expr.Ref r) names.add(r.name());
        for (Expr child : e.children()) namesIn(child, names);
    }

    private static Optional<Rational> rational(Expr e) {
        if (e instanceof Expr.Num n) return Optional.of(n.value());
        if (e instanceof Expr.Neg neg && neg.operand() instanceof Expr.Num n) return Optional.of(n.value().negate());
        return Optional.empty();
    }

    /** A root the spec's own assumptions rule out (assume a < 0) is not a possible start. */
    private static boolean allowed(Network network, String symbol, Rational value) {
        for (Assumption a : network.assumptions()) {
            if (a.name().equals(symbol) && !a.relation().holds(value.compareTo(a.bound()))) return false;
        }
        return true;
    }

    private static Network withValue(Network n, String symbol, Rational value) {
        List<Parameter> parameters = new ArrayList<>();
        for (Parameter p : n.parameters()) {
            if (p.init() instanceof Init.Symbolic s && s.symbol().equals(symbol)) {
                // −a becomes −value, 2*a twice the value.
                parameters.add(new Parameter(p.name(), new Init.Numeric(value.multiply(s.coefficient())), p.pos(),
                        p.learningRate()));
            } else {
                parameters.add(p);
            }
        }
        return new Network(n.name(), n.inputs(), n.targets(), n.units(), n.objective(), parameters, n.activations(),
                n.layers(), n.data(), n.assumptions(), n.optimizer());
    }
}
