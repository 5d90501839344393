package dev.netsym.calculus;

import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Unit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The derivation of a big network in the adjoint (unit-level) form, as backpropagation is
 * written by hand: for each unit u, ∂L/∂u = Σ_v ∂L/∂v · ∂v/∂u over the units v that use u,
 * and for each parameter θ, ∂L/∂θ = Σ_u ∂L/∂u · ∂u/∂θ over the units using θ directly.
 * Every local derivative ∂v/∂u comes from v's own definition ({@link LocalDerivative}), so
 * the whole derivation is one pass over the network: time and memory linear in its edges,
 * and no CAS. Expressions in inputs and parameters are built only while they stay within
 * the size bound; nothing is ever expanded past it.
 */
final class AdjointForm {

    private final Network network;
    private final DerivationOptions options;
    private final DerivationOrdering ordering;
    private final Map<String, Unit> unitsByName;
    private final Set<String> parameterNames = new HashSet<>();
    private final String top;
    private final String why;
    /**
     * unit (or the top) → operand → ∂unit/∂operand, in the unit's own names; made when first
     * asked for, since a document or --param needs the partials of a few units only.
     */
    private final Map<String, Map<String, Expr>> partials = new ConcurrentHashMap<>();
    /**
     * name → the units (and the top) that use it directly, in unit order. Most names have
     * one user, kept in an immutable one-element list; a second user makes it an ArrayList.
     */
    private final Map<String, List<String>> users = new HashMap<>();
    private final Map<String, Expr> nested = new HashMap<>();
    private final Map<String, Long> nestedSize = new HashMap<>();
    private final Map<String, Expr> initialValues = new LinkedHashMap<>();

    AdjointForm(Network network, DerivationOptions options) {
        this.network = network;
        this.options = options;
        this.ordering = new DerivationOrdering(network);
        this.unitsByName = network.unitsByName();
        network.parameters().forEach(p -> parameterNames.add(p.name()));
        top = network.objective() instanceof Expr.Ref r && unitsByName.containsKey(r.name())
                ? r.name() : Derivation.freshObjectiveName(network);
        why = "the network is derived in the adjoint form (" + network.parameters().size() + " parameters; the"
                + " full expansion is done up to " + options.maxSymbolicParameters() + ")";
        for (Parameter p : network.parameters()) {
            if (p.init() instanceof Init.Numeric n) initialValues.put(p.name(), new Expr.Num(n.value()));
            if (p.init() instanceof Init.Symbolic s) initialValues.put(p.name(), s.expr());
        }
    }

    Derivation build() {
        for (Unit u : network.units()) analyse(u.name(), u.definition());
        if (!unitsByName.containsKey(top)) analyse(top, network.objective());
        List<Derivation.UnitDerivation> units = new ArrayList<>();
        for (Unit u : network.units()) units.add(unit(u));
        List<String> wanted = new ArrayList<>();
        for (Parameter p : network.parameters()) {
            if (options.only().isEmpty() || options.only().contains(p.name())) wanted.add(p.name());
        }
        return new Derivation(network, top, units, new Gradients(wanted), options);
    }

    /** Operands, users, partials and (bounded) nested form of one unit; units come in topological order. */
    private void analyse(String name, Expr definition) {
        Map<String, Integer> occurrences = new LinkedHashMap<>();
        DerivationOrdering.forEachName(definition, n -> {
            if (unitsByName.containsKey(n) || parameterNames.contains(n)) occurrences.merge(n, 1, Integer::sum);
        });
        long size = SymbolicEngine.size(definition);
        Map<String, Expr> replacements = new HashMap<>();
        boolean complete = true;
        for (Map.Entry<String, Integer> o : occurrences.entrySet()) {
            addUser(o.getKey(), name);
            if (!unitsByName.containsKey(o.getKey())) continue;
            size = Math.min(Long.MAX_VALUE / 4, size + o.getValue() * (nestedSize.get(o.getKey()) - 1));
            Expr form = nested.get(o.getKey());
            if (form == null) complete = false;
            else replacements.put(o.getKey(), form);
        }
        nestedSize.put(name, size);
        if (complete && size <= options.maxExpansionSize()) nested.put(name, definition.replaceNames(replacements));
    }

    private void addUser(String used, String user) {
        List<String> known = users.putIfAbsent(used, List.of(user));
        if (known == null) return;
        if (known instanceof ArrayList<String> growing) {
            growing.add(user);
            return;
        }
        List<String> growing = new ArrayList<>(known);
        growing.add(user);
        users.put(used, growing);
    }

    /** ∂v/∂operand for every unit or parameter v's definition names. */
    private Map<String, Expr> partialsOf(String v) {
        return partials.computeIfAbsent(v, unit -> {
            Expr definition = unitsByName.containsKey(unit) ? unitsByName.get(unit).definition() : network.objective();
            return LocalDerivative.partials(definition, n -> unitsByName.containsKey(n) || parameterNames.contains(n),
                    unitsByName.containsKey(unit) ? unit : null);
        });
    }

