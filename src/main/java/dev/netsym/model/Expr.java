package dev.netsym.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An expression of the spec language, as written by the user or produced by the calculus.
 * Sums and products are n-ary so that a unit summing thousands of terms stays a flat list
 * (no deep recursion when it is walked). Subtraction is a sum with a negated term.
 */
public sealed interface Expr {

    /** The direct subexpressions, so that walks need no test for every kind of node. */
    default List<Expr> children() {
        if (this instanceof Neg n) return List.of(n.operand());
        if (this instanceof Sum s) return s.terms();
        if (this instanceof Product p) return p.factors();
        if (this instanceof Quotient q) return List.of(q.numerator(), q.denominator());
        if (this instanceof Power p) return List.of(p.base(), p.exponent());
        if (this instanceof Call c) return c.args();
        if (this instanceof DerivativeCall d) return List.of(d.arg());
        return List.of();
    }

    /**
     * Whether no child has children of its own (a name, a number, or a product w·x): walks
     * that remember shared objects pass over these, which cost less to visit again than to remember.
     */
    default boolean isFlat() {
        // Indexed, not for-each: every walk asks this of every node, and an iterator is an allocation.
        List<Expr> children = children();
        for (int i = 0, n = children.size(); i < n; i++) if (!children.get(i).children().isEmpty()) return false;
        return true;
    }

    /**
     * Folds an expression bottom-up, without recursion: {@code combine} gets each operation and
     * a lookup of its children's results, once per object however many parents share it
     * ({@code memo} keeps the results, and may be shared by several calls); {@code flat} gives
     * the result of a name, a number or a flat operation, which are not remembered.
     */
    static <V> V fold(Expr root, Map<Expr, V> memo, Function<Expr, V> flat,
                      BiFunction<Expr, Function<Expr, V>, V> combine) {
        Function<Expr, V> resultOf = e -> e.isFlat() ? flat.apply(e) : memo.get(e);
        Deque<Expr> todo = new ArrayDeque<>();
        if (!root.isFlat()) todo.push(root);
        while (!todo.isEmpty()) {
            Expr e = todo.peek();
            if (memo.containsKey(e)) {
                todo.pop();
                continue;
            }
            boolean ready = true;
            for (Expr child : e.children()) {
                if (!child.isFlat() && !memo.containsKey(child)) {
                    todo.push(child);
                    ready = false;
                }
            }
            if (!ready) continue;
            todo.pop();
            memo.put(e, combine.apply(e, resultOf));
        }
        return resultOf.apply(root);
    }

    /** Every name in the map replaced by its expression, all at once (not one after another). */
    default Expr replaceNames(java.util.Map<String, Expr> replacements) {
        if (replacements.isEmpty()) return this;
        if (this instanceof Ref r) return replacements.getOrDefault(r.name(), this);
        List<Expr> children = children();
        if (children.isEmpty()) return this;
        return withChildren(children.stream().map(c -> c.replaceNames(replacements)).toList());
    }

    /** The same node over new children (in the order of {@link #children()}). */
    default Expr withChildren(List<Expr> children) {
        if (this instanceof Neg) return new Neg(children.get(0));
        if (this instanceof Sum) return new Sum(children);
        if (this instanceof Product) return new Product(children);
        if (this instanceof Quotient) return new Quotient(children.get(0), children.get(1));
        if (this instanceof Power) return new Power(children.get(0), children.get(1));
        if (this instanceof Call c) return new Call(c.function(), children);
        if (this instanceof DerivativeCall d) return new DerivativeCall(d.function(), d.order(), children.get(0));
        return this;
    }

    /** An exact rational constant. */
    record Num(Rational value) implements Expr {
        public static Num of(long n) { return new Num(Rational.of(n)); }
    }

    /** A name: input, target, unit, parameter, or a symbolic initial value. */
    record Ref(String name) implements Expr {}

    record Neg(Expr operand) implements Expr {}

    record Sum(List<Expr> terms) implements Expr {
        public Sum { terms = List.copyOf(terms); }
    }

    record Product(List<Expr> factors) implements Expr {
        public Product { factors = List.copyOf(factors); }
    }

    record Quotient(Expr numerator, Expr denominator) implements Expr {}

    record Power(Expr base, Expr exponent) implements Expr {}

    /** A built-in function ({@link Builtin}), a declared generic activation, or its derivative. */
    record Call(String function, List<Expr> args) implements Expr {
        public Call { args = List.copyOf(args); }
    }

    /**
     * The derivative of a declared generic activation, f'(z): kept symbolic so results hold
     * for every such function.
     */
    record DerivativeCall(String function, int order, Expr arg) implements Expr {}
}
