package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import dev.netsym.model.Sign;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.expression.S;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IASTAppendable;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.IRational;
import org.matheclipse.core.interfaces.ISymbol;

/**
 * Converts model expressions to Symja expressions and back, with F.* only: never through
 * Symja's parser, which lower-cases names and turns D, N, E, I, Pi ... into built-ins.
 * Every user name gets its own dummy symbol with a mangled, numbered name, because
 * F.Dummy lower-cases too (W1 and w1 would otherwise merge into one symbol).
 * Not thread-safe: used only on the engine's own thread.
 */
final class SymbolicTranslator {

    /** Thrown for a Symja expression that has no model counterpart (Pi, complex numbers...). */
    static final class UntranslatableException extends RuntimeException {
        UntranslatableException(String message) { super(message); }
    }

    private final Map<String, ISymbol> variables = new HashMap<>();
    private final Map<String, ISymbol> functions = new HashMap<>();
    private final Map<ISymbol, String> namesBySymbol = new IdentityHashMap<>();
    private final Map<ISymbol, String> functionsBySymbol = new IdentityHashMap<>();
    private final Map<Builtin, ISymbol> opaque = new EnumMap<>(Builtin.class);
    private final Map<ISymbol, Builtin> opaqueBySymbol = new IdentityHashMap<>();

    ISymbol variable(String name) {
        return variables.computeIfAbsent(name, n -> {
            ISymbol s = F.Dummy("v" + namesBySymbol.size() + "$" + functionsBySymbol.size());
            namesBySymbol.put(s, n);
            return s;
        });
    }

    ISymbol functionSymbol(String name) { return function(name); }

    /** Whether the symbol stands for a user's activation function or an opaque builtin (and so may be a head). */
    boolean isOwnFunction(ISymbol symbol) {
        return functionsBySymbol.containsKey(symbol) || opaqueBySymbol.containsKey(symbol);
    }

    /**
     * The Symja head of a builtin Symja has no fitting function for: an undefined function of its
     * own, so that Symja differentiates it by the chain rule to Derivative(1)[f] (Derivative(1, 0)
     * and Derivative(0, 1) for max and min), which comes back as the builtin's own partial
     * ({@link Builtin#localPartial}). Symja's Abs, Max and Min leave their derivatives
     * unevaluated, and Erf's brings in Pi and Sqrt, which have no model form. What Symja proves of
     * such a head holds for every function, so for this one.
     */
    private ISymbol opaque(Builtin builtin) {
        return opaque.computeIfAbsent(builtin, b -> {
            ISymbol s = F.Dummy("b" + b.ordinal() + "$f");
            opaqueBySymbol.put(s, b);
            return s;
        });
    }

    private ISymbol function(String name) {
        return functions.computeIfAbsent(name, n -> {
            ISymbol s = F.Dummy("g" + namesBySymbol.size() + "$" + functionsBySymbol.size());
            functionsBySymbol.put(s, n);
            return s;
        });
    }

    /** A fresh variable no user name maps to, for temporary use in rules. */
    ISymbol freshVariable() {
        return variable("\u0000tmp" + variables.size());
    }

    // ---------------------------------------------------------------- model -> Symja

    IExpr toSymja(Expr e) {
        if (e instanceof Expr.Num n) return number(n.value());
        if (e instanceof Expr.Ref r) return variable(r.name());
        if (e instanceof Expr.Neg n) return F.Times(F.CN1, toSymja(n.operand()));
        if (e instanceof Expr.Sum s) return nary(S.Plus, s.terms());
        if (e instanceof Expr.Product p) return nary(S.Times, p.factors());
        if (e instanceof Expr.Quotient q) {
            return F.Times(toSymja(q.numerator()), F.Power(toSymja(q.denominator()), F.CN1));
        }
        if (e instanceof Expr.Power p) return F.Power(toSymja(p.base()), toSymja(p.exponent()));
        if (e instanceof Expr.Call c) return call(c);
        return derivative((Expr.DerivativeCall) e);
    }

    private static IExpr number(Rational r) {
        if (r.isInteger()) return F.ZZ(r.numerator());
        return F.QQ(F.ZZ(r.numerator()), F.ZZ(r.denominator()));
    }

    private IExpr nary(ISymbol head, List<Expr> args) {
        IASTAppendable ast = F.ast(head, args.size());
        for (Expr a : args) ast.append(toSymja(a));
        return ast;
    }

