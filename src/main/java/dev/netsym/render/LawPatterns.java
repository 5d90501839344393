package dev.netsym.render;

import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import dev.netsym.proof.ConservationLaws;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conservation laws written in the network's names, and grouped where they are one law per
 * index: laws that read the same once one index value (in every W[j,i]-style name) is
 * replaced by k form a group "for each k in {...}: ...".
 */
final class LawPatterns {
    /**
     * Laws of one pattern: the text with k, the index values (empty for a single law written
     * out), and the slots of the first law that show k.
     */
    record Group(String pattern, List<String> values, List<ConservationLaws.Law> laws, Set<String> slots) {
        boolean single() { return values.isEmpty(); }
    }

    /** One way to write a law with k: the value k stands for, in these slots. */
    private record Reading(String value, Set<String> slots) {}

    private static final Pattern INDEXED = Pattern.compile("\\[([^\\]]*)\\]");

    private LawPatterns() {}

    static String text(ConservationLaws.Law law) {
        return text(law, Set.<String>of());
    }

    /**
     * h written out, with index value {@code k} (if not null) shown as k in every index slot
     * (tensor and position) that holds k alone throughout the law: in W_h[1,1]^2 + W_h[1,2]^2 the
     * first slot of W_h is the unit's, the second is summed over.
     */
    static String text(ConservationLaws.Law law, String k) {
        return text(law, k == null ? Set.<String>of() : constantSlots(law, k));
    }

    /** h written out with k in the given slots (tensor#position). */
    private static String text(ConservationLaws.Law law, Set<String> slots) {
        StringBuilder s = new StringBuilder();
        for (ConservationLaws.Term t : law.terms()) {
            Rational c = t.coefficient();
            boolean negative = c.signum() < 0;
            Rational magnitude = negative ? c.negate() : c;
            if (s.length() == 0) {
                if (negative) s.append("-");
            } else {
                s.append(negative ? " - " : " + ");
            }
            List<String> powers = new ArrayList<>();
            t.powers().forEach((f, e) -> powers.add(name(f, slots) + (e == 1 ? "" : "^" + e)));
            String monomial = String.join("*", powers);
            s.append(magnitude.equals(Rational.ONE) ? monomial : magnitude + "*" + monomial);
        }
        return s.toString();
    }

    /** The law as an expression (for LaTeX), with k in the given slots, as a {@link Group} writes it. */
    static Expr expression(ConservationLaws.Law law, Set<String> slots) {
        List<Expr> terms = new ArrayList<>();
        for (ConservationLaws.Term t : law.terms()) {
            Rational c = t.coefficient();
            Rational magnitude = c.signum() < 0 ? c.negate() : c;
            List<Expr> factors = new ArrayList<>();
            if (!magnitude.equals(Rational.ONE)) factors.add(new Expr.Num(magnitude));
            t.powers().forEach((f, e) -> {
                Expr ref = new Expr.Ref(name(f, slots));
                factors.add(e == 1 ? ref : new Expr.Power(ref, Expr.Num.of(e)));
            });
            Expr term = factors.size() == 1 ? factors.get(0) : new Expr.Product(factors);
            terms.add(c.signum() < 0 ? new Expr.Neg(term) : term);
        }
        return terms.size() == 1 ? terms.get(0) : new Expr.Sum(terms);
    }

    private static String name(String parameter, Set<String> slots) {
        if (slots.isEmpty()) return parameter;
        Matcher m = INDEXED.matcher(parameter);
        if (!m.find()) return parameter;
        String tensor = parameter.substring(0, m.start());
        String[] parts = m.group(1).split(",", -1);
        for (int p = 0; p < parts.length; p++) if (slots.contains(tensor + "#" + p)) parts[p] = "k";
        return tensor + "[" + String.join(",", parts) + "]" + parameter.substring(m.end());
    }

    /** Index slot (tensor#position) → the values it takes in the law's names. */
    private static Map<String, Set<String>> slotValues(ConservationLaws.Law law) {
        Map<String, Set<String>> slots = new LinkedHashMap<>();
        for (ConservationLaws.Term t : law.terms()) {
            for (String p : t.powers().keySet()) {
                Matcher m = INDEXED.matcher(p);
                if (!m.find()) continue;
                String[] parts = m.group(1).split(",", -1);
                for (int i = 0; i < parts.length; i++) {
                    slots.computeIfAbsent(p.substring(0, m.start()) + "#" + i, x -> new LinkedHashSet<>()).add(parts[i].trim());
                }
            }
        }
        return slots;
    }

    private static Set<String> constantSlots(ConservationLaws.Law law, String k) {
        Set<String> constant = new LinkedHashSet<>();
        slotValues(law).forEach((slot, values) -> {
            if (values.size() == 1 && values.contains(k)) constant.add(slot);
        });
        return constant;
    }

    private static Set<String> indexValues(ConservationLaws.Law law) {
        Set<String> values = new LinkedHashSet<>();
        slotValues(law).values().forEach(v -> {
            if (v.size() == 1) values.addAll(v);
        });
        return values;
    }

