package dev.netsym.spec;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.Expr;
import dev.netsym.model.SourcePos;
import dev.netsym.model.Unit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The dependencies between units: their order, their cycles, and what reaches the objective. */
final class UnitGraph {
    private final Map<String, Unit> units;
    private final List<Diagnostic> diagnostics;
    /** Each unit's place in the order written. */
    private final Map<String, Integer> position;
    /**
     * Unit → the units its definition names, each once; only made when some unit names a unit
     * written after it (or itself), so that the order must be worked out.
     */
    private final Map<String, List<String>> uses;

    UnitGraph(Map<String, Unit> units, List<Diagnostic> diagnostics) {
        this.units = units;
        this.diagnostics = diagnostics;
        this.position = new HashMap<>(4 * units.size() / 3 + 16);
        for (String name : units.keySet()) position.put(name, position.size());
        if (namesOnlyEarlierUnits()) {
            uses = null;
            return;
        }
        this.uses = new HashMap<>(4 * units.size() / 3 + 16);
        Map<Expr, List<String>> shared = new IdentityHashMap<>();
        for (Unit u : units.values()) uses.put(u.name(), unitsNamed(u.definition(), shared));
    }

    /**
     * Whether every unit names only units written before it: then the order written is the
     * order (the search below would give it back unchanged) and there is no cycle. Tensor
     * statements are expanded that way, so a big network is checked in one walk, each shared
     * value once, without the per-unit lists the search needs. A value shared by two units is
     * checked at the first: what was written before that one was also written before the second.
     */
    private boolean namesOnlyEarlierUnits() {
        Set<Expr> walked = Collections.newSetFromMap(new IdentityHashMap<>());
        int current = 0;
        boolean[] inOrder = {true};
        for (Unit u : units.values()) {
            int here = current++;
            walk(u.definition(), walked, name -> {
                Integer at = position.get(name);
                if (at != null && at >= here) inOrder[0] = false;
            });
            if (!inOrder[0]) return false;
        }
        return true;
    }

