package dev.netsym.render;

import dev.netsym.calculus.ChainTerm;
import dev.netsym.calculus.Derivation;
import dev.netsym.model.Expr;
import dev.netsym.model.Layer;
import dev.netsym.model.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How a big derivation is shown: per dense layer one representative unit and one
 * representative weight (and bias), written for every j and i, with a count; units and
 * parameters outside layers are shown each in full. A representative is generalised only
 * when a second member of its layer, renamed the same way, reads the same.
 */
final class DerivationSummary {

    /** Sums longer than this are shown as their first two terms, "…" and the last. */
    static final int SHOWN_TERMS = 5;

    /**
     * One shown line: a unit or parameter, or a whole layer's worth of them.
     *
     * @param name the concrete member the line was derived from
     * @param generic how a name of that member reads for every member ("h1[1]" → "h1[j]")
     * @param count how many members the line stands for (1 for a single one)
     * @param range e.g. "j = 1…256, i = 1…784"; empty for a single member
     * @param uniform whether the second member read the same (else the line is the concrete member)
     */
    record Group(String name, UnaryOperator<String> generic, int count, String range, boolean uniform) {}

    private DerivationSummary() {}

    /** Big networks with layers are summarised; the full form is shown as it always was. */
    static boolean unitsSummarised(Derivation d) {
        return d.adjointForm() && !d.network().layers().isEmpty();
    }

    /** Gradients are summarised unless only some were asked for (--param). */
    static boolean gradientsSummarised(Derivation d) {
        return unitsSummarised(d) && d.gradients().size() == d.network().parameters().size();
    }

    static List<Group> unitGroups(Derivation d, UnaryOperator<String> printName) {
        Map<String, Layer> layers = layersByName(d);
        Set<String> seenLayers = new HashSet<>();
        List<Group> groups = new ArrayList<>();
        for (Unit u : d.network().units()) {
            Layer l = u.layer() == null ? null : layers.get(u.layer());
            if (l == null || l.size() < 2) {
                groups.add(new Group(u.name(), n -> n, 1, "", true));
            } else if (seenLayers.add(l.name())) {
                groups.add(new Group(l.unit(1), unitRenamer(d, l, 1), l.size(), "j = 1…" + l.size(), true));
            }
        }
        return groups;
    }

    static List<Group> parameterGroups(Derivation d) {
        Set<String> inLayers = new HashSet<>();
        List<Group> groups = new ArrayList<>();
        for (Layer l : d.network().layers()) {
            int i0 = representativeSource(l);
            groups.add(new Group(l.weight(1, i0), weightRenamer(d, l, 1, i0), l.size() * l.sourceSize(),
                    "j = 1…" + l.size() + ", i = 1…" + l.sourceSize(), true));
            for (int j = 1; j <= l.size(); j++) {
                for (int i = 1; i <= l.sourceSize(); i++) inLayers.add(l.weight(j, i));
                if (l.bias()) inLayers.add(l.bias(j));
            }
            if (l.bias()) {
                groups.add(new Group(l.bias(1), weightRenamer(d, l, 1, i0), l.size(), "j = 1…" + l.size(), true));
            }
        }
        for (var p : d.network().parameters()) {
            if (!inLayers.contains(p.name())) groups.add(new Group(p.name(), n -> n, 1, "", true));
        }
        return groups;
    }

    /**
     * The source element i of a layer's representative weight: one that a shortened sum
     * leaves inside its "…", so W[j,1]·x[1] + … + W[j,20]·x[20] is not misread as ending at i.
     */
    private static int representativeSource(Layer l) {
        return l.sourceSize() > SHOWN_TERMS ? SHOWN_TERMS / 2 + 1 : l.sourceSize();
    }

