package dev.netsym.calculus;

import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Unit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts sums and products in the order a person writes them by hand, not Symja's
 * alphabetical order: numbers, then parameters (in chain order: the weight nearest the
 * objective first, so w9·w5), then bracketed subexpressions, then units, then inputs:
 * 2·a²·x1, w9·(w1·x1 + w3·x2), (w9·w5 + w10·w6)·x1. Only the order changes, never the value.
 */
final class DerivationOrdering {

    private enum Kind { NUMBER, PARAMETER, COMPOUND, UNIT, INPUT }

    private final Map<String, Kind> kinds = new HashMap<>();
    private final Map<String, Integer> depth = new HashMap<>();
    private final Map<String, Integer> declared = new HashMap<>();

    DerivationOrdering(Network network) {
        int order = 0;
        for (String input : network.inputs()) {
            kinds.put(input, Kind.INPUT);
            declared.put(input, order++);
        }
        for (String target : network.targets()) {
            kinds.put(target, Kind.INPUT);
            declared.put(target, order++);
        }
        for (var p : network.parameters()) {
            kinds.put(p.name(), Kind.PARAMETER);
            declared.put(p.name(), order++);
        }
        for (String symbol : network.initSymbols()) {
            kinds.put(symbol, Kind.PARAMETER);
            declared.put(symbol, order++);
        }
        List<Unit> units = network.units();
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            kinds.put(u.name(), Kind.UNIT);
            declared.put(u.name(), order++);
            int unitIndex = i;
            forEachName(u.definition(), name -> depth.put(name, unitIndex));
        }
        // Parameters of the objective itself sit nearest it.
        forEachName(network.objective(), name -> depth.put(name, units.size()));
    }

    Expr apply(Expr e) {
        if (e instanceof Expr.Sum s) {
            List<Expr> terms = new ArrayList<>(s.terms().stream().map(this::apply).toList());
            terms.sort(Comparator.comparing((Expr t) -> t instanceof Expr.Neg).thenComparing(this::termKey,
                    DerivationOrdering::compareKeys));
            return new Expr.Sum(terms);
        }
        if (e instanceof Expr.Product p) {
            List<Expr> factors = new ArrayList<>(p.factors().stream().map(this::apply).toList());
            factors.sort((a, b) -> compareKeys(factorKey(a, true), factorKey(b, true)));
            return new Expr.Product(factors);
        }
        return e.withChildren(e.children().stream().map(this::apply).toList());
    }

    /** A sum's terms are ordered by their factors, in declaration order: w1·x1 + w3·x2. */
    private List<Object> termKey(Expr term) {
        Expr t = term instanceof Expr.Neg n ? n.operand() : term;
        List<Expr> factors = t instanceof Expr.Product p ? p.factors() : List.of(t);
        List<Object> key = new ArrayList<>();
        for (Expr f : factors) key.addAll(factorKey(f, false));
        return key;
    }

    /** In a product, parameters go deepest-unit-first (chain order); in a sum, by declaration. */
    private List<Object> factorKey(Expr f, boolean chainOrder) {
        Expr base = f instanceof Expr.Power p ? p.base() : f;
        if (f instanceof Expr.Num) return List.of(Kind.NUMBER.ordinal(), 0, "");
        if (base instanceof Expr.Ref r) {
            Kind kind = kinds.getOrDefault(r.name(), Kind.INPUT);
            int rank = declared.getOrDefault(r.name(), Integer.MAX_VALUE);
            int chain = kind == Kind.PARAMETER && chainOrder ? -depth.getOrDefault(r.name(), 0) : 0;
            // Kind decides the key's shape, so keys compare slot by slot with equal types.
            return List.of(kind.ordinal(), chain, rank, r.name());
        }
        return List.of(Kind.COMPOUND.ordinal(), 0, f.toString());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    static void forEachName(Expr e, java.util.function.Consumer<String> action) {
        if (e instanceof Expr.Ref r) action.accept(r.name());
        for (Expr child : e.children()) forEachName(child, action);
    }
}