    private Derivation.UnitDerivation unit(Unit u) {
        String name = u.name();
        Expr expansion = nested.get(name);
        String stopped = expansion == null ? "expansion in inputs and parameters would have size "
                + nestedSize.get(name) + " > bound " + options.maxExpansionSize() + "; kept in unit names" : null;
        if (name.equals(top)) {
            return new Derivation.UnitDerivation(name, u.definition(), expansion, stopped, List.of(), Expr.Num.of(1));
        }
        List<ChainTerm> chain = new ArrayList<>();
        for (String v : users.getOrDefault(name, List.of())) chain.add(term(v, name));
        return new Derivation.UnitDerivation(name, u.definition(), expansion, stopped, chain, sum(chain));
    }

    /** ∂L/∂v · ∂v/∂wrt, or just ∂L/∂wrt through the top's own definition. */
    private ChainTerm term(String v, String wrt) {
        Expr local = ordering.apply(partialsOf(v).getOrDefault(wrt, Expr.Num.of(0)));
        if (v.equals(top)) return new ChainTerm(List.of(new ChainTerm.Factor(top, wrt, local)));
        return new ChainTerm(List.of(new ChainTerm.Factor(top, v, adjointName(v)), new ChainTerm.Factor(v, wrt, local)));
    }

    private Expr adjointName(String unit) { return new Expr.Ref("∂" + top + "/∂" + unit); }

    /** The terms' values added up, each written ∂L/∂v first, as in the chain. */
    private static Expr sum(List<ChainTerm> chain) {
        List<Expr> values = new ArrayList<>();
        for (ChainTerm t : chain) if (!t.isZero()) values.add(t.value());
        return values.isEmpty() ? Expr.Num.of(0) : values.size() == 1 ? values.get(0) : new Expr.Sum(values);
    }

    private Derivation.GradientDerivation gradient(String theta) {
        List<ChainTerm> chain = new ArrayList<>();
        boolean throughAdjoints = false;
        for (String u : users.getOrDefault(theta, List.of())) {
            chain.add(term(u, theta));
            throughAdjoints |= !u.equals(top);
        }
        Expr local = sum(chain);
        if (throughAdjoints) {
            return new Derivation.GradientDerivation(theta, chain, local, null, null, null,
                    "∂" + top + "/∂u stays a name (see its line under Backpropagation): " + why);
        }
        // Only the top uses θ: the result is the local form with units replaced, while small.
        Map<String, Expr> forms = new HashMap<>();
        long size = SymbolicEngine.size(local);
        Set<String> names = new HashSet<>();
        DerivationOrdering.forEachName(local, names::add);
        for (String name : names) {
            if (!unitsByName.containsKey(name)) continue;
            Expr form = nested.get(name);
            size += nestedSize.get(name);
            if (form == null) size = Long.MAX_VALUE / 4;
            else forms.put(name, form);
        }
        if (size > options.maxExpansionSize()) {
            return new Derivation.GradientDerivation(theta, chain, local, null, null, null,
                    "expansion in inputs and parameters would have size over the bound "
                            + options.maxExpansionSize() + "; kept in unit names");
        }
        Expr result = local.replaceNames(forms);
        Expr atInit = Cleanup.apply(result.replaceNames(initialValues));
        Expr atPoint = options.point().isEmpty() ? null : Cleanup.apply(result.replaceNames(options.point()));
        return new Derivation.GradientDerivation(theta, chain, local, result, atInit, atPoint, null);
    }

    /** The gradients, each computed when read: a big network's are never all held at once. */
    final class Gradients extends AbstractList<Derivation.GradientDerivation> implements RandomAccess {
        private final List<String> parameters;

        Gradients(List<String> parameters) { this.parameters = List.copyOf(parameters); }

        @Override
        public Derivation.GradientDerivation get(int index) { return gradient(parameters.get(index)); }

        @Override
        public int size() { return parameters.size(); }

        /** The gradient of one parameter, or null when it is not among these. */
        Derivation.GradientDerivation of(String parameter) {
            return parameterNames.contains(parameter) && (options.only().isEmpty() || options.only().contains(parameter))
                    ? gradient(parameter) : null;
        }
    }


    /** Just enough arithmetic for values at a point without the CAS: zeros and ones drop out. */
    private static final class Cleanup {
        static Expr apply(Expr e) {
            if (e instanceof Expr.Sum s) {
                List<Expr> terms = new ArrayList<>();
                for (Expr t : s.terms()) {
                    Expr c = apply(t);
                    if (!isNumber(c, 0)) terms.add(c);
                }
                return terms.isEmpty() ? Expr.Num.of(0) : terms.size() == 1 ? terms.get(0) : new Expr.Sum(terms);
            }
            if (e instanceof Expr.Product p) {
                List<Expr> factors = new ArrayList<>();
                for (Expr f : p.factors()) {
                    Expr c = apply(f);
                    if (isNumber(c, 0)) return Expr.Num.of(0);
                    if (!isNumber(c, 1)) factors.add(c);
                }
                return factors.isEmpty() ? Expr.Num.of(1) : factors.size() == 1 ? factors.get(0) : new Expr.Product(factors);
            }
            if (e instanceof Expr.Neg n) {
                Expr c = apply(n.operand());
                return isNumber(c, 0) ? c : new Expr.Neg(c);
            }
            return e;
        }

        private static boolean isNumber(Expr e, long value) {
            return e instanceof Expr.Num n && n.value().equals(dev.netsym.model.Rational.of(value));
        }
    }
}