    /** The second member to compare a unit group's representative with: the layer's last unit. */
    static Group checked(Group g, Derivation d, java.util.function.Function<Group, String> print) {
        if (g.count() == 1) return g;
        Layer l = layerOf(d, g.name());
        if (l == null) return g;
        Group other;
        if (g.name().equals(l.unit(1))) {
            other = new Group(l.unit(l.size()), unitRenamer(d, l, l.size()), g.count(), g.range(), true);
        } else if (g.name().startsWith("b_")) {
            other = new Group(l.bias(l.size()), weightRenamer(d, l, l.size(), representativeSource(l)), g.count(),
                    g.range(), true);
        } else {
            // The same source element i, in the last unit: a weight's line names the other
            // weights of its unit in order, so only the unit j can be compared by renaming.
            other = new Group(l.weight(l.size(), representativeSource(l)), weightRenamer(d, l, l.size(), representativeSource(l)),
                    g.count(), g.range(), true);
        }
        boolean same = print.apply(g).equals(print.apply(other));
        return same ? g : new Group(g.name(), n -> n, 1, "", false);
    }

    private static Layer layerOf(Derivation d, String name) {
        for (Layer l : d.network().layers()) {
            if (name.startsWith(l.name() + "[") || name.startsWith("W_" + l.name() + "[")
                    || name.startsWith("b_" + l.name() + "[")) {
                return l;
            }
        }
        return null;
    }

    private static Map<String, Layer> layersByName(Derivation d) {
        Map<String, Layer> map = new HashMap<>();
        for (Layer l : d.network().layers()) map.put(l.name(), l);
        return map;
    }

    /** Unit j0 of layer l becomes unit j: its own weights and bias, and the weights of layers fed by it. */
    private static UnaryOperator<String> unitRenamer(Derivation d, Layer l, int j0) {
        List<Layer> consumers = d.network().layers().stream().filter(c -> c.source().equals(l.name())).toList();
        String top = "∂" + d.objectiveName() + "/∂";
        return new UnaryOperator<>() {
            @Override
            public String apply(String name) {
                if (name.startsWith(top)) return top + apply(name.substring(top.length()));
                if (name.equals(l.unit(j0))) return l.name() + "[j]";
                if (l.bias() && name.equals(l.bias(j0))) return "b_" + l.name() + "[j]";
                String own = "W_" + l.name() + "[" + j0 + ",";
                if (name.startsWith(own)) return "W_" + l.name() + "[j," + name.substring(own.length());
                String partner = partnerElement(d, l, j0, name);
                if (partner != null) return partner;
                for (Layer c : consumers) {
                    String suffix = "," + j0 + "]";
                    if (name.startsWith("W_" + c.name() + "[") && name.endsWith(suffix)) {
                        return name.substring(0, name.length() - suffix.length()) + ",j]";
                    }
                }
                return name;
            }
        };
    }

    /**
     * Weight (j0, i0) of layer l becomes weight (j, i): its unit j, source element i and bias,
     * the other weights of unit j, and the elements j of vectors paired with the layer.
     */
    private static UnaryOperator<String> weightRenamer(Derivation d, Layer l, int j0, int i0) {
        return new UnaryOperator<>() {
            @Override
            public String apply(String name) {
                int slash = name.startsWith("∂") ? name.indexOf("/∂") : -1;
                if (slash > 0) return name.substring(0, slash + 2) + apply(name.substring(slash + 2));
                if (name.equals(l.unit(j0))) return l.name() + "[j]";
                if (name.equals(l.source() + "[" + i0 + "]")) return l.source() + "[i]";
                if (name.equals(l.weight(j0, i0))) return "W_" + l.name() + "[j,i]";
                if (l.bias() && name.equals(l.bias(j0))) return "b_" + l.name() + "[j]";
                String own = "W_" + l.name() + "[" + j0 + ",";
                if (name.startsWith(own)) return "W_" + l.name() + "[j," + name.substring(own.length());
                String partner = partnerElement(d, l, j0, name);
                return partner != null ? partner : name;
            }
        };
    }

    private static final java.util.regex.Pattern ELEMENT = java.util.regex.Pattern.compile("(.+)\\[([0-9]+)]");

