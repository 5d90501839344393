package dev.netsym.calculus;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.expression.S;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IASTAppendable;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.IRational;
import org.matheclipse.core.interfaces.ISymbol;

/**
 * Rewrites an expression into a rational function of the symbols and of "atoms": exponentials
 * e^(d·r) and logarithms log|f|, so that identities between elementary functions become
 * identities between rational functions, which Together decides.
 *
 * <p>The rewriting uses only identities that hold for real arguments wherever the expression
 * is defined: tanh, σ, sech, cosh, sinh, coth and csch in terms of e^z; e^(a+b) = e^a·e^b;
 * e^(k·a) = (e^a)^k; log(e^t) = t; and, because the spec's log is the real one (defined only
 * for a positive argument), log(∏ f_i^k_i) = Σ k_i·log|f_i| (the product is positive, so
 * every f_i is non-zero) and e^(c·log|f|) = |f|^c.
 *
 * <p>Each exponent is expanded and split into rational multiples c·r of its terms r (a
 * monomial in the symbols, or a more complex term); for each r the atom is e^(d·r), d the gcd
 * of the c that occur, so every exponential becomes an integer power of an atom.
 *
 * <p>Soundness of ZERO: replacing atoms by fresh variables and back is a substitution, a ring
 * homomorphism; a rational function that is 0 as such is therefore 0 at every point where
 * the expression is defined, whatever relations hold between the atoms. Independence of the
 * atoms matters only for the converse (for not missing identities): the exponent terms r are
 * Q-linearly independent modulo constants when they are distinct monomials, and then the
 * atoms e^(d·r) are algebraically independent over the rational functions (Ax's theorem,
 * the functional Lindemann–Weierstrass), so exp-polynomial identities are not missed.
 *
 * <p>Runs on the engine's thread; {@code eval} is the engine's guarded evaluator. One
 * instance per expression.
 */
final class ExpLogForm {

    /** The certificate's sentence for a ZERO found this way (the class comment, briefly). */
    static final String ARGUMENT = "with tanh, σ, softplus and sech written as exponentials, e^(a+b) = e^a·e^b, "
            + "e^(k·a) = (e^a)^k and the log of a positive product as the sum of the logs of its factors' "
            + "absolute values, it is a rational function of the parameters, inputs and the exponentials and "
            + "logarithms in it, and that rational function is 0; so it is 0 wherever it is defined";

    /** The rational function, and the atoms it is a function of (for the certificate). */
    record Result(IExpr rational, List<IExpr> exponentials, List<IExpr> logarithms) {}

    private final UnaryOperator<IExpr> eval;
    /** Exponent term r → placeholder standing for e^r; its meaning is e^r with inner placeholders spelled out. */
    private final Map<IExpr, ISymbol> exponentPlaceholders = new LinkedHashMap<>();
    private final Map<ISymbol, IExpr> placeholderTerm = new IdentityHashMap<>();
    private final Map<ISymbol, IRational> placeholderGcd = new IdentityHashMap<>();
    /** f (normalised up to sign) → atom standing for log|f|. */
    private final Map<IExpr, ISymbol> logAtoms = new LinkedHashMap<>();
    private final Map<ISymbol, IExpr> logAtomShown = new LinkedHashMap<>();
    /** f (normalised up to sign) → atom standing for |f|, for f not known to be positive. */
    private final Map<IExpr, ISymbol> absAtoms = new LinkedHashMap<>();

    private int freshCount;

    ExpLogForm(UnaryOperator<IExpr> eval) { this.eval = eval; }

    /**
     * A new symbol with a name of its own: Factor and Together convert to polynomials by
     * symbol name, so two dummies of one name would become one variable (and could "cancel").
     * The translator's names all contain '$'; these never do.
     */
    private ISymbol fresh(String kind) { return F.Dummy("xx" + kind + (++freshCount)); }

