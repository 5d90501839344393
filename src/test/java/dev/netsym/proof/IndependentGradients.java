package dev.netsym.proof;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Unit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A second opinion on a network's gradients, written without any of the engine's calculus:
 * forward-mode differentiation straight over the model's expression trees, in exact rationals
 * where the network is rational and in high-precision decimals (with this class's own
 * elementary functions) otherwise. It also runs plain full-batch gradient descent, so that
 * witnesses can be replayed.
 *
 * <p>Declared generic activations get a concrete stand-in of our own choosing,
 * f(z) = e^(c·z) + z/3 − z²/5 with c depending on the activation's rank among the declared
 * names: smooth, not polynomial, not odd, with no derivative identically 0, so an equality
 * claimed "for every activation" must hold for it.
 */
final class IndependentGradients<T> {
    /** Digits of the decimal arithmetic; comparisons allow far less than these digits of noise. */
    static final int DIGITS = 70;

    /** Thrown where the network has no value (a vanishing denominator, the log of a non-positive number). */
    static final class UndefinedPoint extends RuntimeException {
        UndefinedPoint(String message) { super(message); }
    }

    private final Network network;
    private final Numbers<T> numbers;
    private final List<String> parameterNames;
    private final Map<String, Integer> parameterIndex = new HashMap<>();
    private final Map<String, Rational> activationRates = new HashMap<>();

    private IndependentGradients(Network network, Numbers<T> numbers) {
        this.network = network;
        this.numbers = numbers;
        this.parameterNames = network.parameters().stream().map(Parameter::name).toList();
        for (int i = 0; i < parameterNames.size(); i++) parameterIndex.put(parameterNames.get(i), i);
        int rank = 0;
        for (String f : new TreeSet<>(network.activations())) {
            activationRates.put(f, Rational.of(rank + 2, 2 * rank + 5)); // 2/5, 3/7, 4/9, ...
            rank++;
        }
    }

    /** Exact rationals when the network allows them, else {@value #DIGITS}-digit decimals. */
    static IndependentGradients<?> forNetwork(Network network) {
        return isRational(network) ? exact(network) : decimal(network);
    }

    static IndependentGradients<Rational> exact(Network network) {
        return new IndependentGradients<>(network, new ExactNumbers());
    }

    static IndependentGradients<BigDecimal> decimal(Network network) {
        return decimal(network, DIGITS);
    }

    static IndependentGradients<BigDecimal> decimal(Network network, int digits) {
        return new IndependentGradients<>(network, new DecimalNumbers(new MathContext(digits)));
    }

    Numbers<T> numbers() { return numbers; }

    List<String> parameterNames() { return parameterNames; }

    /** Piecewise rational functions: exact in rationals (leaky_relu only with a constant slope). */
    private static final java.util.Set<String> PIECEWISE_RATIONAL = java.util.Set.of("relu", "abs", "max", "min");

    /** Whether only + − × ÷, constant integer powers, relu, abs, max, min and leaky_relu with constant slope occur. */
    static boolean isRational(Network network) {
        List<Expr> roots = new ArrayList<>();
        roots.add(network.objective());
        for (Unit u : network.units()) roots.add(u.definition());
        List<Expr> pending = new ArrayList<>(roots);
        while (!pending.isEmpty()) {
            Expr e = pending.remove(pending.size() - 1);
            if (e instanceof Expr.Power p && integerExponent(p).isEmpty()) return false;
            if (e instanceof Expr.Call c && !PIECEWISE_RATIONAL.contains(c.function())
                    && !(c.function().equals("leaky_relu") && constant(c.args().get(1)).isPresent())) return false;
            if (e instanceof Expr.DerivativeCall d && !d.function().equals("relu")) return false;
            pending.addAll(e.children());
        }
        return true;
    }

    /** The objective and its gradient at one point. */
    record Evaluation<T>(T objective, Map<String, T> gradient) {}

