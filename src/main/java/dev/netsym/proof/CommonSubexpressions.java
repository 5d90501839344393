package dev.netsym.proof;

import dev.netsym.model.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Makes the long expressions of one display short enough to read, in three steps:
 * <ol>
 * <li>a unit whose value is big is kept by name wherever that value occurs (s for
 *     exp(z1) + exp(z2) + exp(z3), y1 − t1 for a sum that holds y1's terms and −t1);</li>
 * <li>a part that occurs more than once across the display gets a name, once (the unit's name
 *     when it is a unit's value, else a fresh one), as SymPy's cse does: a part that occurs
 *     only inside repeats of a bigger part is not counted again;</li>
 * <li>what is still longer than {@link ShownExpressions#BOUND} is left out.</li>
 * </ol>
 * Short expressions are shown as computed ({@link Settings}). Matching treats
 * sums and products as unordered and −x, (−1)·x and a negative number alike, so a value
 * written in another order still matches. Display only: the proof never reads these forms.
 */
public final class CommonSubexpressions {
    /**
     * When to compact, for one kind of display.
     *
     * @param compactAbove expressions up to this many symbols are shown as computed (the names
     *     of repeated parts are still used in them)
     * @param unitsKeptFrom a unit whose value has at least this many symbols is kept by name in
     *     an expression longer than {@code compactAbove}; a smaller one is written out, and a
     *     repeated part that is its value gets no name of its own
     */
    public record Settings(int compactAbove, int unitsKeptFrom) {}

    /**
     * A proof on its subspace: an expression longer than about a line keeps every unit by name
     * (the proof lists the units on the subspace just before).
     */
    public static final Settings PROOF = new Settings(40, 4);

    /**
     * A derivation, whose results are meant in inputs and parameters: only a result of three
     * lines and more keeps units by name, and only the units whose expansion is long itself.
     */
    public static final Settings DERIVATION = new Settings(100, 16);

    /**
     * Repeats are looked for only in expressions still longer than this once units have their
     * names (three lines and more); named, they are used in every expression of the display.
     */
    static final int LONG = 100;
    /** A repeated part shorter than this (written with the names inside it) is written out, not named. */
    static final int NAMED_FROM = 8;
    /** ... and one whose name saves fewer symbols than this, over all its occurrences. */
    static final int NAMED_IF_SAVING = 30;
    /** A sum of three terms or more counts this much longer when deciding whether to name it (its brackets). */
    static final int SUM_BONUS = 4;
    /** Names of parts while they are found; renamed in reading order at the end. Never a spec name. */
    private static final String PROVISIONAL = "\u0000part";

    private final Ids ids = new Ids();
    private final Settings settings;
    /** Kept units by their value; a small unit's value maps to null (written out, never named). */
    private final Map<Integer, String> unitByValue = new HashMap<>();
    /** Units kept by name in long expressions, biggest first; their values' terms when sums. */
    private final List<KeptUnit> kept = new ArrayList<>();
    private final Supplier<String> freshNames;

    private record KeptUnit(String name, Expr value, int[] terms) {}

    private CommonSubexpressions(Map<String, Expr> units, Supplier<String> freshNames, Settings settings) {
        this.freshNames = freshNames;
        this.settings = settings;
        List<KeptUnit> candidates = new ArrayList<>();
        for (var u : units.entrySet()) {
            Expr value = u.getValue();
            if (value.children().isEmpty()) continue;
            boolean keptByName = size(value) >= settings.unitsKeptFrom();
            // Two units with one value (y1 = y2 on the subspace): the first is the name.
            if (!unitByValue.containsKey(ids.id(value))) unitByValue.put(ids.id(value), keptByName ? u.getKey() : null);
            if (keptByName) {
                int[] terms = value instanceof Expr.Sum s ? s.terms().stream().mapToInt(ids::id).sorted().toArray() : null;
                candidates.add(new KeptUnit(u.getKey(), value, terms));
            }
        }
        candidates.sort(Comparator.comparingInt((KeptUnit k) -> -size(k.value())));
        kept.addAll(candidates);
    }

    /**
     * The forms to show for a group of expressions shown together (one proof, or the gradients
     * of one derivation).
     *
     * @param group the expressions, in the order a reader meets them
     * @param units unit name → its value where the expressions live, in unit order
     * @param unitsInGroup whether the units' values are in the group too (a proof shows them);
     *     otherwise a unit's definition is its value as given
     * @param freshNames names for repeated parts, in order; never a spec name
     */
    public static ShownExpressions of(List<Expr> group, Map<String, Expr> units, boolean unitsInGroup,
                                      Supplier<String> freshNames, Settings settings) {
        return new CommonSubexpressions(units, freshNames, settings).compact(group, units, unitsInGroup);
    }

    private ShownExpressions compact(List<Expr> group, Map<String, Expr> units, boolean unitsInGroup) {
        Set<Expr> distinct = new LinkedHashSet<>(group);
        Map<Expr, Expr> folded = new LinkedHashMap<>();
        for (Expr e : distinct) {
            if (size(e) > settings.compactAbove()) folded.put(e, fold(e, true));
        }

        // Counting as SymPy's cse does: a part seen again is a repeat, and what is inside it
        // is not counted again (it only repeats along with it).
        // Only what is still long once units have their names is searched for repeats.
        Map<Integer, Integer> occurrences = new HashMap<>();
        for (Expr e : folded.values()) if (size(e) > LONG) count(e, occurrences);
        Set<Integer> repeated = new HashSet<>();
        occurrences.forEach((id, n) -> { if (n > 1) repeated.add(id); });

        Map<Integer, String> names = new HashMap<>();
        Map<String, Expr> provisional = new LinkedHashMap<>();
        Map<Expr, Expr> forms = new LinkedHashMap<>();
        Map<String, Integer> uses = new HashMap<>();
        for (Expr e : distinct) {
            Expr f = folded.get(e);
            // Repeats found in the long ones are named wherever they occur.
            forms.put(e, rewrite(f == null ? e : f, true, repeated, names, provisional));
        }
        names.forEach((id, name) -> uses.put(name, occurrences.get(id)));
        // A part that reads short once the parts inside it have names is written out after all.
        // Parts come innermost first, so a part's body already has the short ones inside it written out.
        Map<String, Expr> writtenOut = new HashMap<>();
        Map<String, Expr> named = new LinkedHashMap<>();
        for (var p : provisional.entrySet()) {
            Expr body = p.getValue().replaceNames(writtenOut);
            // A sum is worth a name sooner: written out, it needs brackets wherever it is a factor.
            int n = size(body) + (body instanceof Expr.Sum sum && sum.terms().size() >= 3 ? SUM_BONUS : 0);
            if (n < NAMED_FROM || (uses.get(p.getKey()) - 1) * (n - 1) < NAMED_IF_SAVING) writtenOut.put(p.getKey(), body);
            else named.put(p.getKey(), body);
        }
        forms.replaceAll((e, f) -> f.replaceNames(writtenOut));
        // Final names in reading order: the first part a reader meets is u1.
        Map<String, Expr> renames = new LinkedHashMap<>();
        for (Expr f : forms.values()) nameInReadingOrder(f, named, renames);
        Map<String, Expr> fresh = new LinkedHashMap<>();
        for (var r : renames.entrySet()) {
            fresh.put(((Expr.Ref) r.getValue()).name(), named.get(r.getKey()).replaceNames(renames));
        }
        Map<Expr, ShownExpressions.Shown> shown = new LinkedHashMap<>();
        for (Expr e : distinct) {
            Expr form = forms.get(e).replaceNames(renames);
            int formSize = size(form);
            shown.put(e, new ShownExpressions.Shown(form, formSize, size(e), formSize > ShownExpressions.BOUND));
        }

        List<ShownExpressions.Definition> definitions = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (ShownExpressions.Shown s : shown.values()) namesIn(s.expr(), used);
        for (Expr body : fresh.values()) namesIn(body, used);
        for (var u : units.entrySet()) {
            if (!used.contains(u.getKey())) continue;
            ShownExpressions.Shown value = unitsInGroup && shown.containsKey(u.getValue()) ? shown.get(u.getValue())
                    : new ShownExpressions.Shown(u.getValue(), size(u.getValue()), size(u.getValue()), false);
            definitions.add(new ShownExpressions.Definition(u.getKey(), value, true));
        }
        for (var d : fresh.entrySet()) {
            int s = size(d.getValue());
            definitions.add(new ShownExpressions.Definition(d.getKey(),
                    new ShownExpressions.Shown(d.getValue(), s, s, s > ShownExpressions.BOUND), false));
        }
        return new ShownExpressions(shown, ordered(definitions), true);
    }

    /** Units kept by name: the whole value, its negation, or (in a sum) all its terms, or all negated. */
    private Expr fold(Expr x, boolean root) {
        if (!root) {
            String unit = keptUnit(ids.id(x));
            if (unit != null) return new Expr.Ref(unit);
            int positive = ids.negationOf(ids.id(x));
            if (positive >= 0 && keptUnit(positive) != null) return new Expr.Neg(new Expr.Ref(keptUnit(positive)));
        }
        if (x instanceof Expr.Sum s) x = foldTerms(s);
        List<Expr> children = x.children();
        if (children.isEmpty()) return x;
        List<Expr> out = new ArrayList<>(children.size());
        boolean changed = false;
        for (Expr c : children) {
            Expr f = fold(c, false);
            changed |= f != c;
            out.add(f);
        }
        return changed ? x.withChildren(out) : x;
    }

    private String keptUnit(int id) {
        for (KeptUnit k : kept) if (ids.id(k.value()) == id) return k.name();
        return null;
    }

    /** A sum that holds all the terms of a kept unit (or all negated) and more: the unit's name for them. */
    private Expr foldTerms(Expr.Sum s) {
        List<Expr> terms = new ArrayList<>(s.terms());
        boolean changed = false;
        for (KeptUnit k : kept) {
            if (k.terms() == null || k.terms().length >= terms.size()) continue;
            for (boolean negated : new boolean[] {false, true}) {
                int[] positions = matching(terms, k.terms(), negated);
                if (positions == null) continue;
                Expr name = new Expr.Ref(k.name());
                List<Expr> next = new ArrayList<>();
                for (int i = 0; i < terms.size(); i++) {
                    if (i == positions[0]) next.add(negated ? new Expr.Neg(name) : name);
                    else if (Arrays.binarySearch(positions, i) < 0) next.add(terms.get(i));
                }
                // −y1 after other terms prints as "− y1"; first, as "−y1 + …".
                terms = next;
                changed = true;
                break;
            }
        }
        return changed ? new Expr.Sum(terms) : s;
    }

    /** Positions in terms of the given term ids (each used once), or null when one is missing. */
    private int[] matching(List<Expr> terms, int[] wanted, boolean negated) {
        int[] positions = new int[wanted.length];
        boolean[] used = new boolean[terms.size()];
        for (int w = 0; w < wanted.length; w++) {
            int target = negated ? ids.negated(wanted[w]) : wanted[w];
            int found = -1;
            for (int i = 0; i < terms.size() && found < 0; i++) {
                if (!used[i] && ids.id(terms.get(i)) == target) found = i;
            }
            if (found < 0) return null;
            used[found] = true;
            positions[w] = found;
        }
        Arrays.sort(positions);
        return positions;
    }

    private void count(Expr e, Map<Integer, Integer> occurrences) {
        if (size(e) < NAMED_FROM) return;
        int id = ids.id(e);
        if (occurrences.merge(id, 1, Integer::sum) > 1) return;
        for (Expr c : e.children()) count(c, occurrences);
    }

    /** Repeats replaced by names, innermost named first; the root of a display keeps its own form. */
    private Expr rewrite(Expr e, boolean root, Set<Integer> repeated, Map<Integer, String> names, Map<String, Expr> fresh) {
        int id = ids.id(e);
        // A small unit's value is written out, as the unit would be.
        if (!root && repeated.contains(id) && !(unitByValue.containsKey(id) && unitByValue.get(id) == null)) {
            String known = names.get(id);
            if (known != null) return new Expr.Ref(known);
            String unit = unitByValue.get(id);
            Expr body = unit != null ? null : rewrite(e, true, repeated, names, fresh);
            String name = unit != null ? unit : PROVISIONAL + fresh.size();
            names.put(id, name);
            if (body != null) fresh.put(name, body);
            return new Expr.Ref(name);
        }
        List<Expr> children = e.children();
        if (children.isEmpty()) return e;
        List<Expr> out = new ArrayList<>(children.size());
        boolean changed = false;
        for (Expr c : children) {
            Expr r = rewrite(c, false, repeated, names, fresh);
            changed |= r != c;
            out.add(r);
        }
        return changed ? e.withChildren(out) : e;
    }

    /** Provisional part names → final ones, a part's inner parts before it, in the order a reader meets them. */
    private void nameInReadingOrder(Expr e, Map<String, Expr> parts, Map<String, Expr> renames) {
        if (e instanceof Expr.Ref r) {
            Expr body = parts.get(r.name());
            if (body == null || renames.containsKey(r.name())) return;
            nameInReadingOrder(body, parts, renames);
            renames.put(r.name(), new Expr.Ref(freshNames.get()));
            return;
        }
        for (Expr c : e.children()) nameInReadingOrder(c, parts, renames);
    }

    /** Each definition after the ones its value uses (units and parts may use each other). */
    private static List<ShownExpressions.Definition> ordered(List<ShownExpressions.Definition> definitions) {
        Map<String, ShownExpressions.Definition> byName = new LinkedHashMap<>();
        for (var d : definitions) byName.put(d.name(), d);
        List<ShownExpressions.Definition> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (var d : definitions) place(d, byName, done, out);
        return out;
    }

    private static void place(ShownExpressions.Definition d, Map<String, ShownExpressions.Definition> byName,
                              Set<String> done, List<ShownExpressions.Definition> out) {
        if (!done.add(d.name())) return;
        Set<String> inside = new LinkedHashSet<>();
        namesIn(d.value().expr(), inside);
        for (String n : inside) {
            ShownExpressions.Definition dep = byName.get(n);
            if (dep != null) place(dep, byName, done, out);
        }
        out.add(d);
    }

    private static void namesIn(Expr e, Set<String> into) {
        if (e instanceof Expr.Ref r) into.add(r.name());
        for (Expr c : e.children()) namesIn(c, into);
    }

    /**
     * Symbols in an expression: names, numbers and operations, a sum or product of n terms
     * counting n − 1 (the same count as the calculus's size, which bounds its work).
     */
    public static int size(Expr e) {
        return dev.netsym.calculus.SymbolicEngine.size(e);
    }

    /**
     * One number per expression up to order of sums and products and the way a sign is
     * written (hash-consing): equal numbers, equal expressions.
     */
    private static final class Ids {
        private final Map<List<Object>, Integer> table = new HashMap<>();
        private final List<List<Object>> keys = new ArrayList<>();
        private final Map<Expr, Integer> memo = new IdentityHashMap<>();

        int id(Expr e) {
            Integer known = memo.get(e);
            if (known != null) return known;
            int id = intern(key(e));
            memo.put(e, id);
            return id;
        }

        /** The id of −x for the id of x. */
        int negated(int id) {
            List<Object> key = keys.get(id);
            if (key.get(0).equals("neg")) return (Integer) key.get(1);
            return intern(List.of("neg", id));
        }

        /** For the id of −x, the id of x; else −1. */
        int negationOf(int id) {
            List<Object> key = keys.get(id);
            return key.get(0).equals("neg") ? (Integer) key.get(1) : -1;
        }

        private int intern(List<Object> key) {
            Integer id = table.get(key);
            if (id != null) return id;
            id = keys.size();
            table.put(key, id);
            keys.add(key);
            return id;
        }

        private List<Object> key(Expr e) {
            if (e instanceof Expr.Num n) {
                if (n.value().signum() < 0) return List.of("neg", id(new Expr.Num(n.value().negate())));
                return List.of("num", n.value());
            }
            if (e instanceof Expr.Ref r) return List.of("ref", r.name());
            if (e instanceof Expr.Neg n) {
                int inner = id(n.operand());
                return negationOf(inner) >= 0 ? keys.get(negationOf(inner)) : List.of("neg", inner);
            }
            if (e instanceof Expr.Product p) {
                // Signs of factors move to the front: (−a)·b, −1·a·b and −(a·b) are one expression.
                List<Expr> unsigned = new ArrayList<>();
                boolean negative = false;
                for (Expr f : p.factors()) {
                    if (f instanceof Expr.Num k && k.value().signum() < 0) {
                        negative = !negative;
                        if (!k.value().negate().isOne()) unsigned.add(new Expr.Num(k.value().negate()));
                    } else if (f instanceof Expr.Neg n) {
                        negative = !negative;
                        unsigned.add(n.operand());
                    } else {
                        unsigned.add(f);
                    }
                }
                if (negative || unsigned.size() != p.factors().size()) {
                    Expr positive = unsigned.isEmpty() ? Expr.Num.of(1)
                            : unsigned.size() == 1 ? unsigned.get(0) : new Expr.Product(unsigned);
                    return negative ? List.of("neg", id(positive)) : keys.get(id(positive));
                }
            }
            if (e instanceof Expr.Sum s && s.terms().stream().allMatch(t -> negationOf(id(t)) >= 0)) {
                // −a − b reads as −(a + b).
                return List.of("neg", id(new Expr.Sum(s.terms().stream().map(t -> (Expr) new Expr.Neg(t)).toList())));
            }
            if (e instanceof Expr.Sum || e instanceof Expr.Product) {
                int[] children = e.children().stream().mapToInt(this::id).sorted().toArray();
                List<Object> key = new ArrayList<>();
                key.add(e instanceof Expr.Sum ? "sum" : "product");
                for (int c : children) key.add(c);
                return key;
            }
            List<Object> key = new ArrayList<>();
            if (e instanceof Expr.Quotient) key.add("quotient");
            else if (e instanceof Expr.Power) key.add("power");
            else if (e instanceof Expr.Call c) key.add("call " + c.function());
            else if (e instanceof Expr.DerivativeCall d) key.add("derivative " + d.order() + " " + d.function());
            for (Expr c : e.children()) key.add(id(c));
            return key;
        }
    }
}