    /**
     * Element j0 of a vector as long as the layer, other than its source and the layers it
     * feeds, as element j: the
     * target t[j] of out[j] in sum((out - t)^2). Null for any other name. Renaming the
     * representative and the compared member alike keeps the comparison honest.
     */
    private static String partnerElement(Derivation d, Layer l, int j0, String name) {
        java.util.regex.Matcher m = ELEMENT.matcher(name);
        if (!m.matches() || Integer.parseInt(m.group(2)) != j0) return null;
        String vector = m.group(1);
        // Its source and the layers it feeds are summed over, element by element.
        if (vector.equals(l.source()) || vector.equals(l.name())) return null;
        if (d.network().layers().stream().anyMatch(c -> c.name().equals(vector) && c.source().equals(l.name()))) return null;
        String last = vector + "[" + l.size() + "]";
        String beyond = vector + "[" + (l.size() + 1) + "]";
        List<String> known = new ArrayList<>(d.network().inputs());
        known.addAll(d.network().targets());
        boolean sameLength = known.contains(last) && !known.contains(beyond)
                || d.network().unitsByName().containsKey(last) && !d.network().unitsByName().containsKey(beyond);
        return sameLength ? vector + "[j]" : null;
    }

    /** Every name renamed; sums longer than {@link #SHOWN_TERMS} shortened to a, b, …, z. */
    static Expr shown(Expr e, UnaryOperator<String> rename) { return renamed(e, rename, true); }

    /** Every name renamed; long sums shortened when asked. */
    static Expr renamed(Expr e, UnaryOperator<String> rename, boolean shorten) {
        if (e == null) return null;
        if (!shorten) {
            if (e instanceof Expr.Sum s) return new Expr.Sum(s.terms().stream().map(t -> renamed(t, rename, false)).toList());
            if (e instanceof Expr.Product p) {
                return new Expr.Product(p.factors().stream().map(t -> renamed(t, rename, false)).toList());
            }
            if (e instanceof Expr.Neg n) return new Expr.Neg(renamed(n.operand(), rename, false));
            if (e instanceof Expr.Ref r) return new Expr.Ref(rename.apply(r.name()));
        }
        if (e instanceof Expr.Ref r) return new Expr.Ref(rename.apply(r.name()));
        if (e instanceof Expr.Neg n) return new Expr.Neg(shown(n.operand(), rename));
        if (e instanceof Expr.Sum s) {
            List<Expr> terms = s.terms();
            if (terms.size() > SHOWN_TERMS) {
                terms = List.of(terms.get(0), terms.get(1), new Expr.Ref("…"), terms.get(terms.size() - 1));
            }
            return new Expr.Sum(terms.stream().map(t -> shown(t, rename)).toList());
        }
        if (e instanceof Expr.Product p) return new Expr.Product(p.factors().stream().map(t -> shown(t, rename)).toList());
        if (e instanceof Expr.Quotient q) return new Expr.Quotient(shown(q.numerator(), rename), shown(q.denominator(), rename));
        if (e instanceof Expr.Power p) return new Expr.Power(shown(p.base(), rename), shown(p.exponent(), rename));
        if (e instanceof Expr.Call c) return new Expr.Call(c.function(), c.args().stream().map(t -> shown(t, rename)).toList());
        if (e instanceof Expr.DerivativeCall dc) return new Expr.DerivativeCall(dc.function(), dc.order(), shown(dc.arg(), rename));
        return e;
    }

    /** A chain renamed, shortened like a sum: first two terms, then null (for "…"), then the last. */
    static List<ChainTerm> shown(List<ChainTerm> chain, UnaryOperator<String> rename) {
        List<ChainTerm> terms = chain;
        boolean shortened = terms.size() > SHOWN_TERMS;
        if (shortened) terms = List.of(terms.get(0), terms.get(1), terms.get(terms.size() - 1));
        List<ChainTerm> out = new ArrayList<>();
        for (ChainTerm t : terms) {
            out.add(new ChainTerm(t.factors().stream().map(f -> new ChainTerm.Factor(rename.apply(f.of()),
                    rename.apply(f.wrt()), shown(f.local(), rename))).toList()));
        }
        if (shortened) out.add(2, null);
        return out;
    }
}
