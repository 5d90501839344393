package dev.netsym.proof;

import dev.netsym.calculus.Tape;
import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;
import dev.netsym.model.Sign;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Colour refinement on the computation graph: a structural proof that values are equal.
 *
 * <p>Every node gets a forward colour such that two nodes of one colour compute the same
 * function on the subspace (same operation over children of the same colours, with
 * commutative operations compared as multisets, constants folded, and a relu whose argument
 * is provably ≤ 0 folded to 0). Every node then gets a backward colour such that two nodes of
 * one colour have the same adjoint ∂objective/∂node: the multiset of (parent's adjoint
 * colour, local partial derivative's colour) pairs. Both follow by induction over the graph,
 * so two parameters with one backward colour have identical gradients on the subspace, for
 * every activation function; a parameter whose backward colour is that of zero has gradient 0.
 * The converse does not hold: different colours prove nothing, which is why the proof engine
 * only uses this to certify, never to separate. One pass each way: O(nodes + edges).
 */
final class StructuralColouring {
    /**
     * What a leaf of the graph is on the subspace: a known number, or an opaque symbol times a
     * non-zero coefficient (−c for a member that holds its class's negative, 2·a for init 2*a).
     */
    record Leaf(Rational value, String symbol, Sign sign, Rational scale) {
        static Leaf number(Rational value) { return new Leaf(value, null, Sign.of(value.signum()), Rational.ONE); }

        static Leaf symbol(String symbol, Sign sign) { return new Leaf(null, symbol, sign, Rational.ONE); }

        Leaf scaled(Rational by) { return new Leaf(value, symbol, sign, scale.multiply(by)); }
    }

    private record Key(String tag, Object extra, int[] colours) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.tag.equals(tag) && Objects.equals(k.extra, extra)
                    && Arrays.equals(k.colours, colours);
        }

        @Override
        public int hashCode() {
            return (tag.hashCode() * 31 + Objects.hashCode(extra)) * 31 + Arrays.hashCode(colours);
        }
    }

    private final Map<Key, Integer> interned = new HashMap<>();
    private final List<Key> keyOfColour = new ArrayList<>();
    /**
     * With members that hold their class's negative, colours must see signs: −(−x) = x,
     * tanh(−z) = −tanh(z), (−z)² = z², a product's signs gathered in its coefficient, and a sum
     * and its negation told apart canonically. Off otherwise, so that unsigned proofs colour
     * exactly as before and big networks pay nothing for it.
     */
    private final boolean signAware;
    private final Map<Integer, Integer> negationOf = new HashMap<>();
    private final List<Rational> constantOfColour = new ArrayList<>();
    private final List<Sign> signOfColour = new ArrayList<>();
    private final int zero;
    private final int one;

    private final Tape tape;
    private final int[] forward;
    private final int[] backward;

    /**
     * @param data one leaf per data value (inputs then targets)
     * @param parameters one leaf per parameter: a class symbol, or its pinned value
     */
    StructuralColouring(Tape tape, Leaf[] data, Leaf[] parameters) {
        this.tape = tape;
        boolean negative = false;
        for (Leaf l : parameters) negative |= l.value() == null && l.scale().signum() < 0;
        this.signAware = negative;
        this.zero = constant(Rational.ZERO);
        this.one = constant(Rational.ONE);
        int n = tape.nodeCount();
        forward = new int[n];
        for (int node = 0; node < n; node++) forward[node] = forwardColour(node, data, parameters);
        backward = backwardColours();
    }

    /** The backward colour of each parameter: equal colours prove equal gradients. */
    int gradientColour(int parameterIndex) {
        return backward[tape.parameterNode(parameterIndex)];
    }

    /** The colour of s·g for the parameter's gradient g: equal colours prove s_i·g_i = s_j·g_j. */
    int signedGradientColour(int parameterIndex, boolean negated) {
        int g = gradientColour(parameterIndex);
        return negated ? negate(g) : g;
    }

    /** Equal colours: the two nodes compute the same function on the subspace. */
    int forwardColour(int node) {
        return forward[node];
    }

    /** Whether the parameter's gradient is provably 0 on the subspace. */
    boolean gradientIsZero(int parameterIndex) {
        return gradientColour(parameterIndex) == zero;
    }

    // ---- forward --------------------------------------------------------------------------

    private int forwardColour(int node, Leaf[] data, Leaf[] parameters) {
        int count = tape.childCount(node);
        switch (tape.operation(node)) {
            case DATA: return leaf(data[tape.leafIndex(node)], "data" + tape.leafIndex(node));
            case PARAMETER: return leaf(parameters[tape.leafIndex(node)], "param" + tape.leafIndex(node));
            case CONSTANT: return constant(tape.constant(node));
            case SUM: return sum(childColours(node, count));
            case PRODUCT: return product(childColours(node, count));
            case NEGATE: return product(new int[] {constant(Rational.of(-1)), forward[tape.child(node, 0)]});
            case QUOTIENT: {
                int a = forward[tape.child(node, 0)];
                int b = forward[tape.child(node, 1)];
                if (a == zero && b != zero) return zero;
                Rational ca = constantOfColour.get(a);
                Rational cb = constantOfColour.get(b);
                if (ca != null && cb != null && !cb.isZero()) return constant(ca.divide(cb));
                Sign s = signOfColour.get(a).times(signOfColour.get(b));
                return intern("quotient", null, new int[] {a, b}, s);
            }
            case INTEGER_POWER: return power(forward[tape.child(node, 0)], tape.exponent(node));
            case REAL_POWER:
                return intern("real_power", null, childColours(node, count), Sign.UNKNOWN);
            case BUILTIN: return builtin(tape.builtin(node), childColours(node, count));
            case GENERIC:
                return intern("generic", tape.activationName(node) + "'" + tape.derivativeOrder(node),
                        childColours(node, count), Sign.UNKNOWN);
            default: throw new IllegalStateException("unknown operation");
        }
    }

    private int leaf(Leaf leaf, String fallback) {
        if (leaf.value() != null) return constant(leaf.value());
        int symbol = intern("symbol", leaf.symbol() == null ? fallback : leaf.symbol(), new int[0], leaf.sign());
        return leaf.scale().isOne() ? symbol : product(new int[] {constant(leaf.scale()), symbol});
    }

    private int negate(int colour) {
        Integer known = negationOf.get(colour);
        if (known != null) return known;
        int negative = product(new int[] {constant(Rational.of(-1)), colour});
        negationOf.put(colour, negative);
        negationOf.put(negative, colour);
        return negative;
    }

    /** Of z and −z, the one interned first: f(z) for an odd or even f is then written over it. */
    private boolean preferNegation(int colour) {
        return signAware && constantOfColour.get(colour) == null && negate(colour) < colour;
    }

    private int[] childColours(int node, int count) {
        int[] c = new int[count];
        for (int k = 0; k < count; k++) c[k] = forward[tape.child(node, k)];
        return c;
    }

    private int constant(Rational value) {
        return intern("constant", value, new int[0], Sign.of(value.signum()));
    }

    private int intern(String tag, Object extra, int[] colours, Sign sign) {
        Key key = new Key(tag, extra, colours);
        Integer existing = interned.get(key);
        if (existing != null) return existing;
        int colour = constantOfColour.size();
        interned.put(key, colour);
        keyOfColour.add(key);
        constantOfColour.add(tag.equals("constant") ? (Rational) extra : null);
        signOfColour.add(sign);
        return colour;
    }

    /** A sum as a multiset of its non-constant terms plus one folded constant. */
    private int sum(int[] terms) {
        Rational constantPart = Rational.ZERO;
        int[] rest = new int[terms.length];
        int n = 0;
        Sign sign = Sign.ZERO;
        for (int t : terms) {
            Rational c = constantOfColour.get(t);
            if (c != null) constantPart = constantPart.add(c);
            else rest[n++] = t;
            sign = sign.plus(signOfColour.get(t));
        }
        if (n == 0) return constant(constantPart);
        if (n == 1 && constantPart.isZero()) return rest[0];
        int[] key = Arrays.copyOf(rest, n);
        Arrays.sort(key);
        return intern("sum", constantPart, key, sign);
    }

    /** A product as a multiset of its non-constant factors times one folded coefficient. */
    private int product(int[] factors) {
        Rational coefficient = Rational.ONE;
        int[] rest = new int[factors.length];
        int n = 0;
        Sign sign = Sign.POSITIVE;
        for (int f : factors) {
            Rational c = constantOfColour.get(f);
            sign = sign.times(signOfColour.get(f));
            if (c != null) {
                coefficient = coefficient.multiply(c);
                continue;
            }
            if (signAware) {
                // Signs and scales of factors gather in the one coefficient: (−x)·y = −(x·y).
                Key k = keyOfColour.get(f);
                if (k.tag().equals("product") && !((Rational) k.extra()).isOne()) {
                    coefficient = coefficient.multiply((Rational) k.extra());
                    f = k.colours().length == 1 ? k.colours()[0] : intern("product", Rational.ONE, k.colours(),
                            Sign.UNKNOWN);
                }
                if (keyOfColour.get(f).tag().equals("sum") && negatedSum(f) < f) {
                    coefficient = coefficient.negate();
                    f = negatedSum(f);
                }
            }
            rest[n++] = f;
        }
        if (coefficient.isZero()) return zero;
        if (n == 0) return constant(coefficient);
        if (n == 1 && coefficient.isOne()) return rest[0];
        if (signAware && n == 1 && coefficient.negate().isOne() && keyOfColour.get(rest[0]).tag().equals("sum")) {
            return negatedSum(rest[0]);
        }
        int[] key = Arrays.copyOf(rest, n);
        Arrays.sort(key);
        return intern("product", coefficient, key, sign);
    }

    /** −(k + Σ t) as the sum −k + Σ (−t), interned once per sum. */
    private int negatedSum(int sum) {
        Integer known = negationOf.get(sum);
        if (known != null) return known;
        Key k = keyOfColour.get(sum);
        int[] terms = k.colours();
        int[] negatedTerms = new int[terms.length + 1];
        for (int i = 0; i < terms.length; i++) negatedTerms[i] = negate(terms[i]);
        negatedTerms[terms.length] = constant(((Rational) k.extra()).negate());
        int negative = sum(negatedTerms);
        negationOf.put(sum, negative);
        negationOf.put(negative, sum);
        return negative;
    }

    private int power(int base, int exponent) {
        if (exponent == 0) return one;
        if (exponent == 1) return base;
        if (preferNegation(base)) {
            int p = power(negate(base), exponent);
            return exponent % 2 == 0 ? p : negate(p);
        }
        Rational c = constantOfColour.get(base);
        if (c != null && (exponent > 0 || !c.isZero())) return constant(c.pow(exponent));
        if (base == zero && exponent > 0) return zero;
        Sign s = signOfColour.get(base);
        Sign sign = exponent % 2 == 0 ? (s == Sign.POSITIVE || s == Sign.NEGATIVE ? Sign.POSITIVE : Sign.NONNEGATIVE)
                : s;
        return intern("power", exponent, new int[] {base}, sign);
    }

    /** The colour of f(args): the function's own facts ({@link Builtin#fold}, parity, sign) decide. */
    private int builtin(Builtin f, int[] args) {
        Sign[] signs = signsOf(args);
        Builtin.Fold fold = f.fold(args, signs, constantsOf(args));
        if (fold != null) return folded(fold, args);
        if (args.length == 1 && f.parity() != Builtin.Parity.NONE && preferNegation(args[0])) {
            int mirrored = builtin(f, new int[] {negate(args[0])});
            return f.parity() == Builtin.Parity.ODD ? negate(mirrored) : mirrored;
        }
        int[] key = args;
        if (f.commutative()) {
            key = args.clone();
            Arrays.sort(key);
        }
        return intern(f.specName(), null, key, f.sign(signs));
    }

    /** The colour of ∂f/∂(argument k) at arguments of the given colours. */
    private int builtinPartial(Builtin f, int k, int[] args) {
        Builtin value = f.partialIsValueOf(k);
        if (value != null) return builtin(value, args);
        Sign[] signs = signsOf(args);
        Builtin.Fold fold = f.partialFold(k, args, signs, constantsOf(args));
        if (fold != null) return folded(fold, args);
        Builtin.Parity parity = f.partialParity(k);
        if (args.length == 1 && parity != Builtin.Parity.NONE && preferNegation(args[0])) {
            int mirrored = builtinPartial(f, k, new int[] {negate(args[0])});
            return parity == Builtin.Parity.ODD ? negate(mirrored) : mirrored;
        }
        // f(a, b) = f(b, a): ∂f/∂b at (a, b) is ∂f/∂a at (b, a).
        if (f.commutative()) return intern(f.specName() + "'0", null, new int[] {args[k], args[1 - k]}, f.partialSign(k, signs));
        return intern(f.specName() + "'" + k, null, args, f.partialSign(k, signs));
    }

    private int folded(Builtin.Fold fold, int[] args) {
        if (fold.constant() != null) return constant(fold.constant());
        int argument = args[fold.argument()];
        return fold.negated() ? negate(argument) : argument;
    }

    private Sign[] signsOf(int[] colours) {
        Sign[] signs = new Sign[colours.length];
        for (int i = 0; i < colours.length; i++) signs[i] = signOfColour.get(colours[i]);
        return signs;
    }

    private Rational[] constantsOf(int[] colours) {
        Rational[] constants = new Rational[colours.length];
        for (int i = 0; i < colours.length; i++) constants[i] = constantOfColour.get(colours[i]);
        return constants;
    }

    // ---- backward -------------------------------------------------------------------------

    private int[] backwardColours() {
        int n = tape.nodeCount();
        // Contributions are gathered per child as (parent adjoint colour, partial colour) pairs;
        // most nodes get one, kept in a flat array, and only the others get an array of their own.
        long[] firstPair = new long[n];
        long[][] pairs = new long[n][];
        int[] pairCount = new int[n];
        int[] back = new int[n];
        Arrays.fill(back, zero);
        int root = tape.objectiveNode();
        back[root] = one;
        for (int node = root; node >= 0; node--) {
            if (node != root) back[node] = contributionsColour(firstPair[node], pairs[node], pairCount[node]);
            pairs[node] = null;
            if (back[node] == zero) continue;
            int count = tape.childCount(node);
            for (int k = 0; k < count; k++) {
                int partial = localPartial(node, k, count);
                if (partial == zero) continue;
                int child = tape.child(node, k);
                long pair = ((long) back[node] << 32) | (partial & 0xFFFFFFFFL);
                if (pairCount[child] == 0) {
                    firstPair[child] = pair;
                } else {
                    if (pairs[child] == null) {
                        pairs[child] = new long[4];
                        pairs[child][0] = firstPair[child];
                    } else if (pairCount[child] == pairs[child].length) {
                        pairs[child] = Arrays.copyOf(pairs[child], pairCount[child] * 2);
                    }
                    pairs[child][pairCount[child]] = pair;
                }
                pairCount[child]++;
            }
        }
        return back;
    }

    private int contributionsColour(long firstPair, long[] pairs, int count) {
        if (count == 0) return zero;
        if (signAware) {
            // The adjoint as the sum of adjoint·partial products, so that signs cancel where they should.
            int[] terms = new int[count];
            for (int i = 0; i < count; i++) {
                long pair = count == 1 ? firstPair : pairs[i];
                terms[i] = product(new int[] {(int) (pair >>> 32), (int) pair});
            }
            return sum(terms);
        }
        if (count == 1) {
            // A lone (1, partial) contribution is the partial itself.
            int adjoint = (int) (firstPair >>> 32);
            int partial = (int) firstPair;
            if (adjoint == one) return partial;
            if (partial == one) return adjoint;
            return intern("adjoint", null, new int[] {adjoint, partial}, Sign.UNKNOWN);
        }
        long[] sorted = Arrays.copyOf(pairs, count);
        Arrays.sort(sorted);
        int[] flat = new int[count * 2];
        for (int i = 0; i < count; i++) {
            flat[2 * i] = (int) (sorted[i] >>> 32);
            flat[2 * i + 1] = (int) sorted[i];
        }
        // Otherwise an opaque sum of products.
        return intern("adjoint", null, flat, Sign.UNKNOWN);
    }

    private int localPartial(int node, int k, int count) {
        switch (tape.operation(node)) {
            case SUM: return one;
            case NEGATE: return constant(Rational.of(-1));
            case PRODUCT: {
                int[] others = new int[count - 1];
                for (int j = 0, m = 0; j < count; j++) if (j != k) others[m++] = forward[tape.child(node, j)];
                return product(others);
            }
            case QUOTIENT: {
                int a = forward[tape.child(node, 0)];
                int b = forward[tape.child(node, 1)];
                if (k == 0) return intern("reciprocal", null, new int[] {b}, Sign.UNKNOWN);
                if (a == zero) return zero;
                return intern("quotient'", null, new int[] {a, b}, Sign.UNKNOWN);
            }
            case INTEGER_POWER: {
                int e = tape.exponent(node);
                if (e == 0) return zero;
                int base = forward[tape.child(node, 0)];
                return product(new int[] {constant(Rational.of(e)), power(base, e - 1)});
            }
            case REAL_POWER: return intern("real_power'" + k, null, childColours(node, count), Sign.UNKNOWN);
            case BUILTIN: return builtinPartial(tape.builtin(node), k, childColours(node, count));
            case GENERIC:
                return intern("generic", tape.activationName(node) + "'" + (tape.derivativeOrder(node) + 1),
                        childColours(node, count), Sign.UNKNOWN);
            default: return zero;
        }
    }
}