    /**
     * Calls {@code action} on the names below {@code root}, skipping the operations already in
     * {@code walked} (and adding the others): across calls, each shared value is walked once.
     */
    private static void walk(Expr root, Set<Expr> walked, Consumer<String> action) {
        Deque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Expr e = stack.pop();
            if (e instanceof Expr.Ref r) action.accept(r.name());
            else if (e.isFlat() || walked.add(e)) e.children().forEach(stack::push);
        }
    }

    /**
     * The units an expression names, each once, in the order {@link #forEachName} meets them.
     * {@code memo} keeps the answer for every operation, across expressions: a value inlined into
     * many units (a row's softmax denominator, an attention score) is walked once, not once per
     * unit. A list one child alone contributes is passed up as it is, not copied.
     */
    private List<String> unitsNamed(Expr root, Map<Expr, List<String>> memo) {
        return Expr.fold(root, memo, this::unitsAmongLeaves, (e, namesOf) -> {
            List<String> only = null;
            Set<String> merged = null;
            List<Expr> children = e.children();
            // Last child first: the order of forEachName, whose stack pops the last child first.
            for (int i = children.size() - 1; i >= 0; i--) {
                List<String> names = namesOf.apply(children.get(i));
                if (names.isEmpty() || names == only) continue;
                if (only == null) {
                    only = names;
                    continue;
                }
                if (merged == null) merged = new LinkedHashSet<>(only);
                merged.addAll(names);
            }
            return merged != null ? List.copyOf(merged) : only != null ? only : List.of();
        });
    }

    /**
     * Calls {@code action} on the names an expression mentions (a name may come more than
     * once), without recursion, visiting an object that several parts share once.
     */
    static void forEachName(Expr root, Consumer<String> action) {
        walk(root, Collections.newSetFromMap(new IdentityHashMap<>()), action);
    }

    /** For a name, a number or an operation on those: the units named, last child first. */
    private List<String> unitsAmongLeaves(Expr e) {
        if (e instanceof Expr.Ref r) return units.containsKey(r.name()) ? List.of(r.name()) : List.of();
        Set<String> named = null;
        List<Expr> children = e.children();
        for (int i = children.size() - 1; i >= 0; i--) {
            if (children.get(i) instanceof Expr.Ref r && units.containsKey(r.name())) {
                if (named == null) named = new LinkedHashSet<>();
                named.add(r.name());
            }
        }
        return named == null ? List.of() : List.copyOf(named);
    }

    /** Units ordered so each comes after the units it uses; a cycle is an error naming its units. */
    List<Unit> topologicalOrder() {
        if (uses == null) return new ArrayList<>(units.values());
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        List<Unit> order = new ArrayList<>(units.size());
        for (String start : units.keySet()) {
            if (state.containsKey(start)) continue;
            // Iterative depth-first search: a chain of thousands of units must not overflow the stack.
            Deque<String> path = new ArrayDeque<>();
            Deque<java.util.Iterator<String>> pending = new ArrayDeque<>();
            path.push(start);
            pending.push(uses.get(start).iterator());
            state.put(start, 1);
            while (!path.isEmpty()) {
                var it = pending.peek();
                if (it.hasNext()) {
                    String next = it.next();
                    Integer s = state.get(next);
                    if (s == null) {
                        state.put(next, 1);
                        path.push(next);
                        pending.push(uses.get(next).iterator());
                    } else if (s == 1) {
                        reportCycle(path, next);
                        return order;
                    }
                } else {
                    String done = path.pop();
                    pending.pop();
                    state.put(done, 2);
                    order.add(units.get(done));
                }
            }
        }
        return order;
    }

    private void reportCycle(Deque<String> path, String back) {
        List<String> cycle = new ArrayList<>();
        for (var it = path.descendingIterator(); it.hasNext(); ) {
            String n = it.next();
            if (n.equals(back) || !cycle.isEmpty()) cycle.add(n);
        }
        cycle.add(back);
        SourcePos at = units.get(back).pos();
        diagnostics.add(Diagnostic.error(at, "the units form a cycle: " + String.join(" -> ", cycle)));
    }

    /**
     * Warns about units and parameters that cannot influence the objective. Every parameter
     * is named in some unit or in the objective, so only those named in unreached units can
     * be unreached: the common case, everything reached, costs one pass over the units.
     */
    void warnUnreachable(Expr objective, Map<String, SourcePos> parameters) {
        Set<String> reached = uses == null ? reachedInOrder(objective) : reachedBySearch(objective);
        int shown = 0;
        Set<String> candidates = new HashSet<>();
        for (Unit u : units.values()) {
            if (reached.contains(u.name())) continue;
            if (u.layer() == null && shown++ < SpecParser.MAX_ERRORS) {
                diagnostics.add(Diagnostic.warning(u.pos(), "unit '" + u.name() + "' does not affect the objective"));
            }
            forEachName(u.definition(), n -> {
                if (parameters.containsKey(n)) candidates.add(n);
            });
        }
        if (candidates.isEmpty()) return;
        forEachName(objective, candidates::remove);
        for (String unit : reached) forEachName(units.get(unit).definition(), candidates::remove);
        for (var p : parameters.entrySet()) {
            if (candidates.contains(p.getKey()) && shown++ < SpecParser.MAX_ERRORS) {
                diagnostics.add(Diagnostic.warning(p.getValue(),
                        "parameter '" + p.getKey() + "' does not affect the objective"));
            }
        }
    }

    private Set<String> reachedBySearch(Expr objective) {
        Set<String> reached = new HashSet<>();
        Deque<String> work = new ArrayDeque<>();
        forEachName(objective, n -> {
            if (units.containsKey(n) && reached.add(n)) work.push(n);
        });
        while (!work.isEmpty()) {
            for (String n : uses.get(work.pop())) if (reached.add(n)) work.push(n);
        }
        return reached;
    }

    /**
     * The same set when every unit names only earlier ones: from the last unit back, each unit's
     * users come before it, so whether it is reached is known when its turn comes.
     */
    private Set<String> reachedInOrder(Expr objective) {
        Set<String> reached = new HashSet<>();
        Consumer<String> reach = n -> {
            if (position.containsKey(n)) reached.add(n);
        };
        forEachName(objective, reach);
        List<Unit> ordered = new ArrayList<>(units.values());
        Set<Expr> walked = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = ordered.size() - 1; i >= 0; i--) {
            if (reached.contains(ordered.get(i).name())) walk(ordered.get(i).definition(), walked, reach);
        }
        return reached;
    }
}