    /** Groups in order of first law; each law in the largest group its patterns allow. */
    static List<Group> group(List<ConservationLaws.Law> laws) {
        Map<String, List<Integer>> byPattern = new LinkedHashMap<>();
        List<Map<String, Reading>> patternsOfLaw = new ArrayList<>();
        for (int i = 0; i < laws.size(); i++) {
            Map<String, Reading> patterns = new LinkedHashMap<>();
            for (String v : indexValues(laws.get(i))) {
                for (Set<String> slots : subsets(constantSlots(laws.get(i), v))) {
                    String pattern = text(laws.get(i), slots);
                    if (!pattern.equals(text(laws.get(i))) && !patterns.containsKey(pattern)) patterns.put(pattern, new Reading(v, slots));
                }
            }
            patternsOfLaw.add(patterns);
            for (String p : patterns.keySet()) byPattern.computeIfAbsent(p, x -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>();
        boolean[] placed = new boolean[laws.size()];
        for (int i = 0; i < laws.size(); i++) {
            if (placed[i]) continue;
            String best = null;
            int bestSize = 1;
            for (String p : patternsOfLaw.get(i).keySet()) {
                int size = (int) byPattern.get(p).stream().filter(j -> !placed[j]).count();
                if (size > bestSize) {
                    best = p;
                    bestSize = size;
                }
            }
            if (best == null) {
                placed[i] = true;
                groups.add(new Group(text(laws.get(i)), List.of(), List.of(laws.get(i)), Set.of()));
                continue;
            }
            List<String> values = new ArrayList<>();
            List<ConservationLaws.Law> members = new ArrayList<>();
            for (int j : byPattern.get(best)) {
                if (placed[j]) continue;
                placed[j] = true;
                values.add(patternsOfLaw.get(j).get(best).value());
                members.add(laws.get(j));
            }
            groups.add(new Group(best, values, members, patternsOfLaw.get(i).get(best).slots()));
        }
        return groups;
    }

    /**
     * The slots k may stand in, all of them first: in W_h[1,1]^2 - W_out[1,1]^2 the value 1 fills
     * both slots of W_out, and only the second is the unit's (as W_out[1,2] in the next law shows).
     */
    private static List<Set<String>> subsets(Set<String> slots) {
        List<String> all = new ArrayList<>(slots);
        List<Set<String>> subsets = new ArrayList<>();
        subsets.add(slots);
        if (all.size() > 6) return subsets;
        for (int mask = (1 << all.size()) - 2; mask > 0; mask--) {
            Set<String> subset = new LinkedHashSet<>();
            for (int b = 0; b < all.size(); b++) if ((mask & (1 << b)) != 0) subset.add(all.get(b));
            subsets.add(subset);
        }
        return subsets;
    }

    /**
     * One full-batch gradient descent step θ → θ − η·g changes a law h by exactly
     * Σ_k (−η)^k·(the part of h(θ + g) of degree k in g), and the part with k = 1 is ⟨∇h, g⟩ = 0:
     * what is left, for a law of degree 2 η²·Σ q·g_i·g_j.
     */
    static String drift(ConservationLaws.Law law) {
        List<String> orders = new ArrayList<>();
        for (int k = 2; k <= law.degree(); k++) {
            Map<String, Rational> parts = new LinkedHashMap<>();
            for (ConservationLaws.Term t : law.terms()) {
                int n = t.degree();
                for (int mask = 0; mask < 1 << n; mask++) {
                    if (Integer.bitCount(mask) != k) continue;
                    Map<String, Integer> powers = new LinkedHashMap<>();
                    for (int f = 0; f < n; f++) {
                        String name = t.factors().get(f);
                        powers.merge((mask & 1 << f) != 0 ? "g(" + name + ")" : name, 1, Integer::sum);
                    }
                    List<String> factors = new ArrayList<>();
                    powers.forEach((f, e) -> factors.add(f + (e == 1 ? "" : "^" + e)));
                    parts.merge(String.join("*", factors), t.coefficient(), Rational::add);
                }
            }
            List<String> terms = new ArrayList<>();
            parts.forEach((monomial, c) -> {
                if (c.signum() == 0) return;
                Rational magnitude = c.signum() < 0 ? c.negate() : c;
                terms.add((c.signum() < 0 ? "- " : terms.isEmpty() ? "" : "+ ")
                        + (magnitude.equals(Rational.ONE) ? "" : magnitude + "*") + monomial);
            });
            if (terms.isEmpty()) continue;
            // (−η)^k: even orders add, odd ones subtract.
            String sign = k % 2 == 0 ? (orders.isEmpty() ? "" : " + ") : (orders.isEmpty() ? "-" : " - ");
            orders.add(sign + "eta^" + k + " * (" + String.join(" ", terms) + ")");
        }
        return orders.isEmpty() ? "0" : String.join("", orders);
    }
}