    /**
     * The objective and every ∂objective/∂θ, for parameter values and one data sample (every
     * input and target by name).
     */
    Evaluation<T> evaluate(Map<String, T> parameters, Map<String, T> sample) {
        int n = parameterNames.size();
        Map<String, Dual<T>> env = new HashMap<>();
        for (String name : parameterNames) {
            T v = parameters.get(name);
            if (v == null) throw new IllegalArgumentException("no value for parameter " + name);
            env.put(name, Dual.variable(numbers, v, n, parameterIndex.get(name)));
        }
        for (String name : dataNames()) {
            T v = sample.get(name);
            if (v == null) throw new IllegalArgumentException("no value for input or target " + name);
            env.put(name, Dual.constant(numbers, v, n));
        }
        // Units come in an order where each follows every unit it uses.
        for (Unit u : network.units()) env.put(u.name(), eval(u.definition(), env));
        Dual<T> objective = eval(network.objective(), env);
        Map<String, T> gradient = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) gradient.put(parameterNames.get(i), objective.partials[i]);
        return new Evaluation<>(objective.value, gradient);
    }

    List<String> dataNames() {
        List<String> names = new ArrayList<>(network.inputs());
        names.addAll(network.targets());
        return names;
    }

    /**
     * Plain full-batch gradient descent, θ ← θ − η·Σ_samples ∂objective/∂θ; element 0 of the
     * result is the start, element k the values after k steps.
     */
    List<Map<String, T>> descend(Map<String, T> start, List<Map<String, T>> samples, T learningRate, int steps) {
        return descend(start, samples, learningRate, steps, Rational.ZERO);
    }

    /**
     * The same with weight decay λθ added to each gradient and each parameter at its own learning
     * rate (the network's, from the spec's lr lines).
     */
    List<Map<String, T>> descend(Map<String, T> start, List<Map<String, T>> samples, T learningRate, int steps,
                                 Rational decay) {
        T lambda = numbers.of(decay);
        Map<String, T> rates = new HashMap<>();
        for (Parameter p : network.parameters()) rates.put(p.name(), numbers.multiply(learningRate, numbers.of(p.learningRate())));
        List<Map<String, T>> trajectory = new ArrayList<>();
        Map<String, T> current = new LinkedHashMap<>(start);
        trajectory.add(current);
        for (int step = 0; step < steps; step++) {
            Map<String, T> total = new HashMap<>();
            for (Map<String, T> sample : samples) {
                evaluate(current, sample).gradient().forEach((p, g) -> total.merge(p, g, numbers::add));
            }
            Map<String, T> next = new LinkedHashMap<>();
            for (String p : parameterNames) {
                T g = numbers.add(total.get(p), numbers.multiply(lambda, current.get(p)));
                next.put(p, numbers.subtract(current.get(p), numbers.multiply(rates.get(p), g)));
            }
            trajectory.add(next);
            current = next;
        }
        return trajectory;
    }

    // ---- forward mode over the expression tree ----------------------------------------------

    /** A value with its partial derivatives by every parameter. */
    private static final class Dual<T> {
        final T value;
        final T[] partials;

        Dual(T value, T[] partials) {
            this.value = value;
            this.partials = partials;
        }

        static <T> Dual<T> constant(Numbers<T> k, T value, int n) {
            T[] d = k.newArray(n);
            java.util.Arrays.fill(d, k.zero());
            return new Dual<>(value, d);
        }

        static <T> Dual<T> variable(Numbers<T> k, T value, int n, int index) {
            Dual<T> d = constant(k, value, n);
            d.partials[index] = k.one();
            return d;
        }
    }

    private Dual<T> eval(Expr e, Map<String, Dual<T>> env) {
        int n = parameterNames.size();
        if (e instanceof Expr.Num num) return Dual.constant(numbers, numbers.of(num.value()), n);
        if (e instanceof Expr.Ref r) {
            Dual<T> v = env.get(r.name());
            if (v == null) throw new IllegalStateException("unknown name '" + r.name() + "'");
            return v;
        }
        if (e instanceof Expr.Neg neg) return scale(eval(neg.operand(), env), numbers.of(Rational.of(-1)), null);
        if (e instanceof Expr.Sum s) {
            Dual<T> total = Dual.constant(numbers, numbers.zero(), n);
            for (Expr term : s.terms()) total = add(total, eval(term, env));
            return total;
        }
        if (e instanceof Expr.Product p) {
            Dual<T> product = Dual.constant(numbers, numbers.one(), n);
            for (Expr factor : p.factors()) product = multiply(product, eval(factor, env));
            return product;
        }
        if (e instanceof Expr.Quotient q) {
            Dual<T> num = eval(q.numerator(), env);
            Dual<T> den = eval(q.denominator(), env);
            if (numbers.signum(den.value) == 0) throw new UndefinedPoint("division by zero");
            return multiply(num, reciprocal(den));
        }
        if (e instanceof Expr.Power p) return power(p, env);
        if (e instanceof Expr.Call c) return call(c, env);
        if (e instanceof Expr.DerivativeCall d) {
            Dual<T> z = eval(d.arg(), env);
            if (d.function().equals("relu") && d.order() == 1) {
                // The step function: its own derivative is 0 wherever it is used (relu'(0) = 0).
                return Dual.constant(numbers, numbers.signum(z.value) > 0 ? numbers.one() : numbers.zero(), n);
            }
            return generic(d.function(), d.order(), z);
        }
        throw new IllegalStateException("cannot evaluate " + e.getClass().getSimpleName() + ": " + e);
    }

    private Dual<T> add(Dual<T> a, Dual<T> b) {
        T[] d = numbers.newArray(a.partials.length);
        for (int i = 0; i < d.length; i++) d[i] = numbers.add(a.partials[i], b.partials[i]);
        return new Dual<>(numbers.add(a.value, b.value), d);
    }

    private Dual<T> multiply(Dual<T> a, Dual<T> b) {
        T[] d = numbers.newArray(a.partials.length);
        for (int i = 0; i < d.length; i++) {
            d[i] = numbers.add(numbers.multiply(a.partials[i], b.value), numbers.multiply(a.value, b.partials[i]));
        }
        return new Dual<>(numbers.multiply(a.value, b.value), d);
    }

    /** g(a) given g(a.value) and g'(a.value): the chain rule for a function of one argument. */
    private Dual<T> scale(Dual<T> a, T slope, T newValue) {
        T[] d = numbers.newArray(a.partials.length);
        for (int i = 0; i < d.length; i++) d[i] = numbers.multiply(slope, a.partials[i]);
        return new Dual<>(newValue == null ? numbers.multiply(slope, a.value) : newValue, d);
    }

    private Dual<T> reciprocal(Dual<T> a) {
        T inverse = numbers.divide(numbers.one(), a.value);
        return scale(a, numbers.negate(numbers.multiply(inverse, inverse)), inverse);
    }

    private Dual<T> power(Expr.Power p, Map<String, Dual<T>> env) {
        Dual<T> base = eval(p.base(), env);
        Optional<Integer> k = integerExponent(p);
        if (k.isPresent()) {
            int exponent = k.get();
            if (exponent == 0) return Dual.constant(numbers, numbers.one(), base.partials.length);
            if (exponent < 0 && numbers.signum(base.value) == 0) throw new UndefinedPoint("0 to a negative power");
            T value = numbers.power(base.value, exponent);
            T slope = numbers.multiply(numbers.of(Rational.of(exponent)), numbers.power(base.value, exponent - 1));
            return scale(base, slope, value);
        }
        // b^e = exp(e·log b), defined for b > 0 only.
        Dual<T> exponent = eval(p.exponent(), env);
        return exp(multiply(exponent, log(base)));
    }

    private Dual<T> call(Expr.Call c, Map<String, Dual<T>> env) {
        Dual<T> z = eval(c.args().get(0), env);
        Optional<Builtin> builtin = Builtin.byName(c.function());
        if (builtin.isEmpty()) {
            if (!network.activations().contains(c.function())) {
                throw new IllegalStateException("unknown function '" + c.function() + "'");
            }
            return generic(c.function(), 0, z);
        }
        T zero = numbers.zero();
        T one = numbers.one();
        switch (builtin.get()) {
            case RELU:
                return numbers.signum(z.value) > 0 ? z : Dual.constant(numbers, zero, z.partials.length);
            case LEAKY_RELU: {
                Dual<T> slope = eval(c.args().get(1), env);
                // z > 0: z; otherwise slope·z (so the derivative at 0 is the slope).
                return numbers.signum(z.value) > 0 ? z : multiply(slope, z);
            }
            case TANH: {
                T t = numbers.tanh(z.value);
                return scale(z, numbers.subtract(one, numbers.multiply(t, t)), t);
            }
            case SIGMOID: {
                T s = numbers.sigmoid(z.value);
                return scale(z, numbers.multiply(s, numbers.subtract(one, s)), s);
            }
            case SOFTPLUS:
                return scale(z, numbers.sigmoid(z.value), numbers.softplus(z.value));
            case EXP:
                return exp(z);
            case LOG:
                return log(z);
            case SQRT: {
                if (numbers.signum(z.value) < 0) throw new UndefinedPoint("square root of a negative number");
                T root = numbers.sqrt(z.value);
                if (numbers.signum(root) == 0) throw new UndefinedPoint("slope of the square root at 0");
                return scale(z, numbers.divide(one, numbers.add(root, root)), root);
            }
            case ABS: {
                int sign = numbers.signum(z.value);
                return scale(z, numbers.of(Rational.of(sign)), sign < 0 ? numbers.negate(z.value) : z.value);
            }
            case MAX:
            case MIN: {
                // The larger (smaller) argument; where they are equal, each gets half the slope. Equal
                // within this evaluator's rounding noise counts as equal: one value reached along two
                // paths (a tie that gradient descent keeps) must not branch on noise.
                Dual<T> other = eval(c.args().get(1), env);
                int order = numbers.same(z.value, other.value) ? 0 : numbers.signum(numbers.subtract(z.value, other.value));
                if (builtin.get() == Builtin.MIN) order = -order;
                if (order > 0) return z;
                if (order < 0) return other;
                Dual<T> sum = add(z, other);
                return scale(sum, numbers.of(Rational.of(1, 2)), z.value);
            }
            case ELU: {
                if (numbers.signum(z.value) > 0) return z;
                T e = numbers.exp(z.value);
                return scale(z, e, numbers.subtract(e, one));
            }
            case GELU: {
                // z·Φ(z), Φ(z) = (1 + erf(z/√2))/2; slope Φ(z) + z·e^(−z²/2)/√(2π).
                T half = numbers.of(Rational.of(1, 2));
                T cdf = numbers.multiply(half, numbers.add(one,
                        numbers.erf(numbers.divide(z.value, numbers.sqrt(numbers.of(Rational.of(2)))))));
                T density = numbers.divide(numbers.exp(numbers.negate(numbers.multiply(half, numbers.multiply(z.value, z.value)))),
                        numbers.sqrt(numbers.multiply(numbers.of(Rational.of(2)), numbers.pi())));
                return scale(z, numbers.add(cdf, numbers.multiply(z.value, density)), numbers.multiply(z.value, cdf));
            }
            case GELU_TANH: {
                // (z/2)·(1 + tanh u), u = √(2/π)·(z + 0.044715·z³), as the function is usually written.
                T half = numbers.of(Rational.of(1, 2));
                T c1 = numbers.sqrt(numbers.divide(numbers.of(Rational.of(2)), numbers.pi()));
                T cubic = numbers.of(Rational.of(44715, 1_000_000));
                T z2 = numbers.multiply(z.value, z.value);
                T u = numbers.multiply(c1, numbers.add(z.value, numbers.multiply(cubic, numbers.multiply(z2, z.value))));
                T du = numbers.multiply(c1, numbers.add(one, numbers.multiply(numbers.of(Rational.of(3 * 44715, 1_000_000)), z2)));
                T t = numbers.tanh(u);
                T onePlusT = numbers.add(one, t);
                T value = numbers.multiply(half, numbers.multiply(z.value, onePlusT));
                T slope = numbers.add(numbers.multiply(half, onePlusT),
                        numbers.multiply(half, numbers.multiply(z.value, numbers.multiply(numbers.subtract(one, numbers.multiply(t, t)), du))));
                return scale(z, slope, value);
            }
            case ERF: {
                // (2/√π)·e^(−z²).
                T slope = numbers.divide(numbers.multiply(numbers.of(Rational.of(2)), numbers.exp(numbers.negate(numbers.multiply(z.value, z.value)))),
                        numbers.sqrt(numbers.pi()));
                return scale(z, slope, numbers.erf(z.value));
            }
            case SILU: {
                T s = numbers.sigmoid(z.value);
                T slope = numbers.add(s, numbers.multiply(z.value, numbers.multiply(s, numbers.subtract(one, s))));
                return scale(z, slope, numbers.multiply(z.value, s));
            }
            default:
                throw new IllegalStateException("no rule for " + builtin.get());
        }
    }

    private Dual<T> exp(Dual<T> z) {
        T e = numbers.exp(z.value);
        return scale(z, e, e);
    }

    private Dual<T> log(Dual<T> z) {
        if (numbers.signum(z.value) <= 0) throw new UndefinedPoint("log of a non-positive number");
        return scale(z, numbers.divide(numbers.one(), z.value), numbers.log(z.value));
    }

    /** The stand-in f(z) = e^(c·z) + z/3 − z²/5, or its derivative of the given order. */
    private Dual<T> generic(String name, int order, Dual<T> z) {
        Rational c = activationRates.get(name);
        if (c == null) throw new IllegalStateException("'" + name + "' is not a declared activation");
        return scale(z, activationDerivative(c, order + 1, z.value), activationDerivative(c, order, z.value));
    }

    private T activationDerivative(Rational c, int order, T z) {
        T exponential = numbers.multiply(numbers.of(c.pow(order)), numbers.exp(numbers.multiply(numbers.of(c), z)));
        T third = numbers.of(Rational.of(1, 3));
        T fifth = numbers.of(Rational.of(1, 5));
        return switch (order) {
            case 0 -> numbers.add(exponential, numbers.subtract(numbers.multiply(third, z),
                    numbers.multiply(fifth, numbers.multiply(z, z))));
            case 1 -> numbers.add(exponential, numbers.subtract(third, numbers.multiply(numbers.of(Rational.of(2, 5)), z)));
            case 2 -> numbers.subtract(exponential, numbers.of(Rational.of(2, 5)));
            default -> exponential;
        };
    }

    /** The exponent of a power as a constant integer, when it is one (2, -1, 6/3, -(2)). */
    private static Optional<Integer> integerExponent(Expr.Power p) {
        Optional<Rational> c = constant(p.exponent());
        if (c.isEmpty() || !c.get().isInteger() || c.get().numerator().bitLength() > 20) return Optional.empty();
        return Optional.of(c.get().numerator().intValueExact());
    }

    /** The value of an expression made of numbers only (no names, no functions). */
    static Optional<Rational> constant(Expr e) {
        if (e instanceof Expr.Num n) return Optional.of(n.value());
        if (e instanceof Expr.Neg neg) return constant(neg.operand()).map(Rational::negate);
        if (e instanceof Expr.Sum s) {
            Rational total = Rational.ZERO;
            for (Expr t : s.terms()) {
                Optional<Rational> v = constant(t);
                if (v.isEmpty()) return Optional.empty();
                total = total.add(v.get());
            }
            return Optional.of(total);
        }
        if (e instanceof Expr.Product p) {
            Rational total = Rational.ONE;
            for (Expr f : p.factors()) {
                Optional<Rational> v = constant(f);
                if (v.isEmpty()) return Optional.empty();
                total = total.multiply(v.get());
            }
            return Optional.of(total);
        }
        if (e instanceof Expr.Quotient q) {
            Optional<Rational> a = constant(q.numerator());
            Optional<Rational> b = constant(q.denominator());
            if (a.isEmpty() || b.isEmpty() || b.get().isZero()) return Optional.empty();
            return Optional.of(a.get().divide(b.get()));
        }
        return Optional.empty();
    }

    // ---- the two number systems -------------------------------------------------------------

    /** What the evaluator needs of a number system. */
    interface Numbers<T> {
        T of(Rational r);
        T zero();
        T one();
        T add(T a, T b);
        T subtract(T a, T b);
        T multiply(T a, T b);
        T divide(T a, T b);
        T negate(T a);
        T power(T a, int exponent);
        int signum(T a);
        T exp(T a);
        T log(T a);
        T tanh(T a);
        T sigmoid(T a);
        T softplus(T a);
        T sqrt(T a);
        T erf(T a);
        T pi();
        T[] newArray(int n);

        /** Equal: exactly for rationals, within {@code 10^-40} relative (or absolute below 1) for decimals. */
        boolean same(T a, T b);

        /** Surely different: exactly for rationals, beyond {@code 10^-50} relative for decimals. */
        boolean surelyDifferent(T a, T b);

        String show(T a);
    }

    static final class ExactNumbers implements Numbers<Rational> {
        public Rational of(Rational r) { return r; }
        public Rational zero() { return Rational.ZERO; }
        public Rational one() { return Rational.ONE; }
        public Rational add(Rational a, Rational b) { return a.add(b); }
        public Rational subtract(Rational a, Rational b) { return a.subtract(b); }
        public Rational multiply(Rational a, Rational b) { return a.multiply(b); }
        public Rational divide(Rational a, Rational b) {
            if (b.isZero()) throw new UndefinedPoint("division by zero");
            return a.divide(b);
        }
        public Rational negate(Rational a) { return a.negate(); }
        public Rational power(Rational a, int exponent) { return a.pow(exponent); }
        public int signum(Rational a) { return a.signum(); }
        public Rational exp(Rational a) { throw irrational("exp"); }
        public Rational log(Rational a) { throw irrational("log"); }
        public Rational tanh(Rational a) { throw irrational("tanh"); }
        public Rational sigmoid(Rational a) { throw irrational("sigmoid"); }
        public Rational softplus(Rational a) { throw irrational("softplus"); }
        public Rational sqrt(Rational a) { throw irrational("sqrt"); }
        public Rational erf(Rational a) { throw irrational("erf"); }
        public Rational pi() { throw irrational("pi"); }
        public Rational[] newArray(int n) { return new Rational[n]; }
        public boolean same(Rational a, Rational b) { return a.equals(b); }
        public boolean surelyDifferent(Rational a, Rational b) { return !a.equals(b); }
        public String show(Rational a) { return a.toString(); }

        private static IllegalStateException irrational(String f) {
            return new IllegalStateException(f + " in exact arithmetic: the network was misclassified as rational");
        }
    }

    /**
     * Decimals with a fixed number of significant digits. The elementary functions are
     * computed with 25 guard digits and rounded: e^x as e^n·e^r (n an integer, |r| ≤ 1/2,
     * Taylor series), log through a power-of-two split and the atanh series.
     */
    static final class DecimalNumbers implements Numbers<BigDecimal> {
        private static final BigDecimal SAME_TOLERANCE = new BigDecimal("1e-40");
        private static final BigDecimal DIFFERENT_TOLERANCE = new BigDecimal("1e-50");
        private static final BigDecimal TWO = BigDecimal.valueOf(2);
        /** π to 110 digits, as printed in tables: not computed, so that it shares nothing with the engine. */
        private static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510"
                + "58209749445923078164062862089986280348253421170679821480865132");

        private final MathContext context;
        private final MathContext inner;
        private final BigDecimal e;
        private final BigDecimal ln2;
        private final BigDecimal ln10;

        DecimalNumbers(MathContext context) {
            this.context = context;
            this.inner = new MathContext(context.getPrecision() + 25, RoundingMode.HALF_EVEN);
            this.e = taylorExp(BigDecimal.ONE);
            this.ln2 = atanhSeries(BigDecimal.ONE.divide(BigDecimal.valueOf(3), inner)).multiply(TWO, inner);
            // ln 10 = 3·ln 2 + ln(5/4), ln(5/4) = 2·atanh(1/9)
            this.ln10 = ln2.multiply(BigDecimal.valueOf(3), inner)
                    .add(atanhSeries(BigDecimal.ONE.divide(BigDecimal.valueOf(9), inner)).multiply(TWO, inner), inner);
        }

        public BigDecimal of(Rational r) { return r.toBigDecimal(context); }
        public BigDecimal zero() { return BigDecimal.ZERO; }
        public BigDecimal one() { return BigDecimal.ONE; }
        public BigDecimal add(BigDecimal a, BigDecimal b) { return a.add(b, context); }
        public BigDecimal subtract(BigDecimal a, BigDecimal b) { return a.subtract(b, context); }
        public BigDecimal multiply(BigDecimal a, BigDecimal b) { return a.multiply(b, context); }
        public BigDecimal divide(BigDecimal a, BigDecimal b) {
            if (b.signum() == 0) throw new UndefinedPoint("division by zero");
            return a.divide(b, context);
        }
        public BigDecimal negate(BigDecimal a) { return a.negate(); }
        public BigDecimal power(BigDecimal a, int exponent) {
            if (exponent >= 0) return a.pow(exponent, context);
            return BigDecimal.ONE.divide(a.pow(-exponent, inner), context);
        }
        public int signum(BigDecimal a) { return a.signum(); }
        public BigDecimal[] newArray(int n) { return new BigDecimal[n]; }

        public BigDecimal exp(BigDecimal x) { return expInner(x).round(context); }

        public BigDecimal log(BigDecimal x) {
            if (x.signum() <= 0) throw new UndefinedPoint("log of " + x);
            // x = m·2^k·10^d with m in [1, 2): log x = d·ln 10 + k·ln 2 + 2·atanh((m − 1)/(m + 1)); the
            // decimal exponent d comes off for free, however far from 1 x is (e^1000000 and beyond).
            long d = (long) x.precision() - x.scale() - 1;
            BigDecimal m = x.movePointLeft((int) d);
            int k = 0;
            while (m.compareTo(TWO) >= 0) {
                m = m.divide(TWO, inner);
                k++;
            }
            BigDecimal s = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), inner);
            return ln10.multiply(BigDecimal.valueOf(d), inner).add(ln2.multiply(BigDecimal.valueOf(k), inner), inner)
                    .add(atanhSeries(s).multiply(TWO, inner), inner).round(context);
        }

        // tanh, σ and softplus from e^(−|x|), which cannot overflow however large |x| is.

        public BigDecimal tanh(BigDecimal x) {
            // tanh|x| = (1 − e^(−2|x|))/(1 + e^(−2|x|)); the guard digits absorb the cancellation near 0 (|x| > 10^-20).
            BigDecimal t = expInner(x.abs().multiply(TWO, inner).negate());
            BigDecimal magnitude = BigDecimal.ONE.subtract(t, inner).divide(BigDecimal.ONE.add(t, inner), context);
            return x.signum() < 0 ? magnitude.negate() : magnitude;
        }

        public BigDecimal sigmoid(BigDecimal x) {
            BigDecimal e = expInner(x.abs().negate());
            BigDecimal numerator = x.signum() >= 0 ? BigDecimal.ONE : e;
            return numerator.divide(BigDecimal.ONE.add(e, inner), context);
        }

        public BigDecimal softplus(BigDecimal x) {
            // max(x, 0) + log(1 + e^(−|x|))
            BigDecimal tail = log(BigDecimal.ONE.add(expInner(x.abs().negate()), inner));
            return x.signum() > 0 ? x.add(tail, context) : tail;
        }

        public BigDecimal sqrt(BigDecimal x) { return x.sqrt(context); }

        public BigDecimal pi() { return PI.round(context); }

        /**
         * erf x by its Maclaurin series Σ (−1)^n x^(2n+1)/(n!·(2n+1))·2/√π, whose terms grow to
         * about e^(x²) before they fall: computed with that many more digits. Beyond |x| = 12,
         * erf x is ±1 to 60 digits.
         */
        public BigDecimal erf(BigDecimal x) {
            if (x.abs().compareTo(BigDecimal.valueOf(12)) > 0) return BigDecimal.valueOf(x.signum());
            double m = x.doubleValue();
            MathContext wide = new MathContext(inner.getPrecision() + (int) Math.ceil(m * m / Math.log(10)) + 5,
                    RoundingMode.HALF_EVEN);
            BigDecimal x2 = x.multiply(x, wide);
            BigDecimal power = x;
            BigDecimal sum = x;
            BigDecimal limit = BigDecimal.ONE.movePointLeft(wide.getPrecision() + 2);
            for (int n = 1; n < 100_000; n++) {
                power = power.multiply(x2, wide).divide(BigDecimal.valueOf(-n), wide);
                BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), wide);
                sum = sum.add(term, wide);
                if (term.abs().compareTo(limit) < 0) {
                    return sum.multiply(TWO, wide).divide(PI.sqrt(wide), context);
                }
            }
            throw new IllegalStateException("erf series did not converge at " + x);
        }

        public boolean same(BigDecimal a, BigDecimal b) {
            BigDecimal scale = a.abs().max(b.abs()).max(BigDecimal.ONE);
            return a.subtract(b).abs().compareTo(scale.multiply(SAME_TOLERANCE)) <= 0;
        }

        public boolean surelyDifferent(BigDecimal a, BigDecimal b) {
            BigDecimal scale = a.abs().max(b.abs());
            return a.subtract(b).abs().compareTo(scale.multiply(DIFFERENT_TOLERANCE)) > 0;
        }

        public String show(BigDecimal a) { return a.round(new MathContext(12)).toString(); }

        /** e^x at the inner precision: e^n by repeated multiplication, e^r by Taylor for |r| ≤ 1/2. */
        private BigDecimal expInner(BigDecimal x) {
            // Out of range before x is rounded to an integer, which for x = 10^10000000 would take long.
            if (x.compareTo(BigDecimal.valueOf(-100_000_001)) < 0) return BigDecimal.ZERO;
            if (x.compareTo(BigDecimal.valueOf(1L << 27)) > 0) throw new UndefinedPoint("exp of " + x + " is out of range");
            BigInteger n = x.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
            // The engine's range, as the README states it: e^x underflows to 0 below e^-100000000, and
            // a saturated function's tiny slope is still a slope above that.
            if (n.compareTo(BigInteger.valueOf(-100_000_000)) < 0) return BigDecimal.ZERO;
            if (n.bitLength() > 27) throw new UndefinedPoint("exp of " + x + " is out of range");
            BigDecimal r = x.subtract(new BigDecimal(n), inner);
            BigDecimal en = e.pow(n.abs().intValueExact(), inner);
            if (n.signum() < 0) en = BigDecimal.ONE.divide(en, inner);
            return en.multiply(taylorExp(r), inner);
        }

        private BigDecimal taylorExp(BigDecimal r) {
            BigDecimal sum = BigDecimal.ONE;
            BigDecimal term = BigDecimal.ONE;
            BigDecimal limit = BigDecimal.ONE.movePointLeft(inner.getPrecision() + 2);
            for (int k = 1; k < 10_000; k++) {
                term = term.multiply(r, inner).divide(BigDecimal.valueOf(k), inner);
                sum = sum.add(term, inner);
                if (term.abs().compareTo(limit) < 0) return sum;
            }
            throw new IllegalStateException("exp series did not converge at " + r);
        }

        /** atanh s = s + s³/3 + s⁵/5 + ..., for |s| ≤ 1/3. */
        private BigDecimal atanhSeries(BigDecimal s) {
            BigDecimal s2 = s.multiply(s, inner);
            BigDecimal power = s;
            BigDecimal sum = s;
            BigDecimal limit = BigDecimal.ONE.movePointLeft(inner.getPrecision() + 2);
            for (int k = 3; k < 100_000; k += 2) {
                power = power.multiply(s2, inner);
                BigDecimal term = power.divide(BigDecimal.valueOf(k), inner);
                sum = sum.add(term, inner);
                if (term.abs().compareTo(limit) < 0) return sum;
            }
            throw new IllegalStateException("atanh series did not converge at " + s);
        }
    }
}