    /** The rational function equal to e wherever e is defined. */
    Result rewrite(IExpr e) {
        IExpr withPlaceholders = atomize(e);
        Map<ISymbol, ISymbol> atomOf = new IdentityHashMap<>();
        for (ISymbol placeholder : exponentPlaceholders.values()) atomOf.put(placeholder, fresh("x"));
        IExpr rational = toAtoms(withPlaceholders, atomOf);
        List<IExpr> exponentials = new ArrayList<>();
        for (ISymbol placeholder : exponentPlaceholders.values()) {
            exponentials.add(F.Power(S.E, F.Times(placeholderGcd.get(placeholder), meaning(placeholderTerm.get(placeholder)))));
        }
        List<IExpr> logarithms = new ArrayList<>();
        for (IExpr f : logAtomShown.values()) logarithms.add(F.Log(meaning(f)));
        return new Result(rational, exponentials, logarithms);
    }

    // ---------------------------------------------------------------- elementary functions → e^t, log

    private IExpr atomize(IExpr x) {
        if (x == S.E) return exp(F.C1);
        if (!(x instanceof IAST ast)) return x;
        IExpr head = ast.head();
        if (ast.argSize() == 1) {
            IExpr z = head == S.Log || head == S.Tanh || head == S.LogisticSigmoid || head == S.Sech
                    || head == S.Cosh || head == S.Sinh || head == S.Coth || head == S.Csch || head == S.Exp
                    ? atomize(ast.arg1()) : null;
            if (head == S.Exp) return exp(z);
            if (head == S.Log) return log(z);
            if (head == S.LogisticSigmoid) return F.Power(F.Plus(F.C1, exp(F.Negate(z))), F.CN1);
            if (head == S.Tanh) return quotient(F.Plus(exp(F.Times(F.C2, z)), F.CN1), F.Plus(exp(F.Times(F.C2, z)), F.C1));
            if (head == S.Coth) return quotient(F.Plus(exp(F.Times(F.C2, z)), F.C1), F.Plus(exp(F.Times(F.C2, z)), F.CN1));
            if (head == S.Sech) return quotient(F.C2, F.Plus(exp(z), exp(F.Negate(z))));
            if (head == S.Csch) return quotient(F.C2, F.Plus(exp(z), F.Negate(exp(F.Negate(z)))));
            if (head == S.Cosh) return F.Times(F.C1D2, F.Plus(exp(z), exp(F.Negate(z))));
            if (head == S.Sinh) return F.Times(F.C1D2, F.Plus(exp(z), F.Negate(exp(F.Negate(z)))));
        }
        if (head == S.Power && ast.arg1() == S.E) return exp(atomize(ast.arg2()));
        // Everything else (sums, products, powers, Piecewise, generic activations): the same
        // node over rewritten arguments; the head of Derivative(n)[f] stays as it is.
        IASTAppendable copy = F.ast(head, ast.argSize());
        for (IExpr arg : ast) copy.append(atomize(arg));
        return copy;
    }

    private static IExpr quotient(IExpr numerator, IExpr denominator) {
        return F.Times(numerator, F.Power(denominator, F.CN1));
    }

    /** e^t as a product of placeholder powers: each term c·r of the expanded t gives (e^r)^c. */
    private IExpr exp(IExpr t) {
        IExpr expanded = eval.apply(F.Expand(t));
        IASTAppendable product = F.TimesAlloc(4);
        for (IExpr term : expanded.isPlus() ? (IAST) expanded : F.List(expanded)) {
            IRational c = F.C1;
            IExpr r = term;
            if (term.isRational()) {
                c = (IRational) term;
                r = F.C1;
            } else if (term.isTimes() && ((IAST) term).arg1().isRational()) {
                c = (IRational) ((IAST) term).arg1();
                IAST rest = ((IAST) term).rest();
                r = rest.argSize() == 1 ? rest.arg1() : rest;
            }
            if (c.isZero()) continue;
            ISymbol logOf = logAtomSymbol(r);
            if (logOf != null) {
                product.append(F.Power(absoluteValue(keyOf(logAtoms, logOf)), c)); // e^(c·log|f|) = |f|^c
            } else {
                product.append(F.Power(placeholder(r, c), c));
            }
        }
        if (product.argSize() == 0) return F.C1;
        return product.argSize() == 1 ? product.arg1() : product;
    }