    private IExpr call(Expr.Call c) {
        var builtin = Builtin.byName(c.function());
        if (builtin.isEmpty()) {
            IASTAppendable ast = F.ast(function(c.function()), c.args().size());
            for (Expr a : c.args()) ast.append(toSymja(a));
            return ast;
        }
        IExpr z = toSymja(c.args().get(0));
        return switch (builtin.get()) {
            // Piecewise, not Max or Ramp: Symja differentiates it, and relu'(0) = 0 falls out.
            case RELU -> F.Piecewise(F.List(F.List(z, F.Greater(z, F.C0))), F.C0);
            case LEAKY_RELU -> F.Piecewise(F.List(F.List(z, F.Greater(z, F.C0))),
                    F.Times(toSymja(c.args().get(1)), z));
            case TANH -> F.Tanh(z);
            case SIGMOID -> F.LogisticSigmoid(z);
            case SOFTPLUS -> F.Log(F.Plus(F.C1, F.Exp(z)));
            case EXP -> F.Exp(z);
            case LOG -> F.Log(z);
            case ERF -> F.Erf(z);
            case SQRT, ABS, MAX, MIN, ELU, GELU, GELU_TANH, SILU -> {
                IASTAppendable ast = F.ast(opaque(builtin.get()), c.args().size());
                for (Expr a : c.args()) ast.append(toSymja(a));
                yield ast;
            }
        };
    }

    private IExpr derivative(Expr.DerivativeCall d) {
        IExpr z = toSymja(d.arg());
        if (Builtin.byName(d.function()).isEmpty()) {
            IAST derivativeHead = F.unaryAST1(F.Derivative(F.ZZ(d.order())), function(d.function()));
            return F.unaryAST1(derivativeHead, z);
        }
        if (d.function().equals("relu") && d.order() == 1) {
            return F.Piecewise(F.List(F.List(F.C1, F.Greater(z, F.C0))), F.C0);
        }
        // Other built-ins: differentiate at a fresh variable, then put the argument in.
        ISymbol t = freshVariable();
        IExpr body = toSymja(new Expr.Call(d.function(), List.of(new Expr.Ref(namesBySymbol.get(t)))));
        IExpr derived = body;
        for (int i = 0; i < d.order(); i++) derived = F.D(derived, t);
        return F.ReplaceAll(derived, F.Rule(t, z));
    }

    // ---------------------------------------------------------------- Symja -> model

    /**
     * How many calls {@link #toModel} has folded (see {@link #folded}) or replaced by a formula
     * since the count was last taken: their results are worth evaluating again.
     */
    private int folds;

    int takeFolds() {
        int n = folds;
        folds = 0;
        return n;
    }

    Expr toModel(IExpr e) {
        if (e.isRational()) {
            IRational r = (IRational) e;
            return num(Rational.of(r.toBigNumerator(), r.toBigDenominator()));
        }
        if (e.isSymbol()) {
            String name = namesBySymbol.get((ISymbol) e);
            if (name != null) return new Expr.Ref(name);
            if (e == S.E) return new Expr.Call("exp", List.of(Expr.Num.of(1)));
            throw new UntranslatableException("no model form for " + e);
        }
        if (!(e instanceof IAST ast)) throw new UntranslatableException("no model form for " + e);
        IExpr head = ast.head();
        if (head == S.Plus) {
            List<Expr> terms = new ArrayList<>();
            for (IExpr t : ast) terms.add(toModel(t));
            return new Expr.Sum(terms);
        }
        if (head == S.Times) return times(ast);
        if (head == S.Power) return power(ast.arg1(), ast.arg2());
        if (head == S.Tanh) return call("tanh", toModel(ast.arg1()));
        if (head == S.LogisticSigmoid) return call("sigmoid", toModel(ast.arg1()));
        if (head == S.Exp) return call("exp", toModel(ast.arg1()));
        if (head == S.Sech) return sechPower(ast.arg1(), 1);
        if (head == S.Cosh || head == S.Sinh) {
            Expr z = toModel(ast.arg1());
            Expr minus = call("exp", new Expr.Neg(z));
            Expr sum = new Expr.Sum(List.of(call("exp", z), head == S.Cosh ? minus : new Expr.Neg(minus)));
            return new Expr.Quotient(sum, Expr.Num.of(2));
        }
        if (head == S.Coth) return new Expr.Quotient(Expr.Num.of(1), call("tanh", toModel(ast.arg1())));
        if (head == S.Log) return log(ast.arg1());
        if (head == S.Piecewise) return piecewise(ast);
        if (head.isSymbol() && opaqueBySymbol.containsKey((ISymbol) head)) {
            List<Expr> args = new ArrayList<>();
            for (IExpr a : ast) args.add(toModel(a));
            Builtin builtin = opaqueBySymbol.get((ISymbol) head);
            Expr folded = folded(builtin, args, -1);
            return folded != null ? folded : new Expr.Call(builtin.specName(), args);
        }
        if (head instanceof IAST dHead && dHead.head() instanceof IAST dOrder && dOrder.head() == S.Derivative
                && dHead.argSize() == 1 && dHead.arg1().isSymbol() && opaqueBySymbol.containsKey((ISymbol) dHead.arg1())) {
            return opaqueDerivative(opaqueBySymbol.get((ISymbol) dHead.arg1()), dOrder, ast);
        }
        if (head.isSymbol() && functionsBySymbol.containsKey((ISymbol) head)) {
            List<Expr> args = new ArrayList<>();
            for (IExpr a : ast) args.add(toModel(a));
            return new Expr.Call(functionsBySymbol.get((ISymbol) head), args);
        }
        // Derivative(n)[f][z]: head is Derivative(n)[f], whose head is Derivative(n).
        if (head instanceof IAST dHead && dHead.head() instanceof IAST dOrder
                && dOrder.head() == S.Derivative && dOrder.argSize() == 1 && ast.argSize() == 1
                && dHead.argSize() == 1 && dHead.arg1().isSymbol()
                && functionsBySymbol.containsKey((ISymbol) dHead.arg1())) {
            int order = dOrder.arg1().toIntDefault();
            if (order > 0) {
                return new Expr.DerivativeCall(functionsBySymbol.get((ISymbol) dHead.arg1()), order,
                        toModel(ast.arg1()));
            }
        }
        throw new UntranslatableException("no model form for " + e);
    }

