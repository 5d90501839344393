package dev.netsym.model;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The functions the spec language knows: one constant per function, carrying everything about
 * it, so that a pass iterates this table or asks the function instead of switching on names.
 * Each function has
 * <ul>
 * <li>its name in specs, its arity and its one-line help;</li>
 * <li>how exactly it can be evaluated ({@link Exactness}): that decides whether a network can
 *     be evaluated modulo a prime, in exact rationals, or only in high-precision decimals;</li>
 * <li>its value and partial derivatives, written once over {@link Primitives} (field operations,
 *     the sign, exp, log, √, erfc), which every number system implements;</li>
 * <li>its local derivative as a model expression, as derive prints it;</li>
 * <li>the facts colour refinement may use ({@link #fold}, {@link #sign}, {@link #parity},
 *     {@link #commutative}, and the same for each partial derivative): each must hold for every
 *     real argument, since a colour is a proof.</li>
 * </ul>
 * Its computer-algebra form lives with the computer algebra, in {@code calculus}, in a switch
 * over this enum with no default, so that a new function cannot be missed there either.
 *
 * <p>Conventions at kinks follow PyTorch: relu′(0) = 0, leaky_relu′(0) = slope, abs′(0) = 0,
 * ∂max(a, b)/∂a = ∂max(a, b)/∂b = 1/2 where a = b (min alike), elu′(0) = 1.
 */
public enum Builtin {
    RELU("relu", 1, Exactness.PIECEWISE_RATIONAL, "relu(z)", "max(z, 0); relu'(0) = 0") {
        @Override public <T> T value(Primitives<T> r, T[] a) { return r.signum(a[0]) > 0 ? a[0] : r.zero(); }

        @Override public <T> T partial(Primitives<T> r, int k, T[] a) { return r.signum(a[0]) > 0 ? r.one() : r.zero(); }

        @Override public Expr localPartial(int k, List<Expr> args, Expr value) { return step(args.get(0)); }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) {
            if (signs[0].atMostZero()) return Fold.constant(Rational.ZERO);
            return constants[0] == null ? null : Fold.constant(constants[0]);
        }

        @Override
        public Sign sign(Sign[] signs) {
            return signs[0].atMostZero() ? Sign.ZERO : signs[0] == Sign.POSITIVE ? Sign.POSITIVE : Sign.NONNEGATIVE;
        }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            if (signs[0].atMostZero()) return Fold.constant(Rational.ZERO);
            return signs[0] == Sign.POSITIVE ? Fold.constant(Rational.ONE) : null;
        }

        @Override public Sign partialSign(int k, Sign[] signs) { return Sign.NONNEGATIVE; }

        @Override public boolean deadWhereNotPositive() { return true; }

        @Override
        public String derivativeNote() {
            return "relu'(z) is 1 for z > 0 and 0 for z ≤ 0, so relu'(0) = 0 (the convention of PyTorch and micrograd)";
        }

        @Override
        public String latexDerivativeNote() {
            return "$\\operatorname{relu}'(z) = \\begin{cases} 1 & z > 0, \\\\ 0 & z \\le 0 \\end{cases}$";
        }

        @Override public <T> T branchFreeValue(Primitives<T> r, T[] a) { return r.multiply(a[0], r.step(a[0])); }

        @Override public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) { return r.step(a[0]); }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    LEAKY_RELU("leaky_relu", 2, Exactness.PIECEWISE_RATIONAL, "leaky_relu(z, slope)",
            "z for z > 0, slope·z otherwise; ∂/∂z at 0 is the slope") {
        @Override
        public <T> T value(Primitives<T> r, T[] a) { return r.signum(a[0]) > 0 ? a[0] : r.multiply(a[1], a[0]); }

        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            boolean positive = r.signum(a[0]) > 0;
            if (k == 0) return positive ? r.one() : a[1];
            return positive ? r.zero() : a[0];
        }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            // z for z > 0, s·z otherwise: ∂/∂z = s + (1 − s)·relu′(z), ∂/∂s = z·(1 − relu′(z))
            Expr z = args.get(0);
            Expr slope = args.get(1);
            if (k == 1) return new Expr.Product(List.of(z, oneMinus(step(z))));
            return slope instanceof Expr.Num s
                    ? new Expr.Sum(List.of(slope, new Expr.Product(List.of(new Expr.Num(Rational.ONE.subtract(s.value())), step(z)))))
                    : new Expr.Sum(List.of(slope, new Expr.Product(List.of(oneMinus(slope), step(z)))));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) {
            Rational c = constants[0];
            Rational slope = constants[1];
            if (c != null && slope != null) return Fold.constant(c.signum() > 0 ? c : c.multiply(slope));
            return signs[0] == Sign.POSITIVE || signs[0] == Sign.NONNEGATIVE ? Fold.argument(0) : null;
        }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return k == 0 && signs[0] == Sign.POSITIVE ? Fold.constant(Rational.ONE) : null;
        }

        /** z·u + s·z·(1 − u) with u = step(z). */
        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) {
            T u = r.step(a[0]);
            return r.add(r.multiply(a[0], u), r.multiply(r.multiply(a[1], a[0]), r.subtract(r.one(), u)));
        }

        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) {
            T notPositive = r.subtract(r.one(), r.step(a[0]));
            return k == 0 ? r.add(r.step(a[0]), r.multiply(a[1], notPositive)) : r.multiply(a[0], notPositive);
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    TANH("tanh", 1, Exactness.TRANSCENDENTAL, "tanh(z)", "the hyperbolic tangent") {
        @Override
        public <T> T value(Primitives<T> r, T[] a) {
            T x = a[0];
            if (r.signum(x) == 0) return r.zero();
            T twiceAbs = r.multiply(abs(r, x), r.fromRational(TWO));
            T magnitude;
            if (r.signum(r.subtract(twiceAbs, r.fromRational(TWO))) < 0) {
                // tanh a = −u/(2 + u) with u = e^(−2a) − 1: no cancellation near 0.
                T u = r.expm1(r.negate(twiceAbs));
                magnitude = r.divide(r.negate(u), r.add(r.fromRational(TWO), u));
            } else {
                T t = r.exp(r.negate(twiceAbs));
                magnitude = r.divide(r.subtract(r.one(), t), r.add(r.one(), t));
            }
            return r.signum(x) < 0 ? r.negate(magnitude) : magnitude;
        }

        /** sech²(z) = 4t/(1 + t)² with t = e^(−2|z|): no cancellation when |z| is large. */
        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            T t = r.exp(r.negate(r.multiply(abs(r, a[0]), r.fromRational(TWO))));
            T onePlusT = r.add(r.one(), t);
            return r.divide(r.multiply(t, r.fromRational(Rational.of(4))), r.multiply(onePlusT, onePlusT));
        }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return oneMinus(new Expr.Power(value, Expr.Num.of(2)));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) { return atZero(constants, Rational.ZERO); }

        @Override public Sign sign(Sign[] signs) { return signs[0]; }

        @Override public Parity parity() { return Parity.ODD; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return atZero(constants, Rational.ONE);
        }

        @Override public Sign partialSign(int k, Sign[] signs) { return Sign.POSITIVE; }

        @Override public Parity partialParity(int k) { return Parity.EVEN; }

        @Override public Optional<String> latexOperator() { return Optional.of("\\tanh"); }

        /** 2σ(2z) − 1. */
        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) {
            T s = r.logistic(r.multiply(a[0], r.fromRational(TWO)));
            return r.subtract(r.multiply(s, r.fromRational(TWO)), r.one());
        }

        /** 1 − tanh² = 4σ(2z)(1 − σ(2z)). */
        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) {
            T s = r.logistic(r.multiply(a[0], r.fromRational(TWO)));
            return r.multiply(r.fromRational(Rational.of(4)), r.multiply(s, r.subtract(r.one(), s)));
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    SIGMOID("sigmoid", 1, Exactness.TRANSCENDENTAL, "sigmoid(z)", "1/(1 + e^-z)") {
        @Override
        public <T> T value(Primitives<T> r, T[] a) {
            T x = a[0];
            if (r.signum(x) >= 0) return r.divide(r.one(), r.add(r.one(), r.exp(r.negate(x))));
            T e = r.exp(x);
            return r.divide(e, r.add(r.one(), e));
        }

        /** σ′(z) = e/(1 + e)² with e = e^(−|z|), symmetric in z. */
        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            T e = r.exp(r.negate(abs(r, a[0])));
            T onePlusE = r.add(r.one(), e);
            return r.divide(e, r.multiply(onePlusE, onePlusE));
        }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.Product(List.of(value, oneMinus(value)));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) { return atZero(constants, Rational.of(1, 2)); }

        @Override public Sign sign(Sign[] signs) { return Sign.POSITIVE; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return atZero(constants, Rational.of(1, 4));
        }

        @Override public Sign partialSign(int k, Sign[] signs) { return Sign.POSITIVE; }

        @Override public Optional<String> latexOperator() { return Optional.of("\\sigma"); }

        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) { return r.logistic(a[0]); }

        /** σ(1 − σ). */
        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) {
            T s = r.logistic(a[0]);
            return r.multiply(s, r.subtract(r.one(), s));
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    SOFTPLUS("softplus", 1, Exactness.TRANSCENDENTAL, "softplus(z)", "log(1 + e^z)") {
        /** log(1 + e^x), written so that neither large nor very negative x loses digits. */
        @Override
        public <T> T value(Primitives<T> r, T[] a) {
            T x = a[0];
            if (r.signum(x) > 0) return r.add(x, r.log1p(r.exp(r.negate(x))));
            return r.log1p(r.exp(x));
        }

        @Override public <T> T partial(Primitives<T> r, int k, T[] a) { return SIGMOID.value(r, a); }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.Call(SIGMOID.specName(), List.of(args.get(0)));
        }

        @Override public Sign sign(Sign[] signs) { return Sign.POSITIVE; }

        @Override public Builtin partialIsValueOf(int k) { return SIGMOID; }

        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) { return r.log(r.add(r.one(), r.exp(a[0]))); }

        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) { return SIGMOID.branchFreeValue(r, a); }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    EXP("exp", 1, Exactness.TRANSCENDENTAL, "exp(z)", "e^z") {
        @Override public <T> T value(Primitives<T> r, T[] a) { return r.exp(a[0]); }

        @Override public <T> T partial(Primitives<T> r, int k, T[] a) { return r.exp(a[0]); }

        @Override public Expr localPartial(int k, List<Expr> args, Expr value) { return value; }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) { return atZero(constants, Rational.ONE); }

        @Override public Sign sign(Sign[] signs) { return Sign.POSITIVE; }

        @Override public Builtin partialIsValueOf(int k) { return EXP; }

        @Override public boolean definedEverywhere() { return false; }

        @Override public Optional<String> latexOperator() { return Optional.of("\\exp"); }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    LOG("log", 1, Exactness.TRANSCENDENTAL, "log(z)", "the natural logarithm, for z > 0") {
        @Override public <T> T value(Primitives<T> r, T[] a) { return r.log(a[0]); }

        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            if (r.signum(a[0]) <= 0) throw new ArithmeticException("log of non-positive " + a[0]);
            return r.divide(r.one(), a[0]);
        }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.Quotient(Expr.Num.of(1), args.get(0));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) {
            return constants[0] != null && constants[0].isOne() ? Fold.constant(Rational.ZERO) : null;
        }

        @Override public boolean definedEverywhere() { return false; }

        @Override public Optional<String> latexOperator() { return Optional.of("\\log"); }

        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) { return r.divide(r.one(), a[0]); }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    SQRT("sqrt", 1, Exactness.TRANSCENDENTAL, "sqrt(z)", "the square root, for z ≥ 0") {
        @Override public <T> T value(Primitives<T> r, T[] a) { return r.sqrt(a[0]); }

        /** 1/(2√z): no value at 0. */
        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            return r.divide(r.one(), r.multiply(r.fromRational(TWO), r.sqrt(a[0])));
        }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.Quotient(Expr.Num.of(1), new Expr.Product(List.of(Expr.Num.of(2), value)));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) {
            Rational root = constants[0] == null ? null : exactSqrt(constants[0]);
            return root == null ? null : Fold.constant(root);
        }

        @Override public Sign sign(Sign[] signs) { return signs[0] == Sign.POSITIVE ? Sign.POSITIVE : Sign.NONNEGATIVE; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            Rational root = constants[0] == null || constants[0].signum() <= 0 ? null : exactSqrt(constants[0]);
            return root == null ? null : Fold.constant(Rational.ONE.divide(root.multiply(TWO)));
        }

        @Override public Sign partialSign(int k, Sign[] signs) { return Sign.POSITIVE; }

        @Override public boolean definedEverywhere() { return false; }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    ABS("abs", 1, Exactness.PIECEWISE_RATIONAL, "abs(z)", "|z|; abs'(0) = 0") {
        @Override public <T> T value(Primitives<T> r, T[] a) { return abs(r, a[0]); }

        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            int s = r.signum(a[0]);
            return s > 0 ? r.one() : s < 0 ? r.negate(r.one()) : r.zero();
        }

        /** abs′(z): the sign of z, 0 at 0. */
        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.DerivativeCall(specName(), 1, args.get(0));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) {
            if (constants[0] != null) return Fold.constant(constants[0].signum() < 0 ? constants[0].negate() : constants[0]);
            if (signs[0].atLeastZero()) return Fold.argument(0);
            if (signs[0].atMostZero()) return Fold.negatedArgument(0);
            return null;
        }

        @Override public Sign sign(Sign[] signs) { return strict(signs[0]) ? Sign.POSITIVE : Sign.NONNEGATIVE; }

        @Override public Parity parity() { return Parity.EVEN; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            if (signs[0] == Sign.POSITIVE) return Fold.constant(Rational.ONE);
            if (signs[0] == Sign.NEGATIVE) return Fold.constant(Rational.of(-1));
            return atZero(constants, Rational.ZERO);
        }

        @Override public Sign partialSign(int k, Sign[] signs) { return signs[0]; }

        @Override public Parity partialParity(int k) { return Parity.ODD; }

        @Override public String derivativeNote() { return "abs'(z) is 1 for z > 0, −1 for z < 0 and 0 at 0"; }

        @Override
        public String latexDerivativeNote() {
            return "$\\operatorname{abs}'(z) = \\begin{cases} 1 & z > 0, \\\\ 0 & z = 0, \\\\ -1 & z < 0 \\end{cases}$";
        }

        @Override public <T> T branchFreeValue(Primitives<T> r, T[] a) { return r.multiply(a[0], r.sign(a[0])); }

        @Override public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) { return r.sign(a[0]); }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    MAX("max", 2, Exactness.PIECEWISE_RATIONAL, "max(a, b)", "the larger; at a = b each partial is 1/2") {
        @Override
        public <T> T value(Primitives<T> r, T[] a) { return r.compare(a[0], a[1]) < 0 ? a[1] : a[0]; }

        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) { return tieSplit(r, r.compare(a[k], a[1 - k])); }

        /** ∂max/∂a = (1 + abs′(a − b))/2, ∂max/∂b = (1 − abs′(a − b))/2. */
        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) { return halfStep(args, k == 0); }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) {
            if (colours[0] == colours[1]) return Fold.argument(0);
            if (constants[0] != null && constants[1] != null) {
                return Fold.constant(constants[0].compareTo(constants[1]) >= 0 ? constants[0] : constants[1]);
            }
            if (signs[0].atMostZero() && signs[1].atLeastZero()) return Fold.argument(1);
            if (signs[0].atLeastZero() && signs[1].atMostZero()) return Fold.argument(0);
            return null;
        }

        @Override public Sign sign(Sign[] signs) { return maxSign(signs[0], signs[1]); }

        @Override public boolean commutative() { return true; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return tieSplitFold(colours[k] == colours[1 - k], order(signs[k], signs[1 - k]),
                    constants[k] == null || constants[1 - k] == null ? null : constants[k].compareTo(constants[1 - k]));
        }

        @Override public Sign partialSign(int k, Sign[] signs) { return Sign.NONNEGATIVE; }

        @Override public Optional<String> latexOperator() { return Optional.of("\\max"); }

        /** b + (a − b)·h with h = halfStep(a − b); the partials h and 1 − h. */
        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) {
            T d = r.subtract(a[0], a[1]);
            return r.add(a[1], r.multiply(d, r.halfStep(d)));
        }

        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) {
            T h = r.halfStep(r.subtract(a[0], a[1]));
            return k == 0 ? h : r.subtract(r.one(), h);
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    MIN("min", 2, Exactness.PIECEWISE_RATIONAL, "min(a, b)", "the smaller; at a = b each partial is 1/2") {
        @Override
        public <T> T value(Primitives<T> r, T[] a) { return r.compare(a[0], a[1]) > 0 ? a[1] : a[0]; }

        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) { return tieSplit(r, -r.compare(a[k], a[1 - k])); }

        /** ∂min/∂a = (1 − abs′(a − b))/2, ∂min/∂b = (1 + abs′(a − b))/2. */
        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) { return halfStep(args, k == 1); }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) {
            if (colours[0] == colours[1]) return Fold.argument(0);
            if (constants[0] != null && constants[1] != null) {
                return Fold.constant(constants[0].compareTo(constants[1]) <= 0 ? constants[0] : constants[1]);
            }
            if (signs[0].atMostZero() && signs[1].atLeastZero()) return Fold.argument(0);
            if (signs[0].atLeastZero() && signs[1].atMostZero()) return Fold.argument(1);
            return null;
        }

        /** min(a, b) = −max(−a, −b). */
        @Override public Sign sign(Sign[] signs) { return maxSign(signs[0].negate(), signs[1].negate()).negate(); }

        @Override public boolean commutative() { return true; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return tieSplitFold(colours[k] == colours[1 - k], -order(signs[k], signs[1 - k]),
                    constants[k] == null || constants[1 - k] == null ? null : -constants[k].compareTo(constants[1 - k]));
        }

        @Override public Sign partialSign(int k, Sign[] signs) { return Sign.NONNEGATIVE; }

        @Override public Optional<String> latexOperator() { return Optional.of("\\min"); }

        /** a + (b − a)·h with h = halfStep(a − b); the partials 1 − h and h. */
        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) {
            T d = r.subtract(a[0], a[1]);
            return r.add(a[0], r.multiply(r.negate(d), r.halfStep(d)));
        }

        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) {
            T h = r.halfStep(r.subtract(a[0], a[1]));
            return k == 0 ? r.subtract(r.one(), h) : h;
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    ELU("elu", 1, Exactness.TRANSCENDENTAL, "elu(z)", "z for z > 0, e^z − 1 otherwise (α = 1); elu'(0) = 1") {
        @Override public <T> T value(Primitives<T> r, T[] a) { return r.signum(a[0]) > 0 ? a[0] : r.expm1(a[0]); }

        @Override public <T> T partial(Primitives<T> r, int k, T[] a) { return r.signum(a[0]) > 0 ? r.one() : r.exp(a[0]); }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.DerivativeCall(specName(), 1, args.get(0));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) {
            return signs[0].atLeastZero() ? Fold.argument(0) : null;
        }

        @Override public Sign sign(Sign[] signs) { return signs[0]; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return signs[0].atLeastZero() ? Fold.constant(Rational.ONE) : null;
        }

        @Override public Sign partialSign(int k, Sign[] signs) { return Sign.POSITIVE; }

        @Override public String derivativeNote() { return "elu'(z) is 1 for z > 0 and e^z for z ≤ 0"; }

        @Override
        public String latexDerivativeNote() {
            return "$\\operatorname{elu}'(z) = \\begin{cases} 1 & z > 0, \\\\ e^{z} & z \\le 0 \\end{cases}$";
        }

        /** u·z + (1 − u)·(e^z − 1) with u = step(z); the partial u + (1 − u)·e^z. */
        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) {
            T u = r.step(a[0]);
            return r.add(r.multiply(u, a[0]), r.multiply(r.subtract(r.one(), u), r.expm1(a[0])));
        }

        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) {
            T u = r.step(a[0]);
            return r.add(u, r.multiply(r.subtract(r.one(), u), r.exp(a[0])));
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    ERF("erf", 1, Exactness.TRANSCENDENTAL, "erf(z)", "the error function, (2/√π)·∫ from 0 to z of e^(−t²) dt") {
        /** 1 − erfc(z): accurate to the working precision in absolute terms, which is what a value near 0 needs here. */
        @Override public <T> T value(Primitives<T> r, T[] a) { return r.subtract(r.one(), r.erfc(a[0])); }

        /** (2/√π)·e^(−z²). */
        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            T z = a[0];
            return r.divide(r.multiply(r.fromRational(TWO), r.exp(r.negate(r.multiply(z, z)))), r.sqrt(r.pi()));
        }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.DerivativeCall(specName(), 1, args.get(0));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) { return atZero(constants, Rational.ZERO); }

        @Override public Sign sign(Sign[] signs) { return signs[0]; }

        @Override public Parity parity() { return Parity.ODD; }

        @Override public Sign partialSign(int k, Sign[] signs) { return Sign.POSITIVE; }

        @Override public Parity partialParity(int k) { return Parity.EVEN; }

        @Override
        public String derivativeNote() { return "erf'(z) is (2/√π)·e^(−z²)"; }

        @Override
        public String latexDerivativeNote() { return "$\\operatorname{erf}'(z) = \\tfrac{2}{\\sqrt{\\pi}}\\,e^{-z^2}$"; }

        @Override public Optional<String> latexOperator() { return Optional.of("\\operatorname{erf}"); }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    GELU("gelu", 1, Exactness.TRANSCENDENTAL, "gelu(z)", "z·Φ(z), Φ the standard normal distribution function") {
        /** z·Φ(z) with Φ(z) = erfc(−z/√2)/2, which keeps its digits in the left tail. */
        @Override
        public <T> T value(Primitives<T> r, T[] a) { return r.multiply(a[0], normalCdf(r, a[0])); }

        /** Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π). */
        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            T z = a[0];
            T density = r.divide(r.exp(r.negate(r.multiply(r.multiply(z, z), r.fromRational(HALF)))),
                    r.sqrt(r.multiply(r.fromRational(TWO), r.pi())));
            return r.add(normalCdf(r, z), r.multiply(z, density));
        }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.DerivativeCall(specName(), 1, args.get(0));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) { return atZero(constants, Rational.ZERO); }

        @Override public Sign sign(Sign[] signs) { return signs[0]; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return atZero(constants, HALF);
        }

        @Override
        public String derivativeNote() {
            return "gelu'(z) is Φ(z) + z·φ(z), Φ and φ the standard normal distribution function and density";
        }

        @Override
        public String latexDerivativeNote() {
            return "$\\operatorname{gelu}'(z) = \\Phi(z) + z\\,\\varphi(z)$, with $\\Phi$ and $\\varphi$ the standard normal"
                    + " distribution function and density";
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    GELU_TANH("gelu_tanh", 1, Exactness.TRANSCENDENTAL, "gelu_tanh(z)",
            "z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))/2, the tanh approximation of gelu") {
        /** z·σ(v) with v = 2√(2/π)·(z + 0.044715·z³): 1 + tanh(u) = 2σ(2u) keeps the left tail's digits. */
        @Override
        public <T> T value(Primitives<T> r, T[] a) { return r.multiply(a[0], SIGMOID.value(r, with(a, geluTanhArgument(r, a[0])))); }

        /** σ(v) + z·σ′(v)·v′, v′ = 2√(2/π)·(1 + 3·0.044715·z²). */
        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            T z = a[0];
            T v = geluTanhArgument(r, z);
            T slope = r.multiply(sqrtEightOverPi(r),
                    r.add(r.one(), r.multiply(r.fromRational(GELU_CUBIC.multiply(Rational.of(3))), r.multiply(z, z))));
            T[] at = with(a, v);
            return r.add(SIGMOID.value(r, at), r.multiply(z, r.multiply(SIGMOID.partial(r, 0, at), slope)));
        }

        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            return new Expr.DerivativeCall(specName(), 1, args.get(0));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) { return atZero(constants, Rational.ZERO); }

        @Override public Sign sign(Sign[] signs) { return signs[0]; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return atZero(constants, HALF);
        }

        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) {
            return r.multiply(a[0], SIGMOID.branchFreeValue(r, with(a, geluTanhArgument(r, a[0]))));
        }

        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) {
            T z = a[0];
            T slope = r.multiply(sqrtEightOverPi(r),
                    r.add(r.one(), r.multiply(r.fromRational(GELU_CUBIC.multiply(Rational.of(3))), r.multiply(z, z))));
            T[] at = with(a, geluTanhArgument(r, z));
            return r.add(SIGMOID.branchFreeValue(r, at), r.multiply(z, r.multiply(SIGMOID.branchFreePartial(r, 0, at), slope)));
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    },

    SILU("silu", 1, Exactness.TRANSCENDENTAL, "silu(z)", "z·sigmoid(z), also called swish") {
        @Override public <T> T value(Primitives<T> r, T[] a) { return r.multiply(a[0], SIGMOID.value(r, a)); }

        /** σ(z) + z·σ′(z). */
        @Override
        public <T> T partial(Primitives<T> r, int k, T[] a) {
            return r.add(SIGMOID.value(r, a), r.multiply(a[0], SIGMOID.partial(r, 0, a)));
        }

        /** σ(z)·(1 + z·(1 − σ(z))). */
        @Override
        public Expr localPartial(int k, List<Expr> args, Expr value) {
            Expr sigmoid = new Expr.Call(SIGMOID.specName(), List.of(args.get(0)));
            return new Expr.Product(List.of(sigmoid,
                    new Expr.Sum(List.of(Expr.Num.of(1), new Expr.Product(List.of(args.get(0), oneMinus(sigmoid)))))));
        }

        @Override
        public Fold fold(int[] colours, Sign[] signs, Rational[] constants) { return atZero(constants, Rational.ZERO); }

        @Override public Sign sign(Sign[] signs) { return signs[0]; }

        @Override
        public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) {
            return atZero(constants, HALF);
        }

        @Override
        public <T> T branchFreeValue(Primitives<T> r, T[] a) { return r.multiply(a[0], SIGMOID.branchFreeValue(r, a)); }

        @Override
        public <T> T branchFreePartial(Primitives<T> r, int k, T[] a) {
            return r.add(SIGMOID.branchFreeValue(r, a), r.multiply(a[0], SIGMOID.branchFreePartial(r, 0, a)));
        }

        @Override public boolean hasBranchFreeForm() { return true; }
    };

    /** How exactly a function's values can be computed, which decides the arithmetic a network needs. */
    public enum Exactness {
        /** A rational function of its arguments: field operations only, so modulo a prime as well. */
        RATIONAL,
        /** Rational pieces chosen by comparisons (relu, max): exact rationals, but no residues. */
        PIECEWISE_RATIONAL,
        /** Irrational at rational points: high-precision decimals or double-doubles only. */
        TRANSCENDENTAL
    }

    /** How f(−z) relates to f(z), for a function of one argument. */
    public enum Parity { NONE, ODD, EVEN }

    /**
     * A simpler form of a call that colour refinement may use: a constant, or one of the call's
     * arguments, possibly negated.
     */
    public record Fold(Rational constant, int argument, boolean negated) {
        public static Fold constant(Rational value) { return new Fold(value, -1, false); }

        public static Fold argument(int index) { return new Fold(null, index, false); }

        public static Fold negatedArgument(int index) { return new Fold(null, index, true); }
    }

    private static final Rational TWO = Rational.of(2);

    private final String specName;
    private final int arity;
    private final Exactness exactness;
    private final String signature;
    private final String help;

    Builtin(String specName, int arity, Exactness exactness, String signature, String help) {
        this.specName = specName;
        this.arity = arity;
        this.exactness = exactness;
        this.signature = signature;
        this.help = help;
    }

    public String specName() { return specName; }

    public int arity() { return arity; }

    public Exactness exactness() { return exactness; }

    /** How a spec calls it: relu(z), leaky_relu(z, slope). */
    public String signature() { return signature; }

    /** What it is, in one line for {@code netsym help spec}; empty where the name says it. */
    public String help() { return help; }

    public static Optional<Builtin> byName(String name) {
        return Arrays.stream(values()).filter(b -> b.specName.equals(name)).findFirst();
    }

    /** Every function's spec name, in table order. */
    public static List<String> specNames() {
        return Arrays.stream(values()).map(Builtin::specName).toList();
    }

    // ---- value and partial derivatives ---------------------------------------------------------

    /** The value at {@code args} (as many as the arity). */
    public abstract <T> T value(Primitives<T> r, T[] args);

    /** ∂f/∂(argument k) at {@code args}, with this table's conventions at kinks. */
    public abstract <T> T partial(Primitives<T> r, int k, T[] args);

    /**
     * Whether the function has a formula in e^x, σ, log, √, erfc, π and the pieces' indicators
     * ({@link Primitives#step}, {@link Primitives#halfStep}, {@link Primitives#sign}) with no
     * comparison anywhere: then {@link #branchFreeValue} and {@link #branchFreePartial} give it,
     * and an evaluation that treats each of those as an unknown of its own can follow it.
     */
    public boolean hasBranchFreeForm() { return false; }

    /**
     * The value by a formula without comparisons, equal to {@link #value} at every real
     * argument where both are defined ({@link #value} picks among such formulas for accuracy).
     */
    public <T> T branchFreeValue(Primitives<T> r, T[] args) {
        if (!hasBranchFreeForm()) throw new UnsupportedOperationException(specName + " has pieces");
        return value(r, args);
    }

    /** {@link #partial} by a formula without comparisons, as {@link #branchFreeValue}. */
    public <T> T branchFreePartial(Primitives<T> r, int k, T[] args) {
        if (!hasBranchFreeForm()) throw new UnsupportedOperationException(specName + " has pieces");
        return partial(r, k, args);
    }

    /**
     * ∂f/∂(argument k) as derive writes it, in the call's arguments; {@code value} stands for the
     * call itself (the unit's name where the call is the unit's whole definition: 1 − h²).
     */
    public abstract Expr localPartial(int k, List<Expr> args, Expr value);

    // ---- facts for colour refinement -----------------------------------------------------------
    // colours: equal numbers are arguments known to be equal; signs: what is known of each
    // argument's sign; constants: each argument's value where it is a known number, else null.

    /** A simpler form of f at such arguments, or null. */
    public Fold fold(int[] colours, Sign[] signs, Rational[] constants) { return null; }

    /** What is known of f's sign at arguments of these signs (consulted where {@link #fold} gave none). */
    public Sign sign(Sign[] signs) { return Sign.UNKNOWN; }

    /** f(−z) = −f(z) (odd) or f(z) (even), for a function of one argument. */
    public Parity parity() { return Parity.NONE; }

    /** f(a, b) = f(b, a), so that also ∂f/∂b at (a, b) is ∂f/∂a at (b, a). */
    public boolean commutative() { return false; }

    /** A function whose value is ∂f/∂(argument k) (exp for exp, σ for softplus), or null. */
    public Builtin partialIsValueOf(int k) { return null; }

    /** A simpler form of ∂f/∂(argument k) at such arguments, or null. */
    public Fold partialFold(int k, int[] colours, Sign[] signs, Rational[] constants) { return null; }

    public Sign partialSign(int k, Sign[] signs) { return Sign.UNKNOWN; }

    public Parity partialParity(int k) { return Parity.NONE; }

    // ---- other facts ---------------------------------------------------------------------------

    /**
     * Whether f and its derivative have a value at every real argument (exp can overflow, log
     * needs a positive argument): a network of such functions needs no check that it is defined.
     */
    public boolean definedEverywhere() { return true; }

    /** f(z) = 0 and f′(z) = 0 wherever z ≤ 0 (relu): sign facts make such a unit dead. */
    public boolean deadWhereNotPositive() { return false; }

    /**
     * What f′ is, where derive writes it as f′(z) and the reader needs its definition (relu′ at
     * its kink): one sentence, "'" standing for the prime; null where the name says it all.
     */
    public String derivativeNote() { return null; }

    /** The same for the LaTeX document, math in $…$; null for none. */
    public String latexDerivativeNote() { return null; }

    /** The standard LaTeX operator (\tanh), where there is one; otherwise \operatorname{name}. */
    public Optional<String> latexOperator() { return Optional.empty(); }

    // ---- helpers -------------------------------------------------------------------------------

    /** relu′(z): the step, 1 for z > 0 and 0 for z ≤ 0. */
    static Expr step(Expr z) { return new Expr.DerivativeCall(RELU.specName, 1, z); }

    static Expr oneMinus(Expr e) { return new Expr.Sum(List.of(Expr.Num.of(1), new Expr.Neg(e))); }

    static <T> T abs(Primitives<T> r, T x) { return r.signum(x) < 0 ? r.negate(x) : x; }

    /** The constant {@code value} where the only argument is the constant 0. */
    static Fold atZero(Rational[] constants, Rational value) {
        return constants[0] != null && constants[0].isZero() ? Fold.constant(value) : null;
    }

    private static final Rational HALF = Rational.of(1, 2);
    /** The cubic coefficient of the tanh approximation of gelu. */
    private static final Rational GELU_CUBIC = Rational.of(44715, 1_000_000);

    /** Φ(z) = erfc(−z/√2)/2, accurate relative to its value also in the left tail. */
    static <T> T normalCdf(Primitives<T> r, T z) {
        T scaled = r.multiply(z, r.sqrt(r.fromRational(HALF)));
        return r.multiply(r.erfc(r.negate(scaled)), r.fromRational(HALF));
    }

    /** 2√(2/π) = √(8/π). */
    static <T> T sqrtEightOverPi(Primitives<T> r) { return r.sqrt(r.divide(r.fromRational(Rational.of(8)), r.pi())); }

    /** v = 2√(2/π)·(z + 0.044715·z³), so that gelu_tanh(z) = z·σ(v). */
    static <T> T geluTanhArgument(Primitives<T> r, T z) {
        T cube = r.multiply(z, r.multiply(z, z));
        return r.multiply(sqrtEightOverPi(r), r.add(z, r.multiply(r.fromRational(GELU_CUBIC), cube)));
    }

    /** A copy of the one-element argument array holding v instead. */
    static <T> T[] with(T[] args, T v) {
        T[] copy = args.clone();
        copy[0] = v;
        return copy;
    }

    static boolean strict(Sign s) { return s == Sign.POSITIVE || s == Sign.NEGATIVE; }

    /** The sign of max(a, b) from the signs of a and b. */
    static Sign maxSign(Sign a, Sign b) {
        if (a == Sign.POSITIVE || b == Sign.POSITIVE) return Sign.POSITIVE;
        if (a.atMostZero() && b.atMostZero()) {
            if (a == Sign.NEGATIVE && b == Sign.NEGATIVE) return Sign.NEGATIVE;
            return a == Sign.ZERO || b == Sign.ZERO ? Sign.ZERO : Sign.NONPOSITIVE;
        }
        return a.atLeastZero() || b.atLeastZero() ? Sign.NONNEGATIVE : Sign.UNKNOWN;
    }

    /** 1 where a > b surely, −1 where a &lt; b surely, 0 where the signs do not tell. */
    static int order(Sign a, Sign b) {
        if ((a == Sign.POSITIVE && b.atMostZero()) || (a.atLeastZero() && b == Sign.NEGATIVE)) return 1;
        if ((a == Sign.NEGATIVE && b.atLeastZero()) || (a.atMostZero() && b == Sign.POSITIVE)) return -1;
        return 0;
    }

    /** 1, 0 or 1/2 as the argument is the larger, the smaller, or tied (max; min with the order reversed). */
    static <T> T tieSplit(Primitives<T> r, int order) {
        return order > 0 ? r.one() : order < 0 ? r.zero() : r.fromRational(HALF);
    }

    /** The same as a fold: a tie where the arguments are one colour, else the order the signs or constants tell. */
    static Fold tieSplitFold(boolean tied, int order, Integer constantOrder) {
        if (tied) return Fold.constant(HALF);
        int known = constantOrder != null ? Integer.signum(constantOrder) : order;
        if (constantOrder == null && order == 0) return null;
        return Fold.constant(known > 0 ? Rational.ONE : known < 0 ? Rational.ZERO : HALF);
    }

    /** (1 + abs′(a − b))/2 or (1 − abs′(a − b))/2: a partial of max or min. */
    static Expr halfStep(List<Expr> args, boolean plus) {
        Expr sign = new Expr.DerivativeCall(ABS.specName, 1, new Expr.Sum(List.of(args.get(0), new Expr.Neg(args.get(1)))));
        return new Expr.Quotient(new Expr.Sum(List.of(Expr.Num.of(1), plus ? sign : new Expr.Neg(sign))), Expr.Num.of(2));
    }

    /** √c where it is rational, else null. */
    static Rational exactSqrt(Rational c) {
        if (c.signum() < 0) return null;
        BigInteger n = c.numerator().sqrt();
        BigInteger d = c.denominator().sqrt();
        if (!n.multiply(n).equals(c.numerator()) || !d.multiply(d).equals(c.denominator())) return null;
        return Rational.of(n, d);
    }
}