    private ISymbol placeholder(IExpr r, IRational c) {
        ISymbol p = exponentPlaceholders.computeIfAbsent(r, k -> {
            ISymbol s = fresh("e");
            placeholderTerm.put(s, k);
            return s;
        });
        placeholderGcd.merge(p, c.abs(), ExpLogForm::gcd);
        return p;
    }

    /** gcd(a/b, c/d) = gcd(a·d, c·b) / (b·d), the largest rational with both as integer multiples. */
    private static IRational gcd(IRational x, IRational y) {
        BigInteger b = x.toBigDenominator();
        BigInteger d = y.toBigDenominator();
        BigInteger numerator = x.toBigNumerator().multiply(d).gcd(y.toBigNumerator().multiply(b));
        return F.QQ(F.ZZ(numerator), F.ZZ(b.multiply(d)));
    }

    /** log u for u > 0: Σ k·log|f| over the factors f^k of u, with log(e^(c·r)) = c·r. */
    private IExpr log(IExpr u) {
        IExpr together = eval.apply(F.Together(u));
        IASTAppendable sum = F.PlusAlloc(4);
        addLogOfFactors(eval.apply(F.Numerator(together)), 1, sum);
        addLogOfFactors(eval.apply(F.Denominator(together)), -1, sum);
        if (sum.argSize() == 0) return F.C0;
        return sum.argSize() == 1 ? sum.arg1() : sum;
    }

    private void addLogOfFactors(IExpr polynomial, int sign, IASTAppendable sum) {
        if (polynomial.isOne()) return;
        IExpr factored = polynomial;
        try {
            factored = eval.apply(F.Factor(polynomial));
        } catch (RuntimeException unfactorable) {
            // log of the whole polynomial is still right: it is one factor.
        }
        for (IExpr factor : factored.isTimes() ? (IAST) factored : F.List(factored)) {
            IExpr base = factor;
            IRational k = F.C1;
            if (factor.isPower() && factor.exponent().isRational() && !isPlaceholderPower(factor)) {
                base = factor.base();
                k = (IRational) factor.exponent();
            }
            IRational multiplicity = sign < 0 ? k.negate() : k;
            if (base.isRational()) {
                IRational r = (IRational) base;
                addLogOfInteger(r.toBigNumerator().abs(), multiplicity, sum);
                addLogOfInteger(r.toBigDenominator(), multiplicity.negate(), sum);
            } else if (isPlaceholderPower(base)) {
                // log((e^r)^c) = c·r
                ISymbol p = (ISymbol) (base.isSymbol() ? base : base.base());
                IExpr c = base.isSymbol() ? F.C1 : base.exponent();
                sum.append(F.Times(multiplicity, c, placeholderTerm.get(p)));
            } else {
                sum.append(F.Times(multiplicity, logAtom(base)));
            }
        }
    }

    /** Trial division this far; what remains unfactored is an atom of its own (still exact). */
    private static final int TRIAL_DIVISION_LIMIT = 10_000;

    /** log n = Σ k·log p over n's prime factors p^k, so that log 6 = log 2 + log 3. */
    private void addLogOfInteger(BigInteger n, IRational multiplicity, IASTAppendable sum) {
        BigInteger rest = n;
        for (int p = 2; p <= TRIAL_DIVISION_LIMIT && rest.compareTo(BigInteger.ONE) > 0; p++) {
            BigInteger prime = BigInteger.valueOf(p);
            int k = 0;
            while (rest.mod(prime).signum() == 0) {
                rest = rest.divide(prime);
                k++;
            }
            if (k > 0) sum.append(F.Times(multiplicity, F.ZZ(k), logAtom(F.ZZ(prime))));
        }
        if (rest.compareTo(BigInteger.ONE) > 0) sum.append(F.Times(multiplicity, logAtom(F.ZZ(rest))));
    }