    /**
     * Derivative(n1, ..., nk)[f][args] for an opaque builtin f: a first partial is the builtin's
     * own (tanh-like forms where it has one, f′(z) otherwise); a higher derivative of a function
     * of one argument is f^(n)(z).
     */
    private Expr opaqueDerivative(Builtin builtin, IAST orders, IAST call) {
        if (orders.argSize() != call.argSize() || call.argSize() != builtin.arity()) {
            throw new UntranslatableException("no model form for " + call);
        }
        List<Expr> args = new ArrayList<>();
        for (IExpr a : call) args.add(toModel(a));
        int total = 0;
        int first = -1;
        for (int k = 0; k < orders.argSize(); k++) {
            int order = orders.get(k + 1).toIntDefault();
            if (order < 0) throw new UntranslatableException("no model form for " + call);
            total += order;
            if (order > 0 && first < 0) first = k;
        }
        if (total == 1) {
            Expr folded = folded(builtin, args, first);
            if (folded != null) return folded;
            Expr partial = builtin.localPartial(first, args, new Expr.Call(builtin.specName(), args));
            // A formula (1/(2·sqrt(z)), not sqrt′(z)) goes back to Symja once more, to be simplified in place.
            if (!(partial instanceof Expr.DerivativeCall)) folds++;
            return partial;
        }
        if (args.size() == 1 && total > 1) return new Expr.DerivativeCall(builtin.specName(), total, args.get(0));
        throw new UntranslatableException("no model form for " + call);
    }

    /**
     * The builtin's own simpler form of f(args) (partial &lt; 0) or of ∂f/∂(argument partial), from
     * what Symja's result shows of the arguments: which are numbers, and which are the same
     * expression. So abs′(0) is 0 and max(a·x, a·x) is a·x, as {@link Builtin#fold} says.
     */
    private Expr folded(Builtin builtin, List<Expr> args, int partial) {
        int n = args.size();
        int[] same = new int[n];
        Sign[] signs = new Sign[n];
        Rational[] constants = new Rational[n];
        for (int i = 0; i < n; i++) {
            same[i] = args.indexOf(args.get(i));
            Expr a = args.get(i);
            if (a instanceof Expr.Num num) constants[i] = num.value();
            if (a instanceof Expr.Neg neg && neg.operand() instanceof Expr.Num num) constants[i] = num.value().negate();
            signs[i] = constants[i] == null ? Sign.UNKNOWN : Sign.of(constants[i].signum());
        }
        Builtin.Fold fold = partial < 0 ? builtin.fold(same, signs, constants)
                : builtin.partialFold(partial, same, signs, constants);
        if (fold == null) return null;
        folds++;
        if (fold.constant() != null) return num(fold.constant());
        Expr argument = args.get(fold.argument());
        return fold.negated() ? new Expr.Neg(argument) : argument;
    }

    private static Expr num(Rational r) {
        return r.signum() < 0 ? new Expr.Neg(new Expr.Num(r.negate())) : new Expr.Num(r);
    }

    private static Expr call(String f, Expr arg) {
        return new Expr.Call(f, List.of(arg));
    }

