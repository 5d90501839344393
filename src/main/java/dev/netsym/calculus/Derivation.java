package dev.netsym.calculus;

import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a person would write when deriving a network's gradients by hand: each unit
 * in terms of inputs and parameters, and for each parameter the chain rule through the
 * units, its local form, the result in inputs and parameters and its value at the
 * initialisation. Expressions in inputs and parameters are built only below a size bound;
 * where one was not built, {@code stoppedBecause} says why.
 *
 * @param objectiveName the name shown on top of every Leibniz fraction: the output unit when
 *     the objective is just that unit, as in the cs231n example, otherwise "L"
 */
public record Derivation(Network network, String objectiveName, List<UnitDerivation> units,
        List<GradientDerivation> gradients, DerivationOptions options) {

    public Derivation {
        units = List.copyOf(units);
        // The adjoint form's gradients are computed when read: 235,000 of them are not kept.
        gradients = gradients instanceof AdjointForm.Gradients ? gradients : List.copyOf(gradients);
    }

    /**
     * One unit.
     *
     * @param expansion the unit in inputs and parameters, or null when too big
     * @param adjoint in the adjoint form: ∂objective/∂unit by the chain rule over the units
     *     that use this one (∂L/∂v · ∂v/∂u); empty in the full form
     * @param adjointLocal the sum of the adjoint's terms with local values, ∂L/∂v kept as
     *     names; null in the full form
     */
    public record UnitDerivation(String name, Expr definition, Expr expansion, String stoppedBecause,
            List<ChainTerm> adjoint, Expr adjointLocal) {

        public UnitDerivation { adjoint = List.copyOf(adjoint); }

        public UnitDerivation(String name, Expr definition, Expr expansion, String stoppedBecause) {
            this(name, definition, expansion, stoppedBecause, List.of(), null);
        }
    }

    /**
     * ∂objective/∂parameter.
     *
     * @param chain the chain rule in Leibniz form; zero terms included (see {@link ChainTerm})
     * @param local the sum of the chain terms in unit names, e.g. w9·y1
     * @param result in inputs and parameters, the shortest of nested, expanded, factored and
     *     simplified forms; null when too big
     * @param atInit the result with every parameter at its initial value (random ones stay
     *     as their own names); null when no result
     * @param atPoint the result at the options' point; null when no point or no result
     * @param stoppedBecause why result (or a later form) is missing, or null
     */
    public record GradientDerivation(String parameter, List<ChainTerm> chain, Expr local, Expr result,
            Expr atInit, Expr atPoint, String stoppedBecause) {}

    public static Derivation of(Network network, DerivationOptions options) {
        try (SymbolicEngine engine = new SymbolicEngine(options.timeoutPerCall())) {
            return of(network, options, engine);
        }
    }

    /**
     * The full form (chain per path, results and values at the initialisation through the
     * CAS) on small networks; the adjoint form, near-linear and without the CAS, on big ones
     * (see {@link #needsAdjointForm}).
     */
    public static Derivation of(Network network, DerivationOptions options, SymbolicEngine engine) {
        if (needsAdjointForm(network, options)) return new AdjointForm(network, options).build();
        return new Builder(network, options, engine).build();
    }

    /**
     * Decided by cheap counts, before any symbolic work: the full form calls the CAS several
     * times per parameter and per chain path, so its cost grows with parameters × depth and
     * its expressions exponentially; past a few dozen parameters it cannot finish in time.
     */
    public static boolean needsAdjointForm(Network network, DerivationOptions options) {
        int limit = options.maxSymbolicParameters();
        if (network.parameters().size() > limit) return true;
        Set<String> names = new java.util.HashSet<>();
        network.parameters().forEach(p -> names.add(p.name()));
        network.units().forEach(u -> names.add(u.name()));
        long edges = 0;
        for (Unit u : network.units()) {
            Set<String> operands = new java.util.HashSet<>();
            DerivationOrdering.forEachName(u.definition(), n -> { if (names.contains(n)) operands.add(n); });
            edges += operands.size();
            if (edges > 4L * limit) return true;
        }
        return false;
    }

    /** The gradient of one parameter, or null when it was not derived (see {@link DerivationOptions#only}). */
    public GradientDerivation gradient(String parameter) {
        if (gradients instanceof AdjointForm.Gradients lazy) return lazy.of(parameter);
        for (GradientDerivation g : gradients) if (g.parameter().equals(parameter)) return g;
        return null;
    }

    /** Whether this is the adjoint (unit-level) form, made for a big network. */
    public boolean adjointForm() {
        return gradients instanceof AdjointForm.Gradients || units.stream().anyMatch(u -> u.adjointLocal() != null);
    }

    /** Whether any gradient mentions the function (or its derivative): renderers state relu'(0) = 0. */
    public boolean uses(String function) {
        if (adjointForm()) {
            // Local derivatives keep each unit's functions, so the definitions tell, without
            // computing every gradient.
            if (mentions(network.objective(), function)) return true;
            for (Unit u : network.units()) if (mentions(u.definition(), function)) return true;
            return false;
        }
        for (GradientDerivation g : gradients) {
            for (Expr e : new Expr[] {g.local(), g.result(), g.atInit()}) {
                if (e != null && mentions(e, function)) return true;
            }
        }
        return false;
    }

    private static boolean mentions(Expr e, String function) {
        if (e instanceof Expr.Call c && c.function().equals(function)) return true;
        if (e instanceof Expr.DerivativeCall d && d.function().equals(function)) return true;
        return e.children().stream().anyMatch(c -> mentions(c, function));
    }

    /** "L" for an objective that is not just one unit, unless the network uses that name. */
    static String freshObjectiveName(Network network) {
        Set<String> taken = new LinkedHashSet<>(network.inputs());
        taken.addAll(network.targets());
        network.parameters().forEach(p -> taken.add(p.name()));
        network.units().forEach(u -> taken.add(u.name()));
        for (String candidate : List.of("L", "J", "objective")) {
            if (!taken.contains(candidate)) return candidate;
        }
        String name = "L";
        while (taken.contains(name)) name = name + "'";
        return name;
    }

    private static final class Builder {
        private final Network network;
        private final DerivationOptions options;
        private final SymbolicEngine engine;
        private final DerivationOrdering ordering;
        private final Map<String, Unit> unitsByName;
        private final Set<String> parameterNames = new LinkedHashSet<>();
        private final String top;
        private final Expr topDefinition;
        /** Names each unit (and the top) uses directly, in order of appearance. */
        private final Map<String, List<String>> operands = new HashMap<>();
        /** Parameters each unit depends on, directly or through other units. */
        private final Map<String, Set<String>> reach = new HashMap<>();
        private final Map<String, Expr> nested = new HashMap<>();
        private final Map<String, Integer> nestedSize = new HashMap<>();
        private final Map<String, Expr> localPartials = new HashMap<>();

        Builder(Network network, DerivationOptions options, SymbolicEngine engine) {
            this.network = network;
            this.options = options;
            this.engine = engine;
            this.ordering = new DerivationOrdering(network);
            this.unitsByName = network.unitsByName();
            network.parameters().forEach(p -> parameterNames.add(p.name()));
            if (network.objective() instanceof Expr.Ref r && unitsByName.containsKey(r.name())) {
                top = r.name();
                topDefinition = unitsByName.get(r.name()).definition();
            } else {
                top = freshObjectiveName();
                topDefinition = network.objective();
            }
        }

        private String freshObjectiveName() { return Derivation.freshObjectiveName(network); }

        /** Why the last value at a point could not be computed. */
        private String unreached = "the value at the initialisation was not reached in time";

        Derivation build() {
            for (Unit u : network.units()) analyse(u.name(), u.definition());
            if (!unitsByName.containsKey(top)) analyse(top, topDefinition);

            List<UnitDerivation> unitDerivations = new ArrayList<>();
            for (Unit u : network.units()) {
                Expr expansion = nested.get(u.name());
                String why = expansion == null ? tooBig(nestedSize.get(u.name())) : null;
                if (expansion != null) expansion = ordering.apply(engine.shortest(expansion));
                unitDerivations.add(new UnitDerivation(u.name(), u.definition(), expansion, why));
            }
            List<GradientDerivation> gradients = new ArrayList<>();
            for (Parameter p : network.parameters()) {
                if (options.only().isEmpty() || options.only().contains(p.name())) gradients.add(gradient(p.name()));
            }
            return new Derivation(network, top, unitDerivations, gradients, options);
        }

        private String tooBig(int size) {
            return "expansion in inputs and parameters would have size " + size + " > bound "
                    + options.maxExpansionSize() + "; kept in unit names";
        }

        /** Operands, reach and nested form of one unit; units come in topological order. */
        private void analyse(String name, Expr definition) {
            Set<String> direct = new LinkedHashSet<>();
            DerivationOrdering.forEachName(definition, direct::add);
            direct.retainAll(union(unitsByName.keySet(), parameterNames));
            operands.put(name, List.copyOf(direct));
            Set<String> reached = new LinkedHashSet<>();
            int size = SymbolicEngine.size(definition);
            Map<String, Expr> replacements = new HashMap<>();
            for (String operand : direct) {
                if (parameterNames.contains(operand)) {
                    reached.add(operand);
                } else {
                    reached.addAll(reach.get(operand));
                    int occurrences = countOccurrences(definition, operand);
                    size += occurrences * (nestedSize.get(operand) - 1);
                    replacements.put(operand, nested.get(operand));
                }
            }
            reach.put(name, reached);
            nestedSize.put(name, size);
            // Nested substitution (no expanding): w5·(w1·x1 + w3·x2), as written by hand.
            if (size <= options.maxExpansionSize() && !replacements.containsValue(null)) {
                nested.put(name, definition.replaceNames(replacements));
            }
        }

        private GradientDerivation gradient(String theta) {
            List<ChainTerm> chain = chain(theta);
            List<Expr> values = new ArrayList<>();
            for (ChainTerm term : chain) if (!term.isZero()) values.add(term.value());
            Expr localSum = values.isEmpty() ? Expr.Num.of(0)
                    : values.size() == 1 ? values.get(0) : new Expr.Sum(values);
            Expr local = ordering.apply(engine.evaluate(localSum).orElse(localSum));

            Map<String, Expr> unitForms = new HashMap<>();
            int size = SymbolicEngine.size(local);
            boolean complete = true;
            Set<String> namesInLocal = new LinkedHashSet<>();
            DerivationOrdering.forEachName(local, namesInLocal::add);
            for (String name : namesInLocal) {
                if (!unitsByName.containsKey(name)) continue;
                Expr form = nested.get(name);
                if (form == null) complete = false;
                else unitForms.put(name, form);
                size += countOccurrences(local, name) * (nestedSize.get(name) - 1);
            }
            if (!complete || size > options.maxExpansionSize()) {
                return new GradientDerivation(theta, chain, local, null, null, null, tooBig(size));
            }
            Expr result = ordering.apply(engine.shortest(local.replaceNames(unitForms)));
            Expr atInit = evaluateAt(result, initialValues());
            String why = atInit == null ? unreached : null;
            Expr atPoint = options.point().isEmpty() ? null : evaluateAt(result, options.point());
            return new GradientDerivation(theta, chain, local, result, atInit, atPoint, why);
        }

        private Expr evaluateAt(Expr e, Map<String, Expr> values) {
            if (values.isEmpty()) return e;
            SymbolicResult<Expr> substituted = engine.substitute(e, values);
            if (!substituted.isKnown()) {
                unreached = substituted.unknownReason().contains("undefined")
                        ? "it has no value at the initialisation (a division by zero)"
                        : "the value at the initialisation was not reached in time";
                return null;
            }
            return ordering.apply(engine.shortest(substituted.value()));
        }

        private Map<String, Expr> initialValues() {
            Map<String, Expr> values = new LinkedHashMap<>();
            for (Parameter p : network.parameters()) {
                if (p.init() instanceof Init.Numeric n) values.put(p.name(), new Expr.Num(n.value()));
                if (p.init() instanceof Init.Symbolic s) values.put(p.name(), s.expr());
            }
            return values;
        }

        /**
         * The chain rule from the top down to θ, one term per path through the units. Terms
         * through the top's operands that do not depend on θ are kept as zero terms (the
         * hand derivation's "+ w10·0"), unless θ appears in the top directly. Too many
         * paths: one term per unit that uses θ, with ∂top/∂unit left as a name.
         */
        private List<ChainTerm> chain(String theta) {
            List<ChainTerm> terms = new ArrayList<>();
            if (countPaths(top, theta, new HashMap<>()) > options.maxChainTerms()) {
                for (Unit u : network.units()) {
                    String unit = u.name();
                    if (!operands.get(unit).contains(theta) || unit.equals(top)) continue;
                    Expr adjoint = new Expr.Ref("∂" + top + "/∂" + unit);
                    terms.add(new ChainTerm(List.of(new ChainTerm.Factor(top, unit, adjoint),
                            new ChainTerm.Factor(unit, theta, partial(unit, theta)))));
                }
                if (operands.get(top).contains(theta)) {
                    terms.add(0, new ChainTerm(List.of(new ChainTerm.Factor(top, theta, partial(top, theta)))));
                }
                return terms;
            }
            boolean direct = operands.get(top).contains(theta);
            for (String operand : operands.get(top)) {
                if (operand.equals(theta)) {
                    terms.add(new ChainTerm(List.of(new ChainTerm.Factor(top, theta, partial(top, theta)))));
                } else if (unitsByName.containsKey(operand)) {
                    ChainTerm.Factor first = new ChainTerm.Factor(top, operand, partial(top, operand));
                    if (reach.get(operand).contains(theta)) {
                        for (List<ChainTerm.Factor> rest : paths(operand, theta)) {
                            List<ChainTerm.Factor> factors = new ArrayList<>();
                            factors.add(first);
                            factors.addAll(rest);
                            terms.add(new ChainTerm(factors));
                        }
                    } else if (!direct) {
                        terms.add(new ChainTerm(List.of(first,
                                new ChainTerm.Factor(operand, theta, Expr.Num.of(0)))));
                    }
                }
            }
            return terms;
        }

        private List<List<ChainTerm.Factor>> paths(String unit, String theta) {
            List<List<ChainTerm.Factor>> result = new ArrayList<>();
            for (String operand : operands.get(unit)) {
                if (operand.equals(theta)) {
                    result.add(List.of(new ChainTerm.Factor(unit, theta, partial(unit, theta))));
                } else if (unitsByName.containsKey(operand) && reach.get(operand).contains(theta)) {
                    ChainTerm.Factor step = new ChainTerm.Factor(unit, operand, partial(unit, operand));
                    for (List<ChainTerm.Factor> rest : paths(operand, theta)) {
                        List<ChainTerm.Factor> path = new ArrayList<>();
                        path.add(step);
                        path.addAll(rest);
                        result.add(path);
                    }
                }
            }
            return result;
        }

        private long countPaths(String unit, String theta, Map<String, Long> memo) {
            Long known = memo.get(unit);
            if (known != null) return known;
            long count = 0;
            for (String operand : operands.get(unit)) {
                if (operand.equals(theta)) count++;
                else if (unitsByName.containsKey(operand) && reach.get(operand).contains(theta)) {
                    count = Math.min(Long.MAX_VALUE / 2, count + countPaths(operand, theta, memo));
                }
            }
            memo.put(unit, count);
            return count;
        }

        /** ∂(definition of unit)/∂operand with every other name held fixed. */
        private Expr partial(String unit, String operand) {
            return localPartials.computeIfAbsent(unit + "\u0000" + operand, key -> {
                Expr definition = unit.equals(top) ? topDefinition : unitsByName.get(unit).definition();
                SymbolicResult<Expr> d = engine.differentiate(definition, operand);
                if (!d.isKnown()) return new Expr.Ref("∂" + unit + "/∂" + operand);
                Expr local = ordering.apply(d.value());
                // tanh'(z) comes back as 1 − tanh(z)²; where tanh(z) is the unit itself, a
                // person writes 1 − h², so the unit's own definition is folded back into its name.
                Expr canonical = ordering.apply(engine.evaluate(definition).orElse(definition));
                return foldInto(local, canonical, new Expr.Ref(unit));
            });
        }

        private static Expr foldInto(Expr e, Expr whole, Expr name) {
            if (e.equals(whole)) return name;
            if (whole instanceof Expr.Ref || whole instanceof Expr.Num) return e;
            if (e instanceof Expr.Neg n) return new Expr.Neg(foldInto(n.operand(), whole, name));
            if (e instanceof Expr.Sum su) return new Expr.Sum(su.terms().stream().map(t -> foldInto(t, whole, name)).toList());
            if (e instanceof Expr.Product p) {
                return new Expr.Product(p.factors().stream().map(t -> foldInto(t, whole, name)).toList());
            }
            if (e instanceof Expr.Quotient q) {
                return new Expr.Quotient(foldInto(q.numerator(), whole, name), foldInto(q.denominator(), whole, name));
            }
            if (e instanceof Expr.Power p) {
                return new Expr.Power(foldInto(p.base(), whole, name), foldInto(p.exponent(), whole, name));
            }
            if (e instanceof Expr.Call c) {
                return new Expr.Call(c.function(), c.args().stream().map(t -> foldInto(t, whole, name)).toList());
            }
            if (e instanceof Expr.DerivativeCall dc) {
                return new Expr.DerivativeCall(dc.function(), dc.order(), foldInto(dc.arg(), whole, name));
            }
            return e;
        }

        private static Set<String> union(Set<String> a, Set<String> b) {
            Set<String> u = new LinkedHashSet<>(a);
            u.addAll(b);
            return u;
        }

        private static int countOccurrences(Expr e, String name) {
            int[] count = {0};
            DerivationOrdering.forEachName(e, n -> { if (n.equals(name)) count[0]++; });
            return count[0];
        }

    }
}
