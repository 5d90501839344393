package dev.netsym.spec;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.Expr;
import dev.netsym.model.SourcePos;
import dev.netsym.model.Unit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The dependencies between units: their order, their cycles, and what reaches the objective. */
final class UnitGraph {
    private final Map<String, Unit> units;
    private final List<Diagnostic> diagnostics;
    private final Map<String, Set<String>> uses = new HashMap<>();

    UnitGraph(Map<String, Unit> units, List<Diagnostic> diagnostics) {
        this.units = units;
        this.diagnostics = diagnostics;
        for (Unit u : units.values()) uses.put(u.name(), namesIn(u.definition()));
    }

    /** Every name an expression mentions, found without recursion. */
    static Set<String> namesIn(Expr root) {
        Set<String> names = new LinkedHashSet<>();
        Deque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Expr e = stack.pop();
            if (e instanceof Expr.Ref r) names.add(r.name());
            else e.children().forEach(stack::push);
        }
        return names;
    }

    /** Units ordered so each comes after the units it uses; a cycle is an error naming its units. */
    List<Unit> topologicalOrder() {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        List<Unit> order = new ArrayList<>(units.size());
        for (String start : units.keySet()) {
            if (state.containsKey(start)) continue;
            // Iterative depth-first search: a chain of thousands of units must not overflow the stack.
            Deque<String> path = new ArrayDeque<>();
            Deque<java.util.Iterator<String>> pending = new ArrayDeque<>();
            path.push(start);
            pending.push(unitDeps(start).iterator());
            state.put(start, 1);
            while (!path.isEmpty()) {
                var it = pending.peek();
                if (it.hasNext()) {
                    String next = it.next();
                    Integer s = state.get(next);
                    if (s == null) {
                        state.put(next, 1);
                        path.push(next);
                        pending.push(unitDeps(next).iterator());
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

    private List<String> unitDeps(String unit) {
        List<String> deps = new ArrayList<>();
        for (String n : uses.get(unit)) if (units.containsKey(n)) deps.add(n);
        return deps;
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

    /** Warns about units and parameters that cannot influence the objective. */
    void warnUnreachable(Expr objective, Map<String, SourcePos> parameters) {
        Set<String> reached = new HashSet<>();
        Deque<String> work = new ArrayDeque<>(namesIn(objective));
        reached.addAll(work);
        while (!work.isEmpty()) {
            Set<String> next = uses.get(work.pop());
            if (next == null) continue;
            for (String n : next) if (reached.add(n)) work.push(n);
        }
        int shown = 0;
        for (Unit u : units.values()) {
            if (!reached.contains(u.name()) && u.layer() == null && shown++ < SpecParser.MAX_ERRORS) {
                diagnostics.add(Diagnostic.warning(u.pos(), "unit '" + u.name() + "' does not affect the objective"));
            }
        }
        for (var p : parameters.entrySet()) {
            if (!reached.contains(p.getKey()) && shown++ < SpecParser.MAX_ERRORS) {
                diagnostics.add(Diagnostic.warning(p.getValue(),
                        "parameter '" + p.getKey() + "' does not affect the objective"));
            }
        }
    }
}