    private boolean isPlaceholderPower(IExpr x) {
        if (x.isSymbol()) return placeholderTerm.containsKey(x);
        return x.isPower() && x.base().isSymbol() && placeholderTerm.containsKey(x.base()) && x.exponent().isRational();
    }

    private ISymbol logAtom(IExpr f) {
        ISymbol atom = logAtoms.computeIfAbsent(upToSign(f), k -> fresh("l"));
        logAtomShown.putIfAbsent(atom, f); // as Factor gave it: 1 + e^z rather than −1 − e^z
        return atom;
    }

    private ISymbol logAtomSymbol(IExpr r) {
        return r.isSymbol() && logAtoms.containsValue(r) ? (ISymbol) r : null;
    }

    /** |f|: f itself when it is visibly positive, otherwise an atom of its own. */
    private IExpr absoluteValue(IExpr f) {
        if (isVisiblyPositive(f)) return f;
        return absAtoms.computeIfAbsent(upToSign(f), k -> fresh("a"));
    }

    /** f or −f, whichever expands to the smaller form: log|f| and |f| do not see the sign. */
    private IExpr upToSign(IExpr f) {
        IExpr plus = eval.apply(F.Expand(f));
        IExpr minus = eval.apply(F.Expand(F.Negate(f)));
        return plus.compareTo(minus) <= 0 ? plus : minus;
    }

    /** A positive number, exponential or absolute value, or a sum of products of those. */
    private boolean isVisiblyPositive(IExpr f) {
        IExpr expanded = eval.apply(F.Expand(f));
        for (IExpr term : expanded.isPlus() ? (IAST) expanded : F.List(expanded)) {
            for (IExpr factor : term.isTimes() ? (IAST) term : F.List(term)) {
                boolean positive = factor.isRational() ? ((IRational) factor).isPositive()
                        : isPlaceholderPower(factor) || absAtoms.containsValue(factor)
                        || (factor.isPower() && absAtoms.containsValue(factor.base()));
                if (!positive) return false;
            }
        }
        return true;
    }

    private static <K> K keyOf(Map<K, ISymbol> map, ISymbol value) {
        for (Map.Entry<K, ISymbol> entry : map.entrySet()) if (entry.getValue() == value) return entry.getKey();
        throw new IllegalStateException("no key for " + value);
    }

    // ---------------------------------------------------------------- placeholders → atoms

    /** Each placeholder (e^r) becomes atom^(1/d), so that every (e^r)^c is atom^(c/d), c/d an integer. */
    private IExpr toAtoms(IExpr x, Map<ISymbol, ISymbol> atomOf) {
        if (x.isSymbol() && atomOf.containsKey(x)) return atomPower((ISymbol) x, F.C1, atomOf);
        if (!(x instanceof IAST ast)) return x;
        if (isPlaceholderPower(x) && x.isPower()) {
            return atomPower((ISymbol) x.base(), (IRational) x.exponent(), atomOf);
        }
        IASTAppendable copy = F.ast(ast.head(), ast.argSize());
        for (IExpr arg : ast) copy.append(toAtoms(arg, atomOf));
        return copy;
    }

    private IExpr atomPower(ISymbol placeholder, IRational c, Map<ISymbol, ISymbol> atomOf) {
        return F.Power(atomOf.get(placeholder), c.divideBy(placeholderGcd.get(placeholder)));
    }

    /** An expression with placeholders spelled out as the exponentials they stand for. */
    private IExpr meaning(IExpr x) {
        if (x.isSymbol() && placeholderTerm.containsKey(x)) return F.Power(S.E, meaning(placeholderTerm.get(x)));
        if (!(x instanceof IAST ast)) return x;
        IASTAppendable copy = F.ast(ast.head(), ast.argSize());
        for (IExpr arg : ast) copy.append(meaning(arg));
        return copy;
    }
}