    /** Splits a product into numerator and denominator so that x/2 prints as x/2, not x*(1/2). */
    private Expr times(IAST ast) {
        List<Expr> numerator = new ArrayList<>();
        List<Expr> denominator = new ArrayList<>();
        boolean negative = false;
        for (IExpr f : ast) {
            if (f.isRational()) {
                IRational r = (IRational) f;
                BigInteger n = r.toBigNumerator();
                if (n.signum() < 0) {
                    negative = !negative;
                    n = n.negate();
                }
                if (!n.equals(BigInteger.ONE)) numerator.add(new Expr.Num(Rational.of(n, BigInteger.ONE)));
                if (!r.toBigDenominator().equals(BigInteger.ONE)) {
                    denominator.add(new Expr.Num(Rational.of(r.toBigDenominator(), BigInteger.ONE)));
                }
            } else if (f.isPower() && f.exponent().isRational() && f.exponent().isNegative()
                    && f.base() != S.E) {
                denominator.add(power(f.base(), f.exponent().negate()));
            } else {
                numerator.add(toModel(f));
            }
        }
        Expr top = product(numerator);
        Expr result = denominator.isEmpty() ? top : new Expr.Quotient(top, product(denominator));
        return negative ? new Expr.Neg(result) : result;
    }

    private static Expr product(List<Expr> factors) {
        if (factors.isEmpty()) return Expr.Num.of(1);
        return factors.size() == 1 ? factors.get(0) : new Expr.Product(factors);
    }

    private Expr power(IExpr base, IExpr exponent) {
        if (exponent.isOne()) return toModel(base);
        if (base == S.E) return call("exp", toModel(exponent));
        if (exponent.isRational() && exponent.isNegative()) {
            return new Expr.Quotient(Expr.Num.of(1), power(base, exponent.negate()));
        }
        if (base.isAST(S.Sech, 2) && exponent.isInteger()) {
            return sechPower(((IAST) base).arg1(), exponent.toIntDefault());
        }
        return new Expr.Power(toModel(base), toModel(exponent));
    }

    /**
     * sech is not in the spec language; for real z, sech(z)^2 = 1 - tanh(z)^2 and
     * sech(z) > 0, so sech(z)^n = (1 - tanh(z)^2)^(n/2).
     */
    private Expr sechPower(IExpr z, int n) {
        Expr oneMinusTanhSquared = new Expr.Sum(List.of(Expr.Num.of(1),
                new Expr.Neg(new Expr.Power(call("tanh", toModel(z)), Expr.Num.of(2)))));
        if (n == 2) return oneMinusTanhSquared;
        return new Expr.Power(oneMinusTanhSquared, new Expr.Num(Rational.of(n, 2)));
    }

    /** log(1 + e^z) is softplus(z): recognised so results print the way the user wrote them. */
    private Expr log(IExpr arg) {
        if (arg.isPlus() && ((IAST) arg).argSize() == 2 && ((IAST) arg).arg1().isOne()) {
            IExpr second = ((IAST) arg).arg2();
            if (second.isPower() && second.base() == S.E) return call("softplus", toModel(second.exponent()));
        }
        return call("log", toModel(arg));
    }

    /**
     * Piecewise({{v, z > 0}}, d) is relu(z), leaky_relu(z, s) or relu'(z) when it has their
     * shape, and otherwise d + (v - d)·relu'(z), which is exact because relu'(z) is the
     * indicator of z > 0 (with relu'(0) = 0).
     */
    private Expr piecewise(IAST ast) {
        if (ast.argSize() != 2 || !ast.arg1().isList() || ((IAST) ast.arg1()).argSize() != 1) {
            throw new UntranslatableException("no model form for " + ast);
        }
        IAST pair = (IAST) ((IAST) ast.arg1()).arg1();
        IExpr value = pair.arg1();
        IExpr condition = pair.arg2();
        IExpr otherwise = ast.arg2();
        IExpr z;
        if (condition.isAST(S.Greater, 3) && ((IAST) condition).arg2().isZero()) {
            z = ((IAST) condition).arg1();
        } else if (condition.isAST(S.Less, 3) && ((IAST) condition).arg1().isZero()) {
            z = ((IAST) condition).arg2();
        } else if (condition.isAST(S.LessEqual, 3) && ((IAST) condition).arg2().isZero()) {
            z = ((IAST) condition).arg1();
            IExpr swap = value;
            value = otherwise;
            otherwise = swap;
        } else {
            throw new UntranslatableException("no model form for " + ast);
        }
        Expr zModel = toModel(z);
        if (value.equals(z) && otherwise.isZero()) return call("relu", zModel);
        if (value.isOne() && otherwise.isZero()) return new Expr.DerivativeCall("relu", 1, zModel);
        if (value.equals(z) && otherwise.isTimes() && ((IAST) otherwise).argSize() == 2
                && ((IAST) otherwise).arg2().equals(z) && ((IAST) otherwise).arg1().isRational()) {
            return new Expr.Call("leaky_relu", List.of(zModel, toModel(((IAST) otherwise).arg1())));
        }
        Expr step = new Expr.DerivativeCall("relu", 1, zModel);
        Expr jump = toModel(F.Subtract(value, otherwise).eval());
        Expr stepPart = new Expr.Product(List.of(jump, step));
        if (otherwise.isZero()) return stepPart;
        return new Expr.Sum(List.of(toModel(otherwise), stepPart));
    }
}
