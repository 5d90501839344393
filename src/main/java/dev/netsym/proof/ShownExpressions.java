package dev.netsym.proof;

import dev.netsym.model.Expr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expressions as a reader is shown them (issue #11, item 6): a long one keeps unit names where
 * writing the unit out swells it, names each repeated part once (as SymPy's cse does), and
 * one still longer than {@link #BOUND} symbols is left out with its size. Every renderer
 * shows the same forms; each prints the {@link Definition}s a display needs before it.
 *
 * @param shown each expression as computed → as shown; an expression not in the map is
 *     shown as computed (within the bound)
 * @param definitions every name the shown forms use that is not a spec name or class
 *     symbol: units (their value where the expressions live) and names of repeated parts,
 *     each after the names its value uses
 * @param bounded false for {@code --full}: every expression as computed, however long
 */
public record ShownExpressions(Map<Expr, Shown> shown, List<Definition> definitions, boolean bounded) {
    /**
     * The most symbols (names, numbers and operations) an expression may have and be shown:
     * about four lines of text at 100 columns. Longer ones are left out unless --full.
     */
    public static final int BOUND = 150;

    /** Everything as computed, nothing named, nothing left out: what --full shows. */
    public static final ShownExpressions FULL = new ShownExpressions(Map.of(), List.of(), false);

    /** Nothing named; only the bound applies. */
    public static final ShownExpressions BOUND_ONLY = new ShownExpressions(Map.of(), List.of(), true);

    public ShownExpressions {
        shown = Collections.unmodifiableMap(new LinkedHashMap<>(shown));
        definitions = List.copyOf(definitions);
    }

    /**
     * A name used by the shown expressions.
     *
     * @param unit whether it is a unit of the network (then {@code value} is the unit's value
     *     where the expressions live: on the subspace in a proof, in inputs and parameters in a
     *     derivation), rather than a name made for a repeated part
     */
    public record Definition(String name, Shown value, boolean unit) {}

    /**
     * One expression as shown.
     *
     * @param expr the form shown (with names), or the expression as computed
     * @param size its size in symbols (see {@link CommonSubexpressions#size})
     * @param fullSize the size of the expression as computed
     * @param omitted whether it is left out for being longer than {@link #BOUND}
     */
    public record Shown(Expr expr, int size, int fullSize, boolean omitted) {
        /** "(expression not shown: 412 symbols; --full shows it)" and the like, for renderers. */
        public String omission() {
            return "expression not shown: " + fullSize + " symbols; --full shows it";
        }
    }

    /** The form to show for an expression as computed. */
    public Shown of(Expr computed) {
        Shown s = shown.get(computed);
        if (s != null) return s;
        int size = CommonSubexpressions.size(computed);
        return new Shown(computed, size, size, bounded && size > BOUND);
    }

    /**
     * The definitions a display of these forms needs that are not in {@code known}, each after
     * the ones its own value needs; names it returns are added to {@code known}, so a renderer
     * passes one set through a document and prints each definition once, before its first use.
     * Omitted forms need nothing.
     */
    public List<Definition> needs(Collection<Shown> forms, Set<String> known) {
        Map<String, Definition> byName = new LinkedHashMap<>();
        for (Definition d : definitions) byName.put(d.name(), d);
        Set<String> needed = new HashSet<>();
        for (Shown s : forms) {
            if (!s.omitted()) collect(s.expr(), byName, known, needed);
        }
        // In the order of the definitions (units in the order they are computed), which puts
        // each after the ones it uses.
        List<Definition> out = new ArrayList<>();
        for (Definition d : definitions) if (needed.contains(d.name())) out.add(d);
        known.addAll(needed);
        return out;
    }

    /** Every definition these expressions use, however long, each after the ones it uses (for JSON). */
    public List<Definition> usedBy(Collection<Expr> exprs) {
        Set<String> used = new HashSet<>();
        for (Expr e : exprs) collectAll(e, used);
        List<Definition> out = new ArrayList<>();
        for (Definition d : definitions) if (used.contains(d.name())) out.add(d);
        return out;
    }

    private void collectAll(Expr e, Set<String> used) {
        if (e instanceof Expr.Ref r) {
            for (Definition d : definitions) {
                if (d.name().equals(r.name()) && used.add(r.name())) collectAll(d.value().expr(), used);
            }
            return;
        }
        for (Expr child : e.children()) collectAll(child, used);
    }

    private static void collect(Expr e, Map<String, Definition> byName, Set<String> known, Set<String> needed) {
        if (e instanceof Expr.Ref r) {
            Definition d = byName.get(r.name());
            if (d == null || known.contains(r.name()) || !needed.add(r.name())) return;
            if (!d.value().omitted()) collect(d.value().expr(), byName, known, needed);
            return;
        }
        for (Expr child : e.children()) collect(child, byName, known, needed);
    }
}
