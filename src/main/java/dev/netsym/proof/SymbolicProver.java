package dev.netsym.proof;

import dev.netsym.calculus.DerivationOptions;
import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.calculus.SymbolicResult;
import dev.netsym.calculus.SymbolicVerdict;
import dev.netsym.calculus.Tape;
import dev.netsym.calculus.ZeroTest;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.NaturalOrder;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The symbolic half of {@code prove} for small networks: on the subspace S(P, F) (one fresh
 * symbol per free class, initial values for pinned parameters) it reduces g_i − g_j, or g_f,
 * to 0 with computer algebra. It answers only ZERO as a proof; "non-zero" and "unknown" both
 * give empty, which the certifier turns into a split (sound either way).
 *
 * <p>Gradients are built from the objective with every unit substituted, so only networks
 * whose objective stays within the derivation size bound qualify; larger ones get empty at
 * once, without any algebra.
 */
public final class SymbolicProver implements ProofCertifier.EqualityProver {
    /** Beyond this many parameters the per-pair algebra costs more than it can add. */
    public static final int MAX_PARAMETERS = 200;

    private final Gradients gradients;
    private final int maxSize;
    private final List<String> names;
    private final long deadlineNanos;
    private final Duration budget;
    private final int limitsAtStart;

    /** The state the caches below belong to; the certifier asks about one state many times. */
    private int[] stateClassOf;
    private boolean[] statePinned;
    private Map<String, Expr> stateValues;
    private final Map<Integer, Optional<Expr>> onSubspace = new HashMap<>();
    private final Map<Integer, Expr> readable = new HashMap<>();

    /** A prover whose algebra, summed over all calls, stops after {@code budget}. */
    public SymbolicProver(Network network, SymbolicEngine engine, Duration budget) {
        this(network, engine, budget, DerivationOptions.defaults().maxExpansionSize());
    }

    SymbolicProver(Network network, SymbolicEngine engine, Duration budget, int maxSize) {
        this.gradients = new Gradients(network, engine, maxSize);
        this.maxSize = maxSize;
        this.names = Tape.compile(network).parameterNames();
        this.budget = budget;
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
        this.limitsAtStart = engine.timeLimitsReached();
    }

    /** {@code base} with this prover added after its own provers: how callers outside the package use it. */
    public static ProofEngine.Options withProver(ProofEngine.Options base, SymbolicProver prover) {
        List<ProofCertifier.EqualityProver> provers = new ArrayList<>(base.provers());
        provers.add(prover);
        return new ProofEngine.Options(base.timeout(), provers);
    }

    /** The same prover, budget and limits for another network (a copy with other initial values). */
    SymbolicProver forNetwork(Network network) {
        return new SymbolicProver(network, gradients.engine, budget, maxSize);
    }

    /** Why this prover answers nothing for its network, or empty when it can work. */
    public Optional<String> unavailableBecause() { return gradients.unavailableBecause(); }

    @Override
    public ProverVerdict proveEqual(int[] classOf, boolean[] pinned, boolean[] negated, int first, int second) {
        if (!enterState(classOf, pinned, negated)) return unavailable();
        Optional<Expr> a = gradientOnSubspace(first);
        Optional<Expr> b = gradientOnSubspace(second);
        if (a.isEmpty() || b.isEmpty()) return unavailable();
        // Symja's evaluation is canonical, so identical results need no further algebra.
        String how = "";
        // Members of opposite sign keep θ1 = −θ2 while g1 = −g2.
        boolean opposite = negated[first] != negated[second];
        if (opposite || !a.get().equals(b.get())) {
            if (System.nanoTime() > deadlineNanos) return ProverVerdict.CUT_SHORT;
            ProverVerdict v = decideZero(new Expr.Sum(List.of(a.get(), opposite ? b.get() : new Expr.Neg(b.get()))));
            if (!v.isProved()) return v;
            how = v.certificate().get().detail();
        }
        String detail = "∂" + gradients.objectiveName + "/∂" + names.get(first) + (opposite ? " + ∂" : " − ∂")
                + gradients.objectiveName + "/∂" + names.get(second) + " reduces to 0 on the subspace" + how;
        return ProverVerdict.proved(new Certificate(Certificate.Kind.SYMBOLIC, detail, Optional.of(readable(first))));
    }

    @Override
    public ProverVerdict proveZero(int[] classOf, boolean[] pinned, boolean[] negated, int parameter) {
        if (!enterState(classOf, pinned, negated)) return unavailable();
        Optional<Expr> g = gradientOnSubspace(parameter);
        if (g.isEmpty()) return unavailable();
        boolean zero = g.get() instanceof Expr.Num n && n.value().isZero();
        String how = "";
        if (!zero) {
            if (System.nanoTime() > deadlineNanos) return ProverVerdict.CUT_SHORT;
            ProverVerdict v = decideZero(g.get());
            if (!v.isProved()) return v;
            how = v.certificate().get().detail();
        }
        String detail = "∂" + gradients.objectiveName + "/∂" + names.get(parameter) + " reduces to 0 on the subspace"
                + how;
        return ProverVerdict.proved(new Certificate(Certificate.Kind.SYMBOLIC, detail, Optional.of(Expr.Num.of(0))));
    }

    /**
     * ZERO proves; NONZERO (a point where the expression is not 0) refutes. The refutation is
     * about the expression over all reals, not the assumed ranges: it makes the certifier split
     * the pair, and the split is only called a separation once a witness run shows it.
     */
    private ProverVerdict decideZero(Expr e) {
        int limitsBefore = gradients.engine.timeLimitsReached();
        ZeroTest test = gradients.engine.isZeroWithReason(e);
        SymbolicVerdict v = test.verdict();
        if (v == SymbolicVerdict.ZERO) {
            // The argument is worth printing when it is more than "Symja reduced it".
            String how = test.atoms().isEmpty() ? "" : ": " + test.reason();
            return ProverVerdict.proved(new Certificate(Certificate.Kind.SYMBOLIC, how, Optional.empty()));
        }
        if (v == SymbolicVerdict.NONZERO) return ProverVerdict.REFUTED;
        return gradients.engine.timeLimitsReached() > limitsBefore ? ProverVerdict.CUT_SHORT : ProverVerdict.UNKNOWN;
    }

    /** Too big for algebra is no verdict; a spent budget is a decision cut short. */
    private ProverVerdict unavailable() {
        if (gradients.unavailableBecause().isPresent()) return ProverVerdict.UNKNOWN;
        boolean limited = System.nanoTime() > deadlineNanos || gradients.engine.timeLimitsReached() > limitsAtStart;
        return limited ? ProverVerdict.CUT_SHORT : ProverVerdict.UNKNOWN;
    }

    /** Switches the caches to this state; false when no algebra may be done (too big, out of time). */
    private boolean enterState(int[] classOf, boolean[] pinned, boolean[] negated) {
        if (gradients.unavailableBecause().isPresent() || names.size() != classOf.length) return false;
        if (System.nanoTime() > deadlineNanos) return false;
        if (Arrays.equals(classOf, stateClassOf) && Arrays.equals(pinned, statePinned)) return true;
        // Copies: the search changes its pin array in place.
        stateClassOf = classOf.clone();
        statePinned = pinned.clone();
        stateValues = gradients.valuesOnSubspace(names, classOf, pinned, negated);
        onSubspace.clear();
        readable.clear();
        return true;
    }

    private Optional<Expr> gradientOnSubspace(int p) {
        return onSubspace.computeIfAbsent(p, k -> {
            if (System.nanoTime() > deadlineNanos) return Optional.empty();
            return gradients.gradient(names.get(k)).flatMap(g -> gradients.substitute(g, stateValues));
        });
    }

    private Expr readable(int p) {
        return readable.computeIfAbsent(p, k -> gradients.readable(gradientOnSubspace(k).orElseThrow()));
    }

    @Override
    public String toString() { return "symbolic prover (budget " + budget.toSeconds() + " s)"; }

    /**
     * Each unit and the objective with every unit substituted (no expanding), and the
     * gradients of that objective: shared by the prover and {@link SymbolicProofDetails}.
     * Everything is computed on first use and kept.
     */
    static final class Gradients {
        final Network network;
        final SymbolicEngine engine;
        final String objectiveName;
        private final Map<String, Expr> nestedUnits = new LinkedHashMap<>();
        private final Map<String, Integer> nestedSizes = new HashMap<>();
        private final Expr objective;
        private final String unavailable;
        private final Map<String, Optional<Expr>> gradients = new HashMap<>();
        private final Ordering ordering;
        private final ClassSymbols symbols;

        Gradients(Network network, SymbolicEngine engine, int maxSize) {
            this.network = network;
            this.engine = engine;
            Map<String, Unit> units = network.unitsByName();
            this.objectiveName = network.objective() instanceof Expr.Ref r && units.containsKey(r.name())
                    ? r.name() : "L";
            this.symbols = ClassSymbols.of(network);
            this.ordering = new Ordering(network);
            if (network.parameters().size() > MAX_PARAMETERS) {
                objective = null;
                unavailable = network.parameters().size() + " parameters (more than " + MAX_PARAMETERS
                        + ") are too many for computer algebra";
                return;
            }
            for (Unit u : units.values()) nest(u.name(), u.definition(), maxSize);
            int objectiveSize = sizeWithUnitsSubstituted(network.objective());
            if (objectiveSize > maxSize) {
                objective = null;
                unavailable = "the objective in inputs and parameters would have size " + objectiveSize
                        + " (more than " + maxSize + ")";
            } else {
                objective = substituteUnits(network.objective());
                unavailable = null;
            }
        }

        Optional<String> unavailableBecause() { return Optional.ofNullable(unavailable); }

        Optional<Expr> objective() { return Optional.ofNullable(objective); }

        /** The unit in inputs and parameters, or empty when that would be too big. */
        Optional<Expr> unit(String name) { return Optional.ofNullable(nestedUnits.get(name)); }

        /** ∂objective/∂parameter in inputs and parameters; empty when out of reach. */
        Optional<Expr> gradient(String parameter) {
            if (objective == null) return Optional.empty();
            return gradients.computeIfAbsent(parameter, p -> {
                SymbolicResult<Expr> d = engine.differentiate(objective, p);
                return d.isKnown() ? Optional.of(d.value()) : Optional.empty();
            });
        }

        /** Every name replaced at once, then evaluated (Symja's canonical form). */
        Optional<Expr> substitute(Expr e, Map<String, Expr> values) {
            SymbolicResult<Expr> r = engine.substitute(e, values);
            return r.isKnown() ? Optional.of(r.value()) : Optional.empty();
        }

        /**
         * The shortest of e, its expansion and its factorisation (and its simplification when
         * e has no function calls), ordered as a person writes it: numbers, symbols, brackets,
         * inputs. Simplify is left out around tanh and the like: there it took seconds per
         * gradient and rarely won.
         */
        Expr readable(Expr e) {
            List<SymbolicResult<Expr>> candidates = new ArrayList<>(List.of(engine.expand(e), engine.factor(e)));
            if (!hasCall(e)) candidates.add(engine.simplify(e));
            Expr best = e;
            for (SymbolicResult<Expr> c : candidates) {
                if (c.isKnown() && SymbolicEngine.size(c.value()) < SymbolicEngine.size(best)) best = c.value();
            }
            return ordering.apply(best);
        }

        private static boolean hasCall(Expr e) {
            if (e instanceof Expr.Call || e instanceof Expr.DerivativeCall) return true;
            return e.children().stream().anyMatch(Gradients::hasCall);
        }

        /** Factored when factoring helps, then ordered: 2·c3·c4·(x1 − x2). */
        Expr factored(Expr e) { return ordering.apply(engine.factor(e).orElse(e)); }

        /**
         * Values on S(P, F) for a state in Tape order: the class symbols are numbered as
         * {@link ProofEngine} numbers the final classes (free classes in natural order of their
         * first member), so a certificate's gradient reads like the proof's classes.
         */
        Map<String, Expr> valuesOnSubspace(List<String> names, int[] classOf, boolean[] pinned, boolean[] negated) {
            Integer[] order = new Integer[names.size()];
            for (int p = 0; p < order.length; p++) order[p] = p;
            Arrays.sort(order, Comparator.comparing(names::get, NaturalOrder.INSTANCE));
            Map<String, Parameter> byName = Parameters.byName(network);
            Map<Integer, Expr> classSymbols = new HashMap<>();
            Map<String, Expr> values = new LinkedHashMap<>();
            for (int p : order) {
                String name = names.get(p);
                if (pinned[p]) {
                    values.put(name, initialValue(byName.get(name)));
                } else {
                    Expr value = classSymbols.computeIfAbsent(classOf[p],
                            c -> new Expr.Ref(symbols.symbol(classSymbols.size() + 1)));
                    values.put(name, negated[p] ? new Expr.Neg(value) : value);
                }
            }
            return values;
        }

        /** Values on the final subspace of a finished proof: its own class symbols. */
        Map<String, Expr> valuesOnSubspace(Proof proof) {
            Map<String, Parameter> byName = Parameters.byName(network);
            Map<String, Expr> values = new LinkedHashMap<>();
            for (ParameterClass c : proof.classes()) {
                for (String member : c.members()) {
                    Expr symbol = new Expr.Ref(c.symbol());
                    values.put(member, c.frozen() ? initialValue(byName.get(member))
                            : c.negated().contains(member) ? new Expr.Neg(symbol) : symbol);
                }
            }
            return values;
        }

        /** Every parameter at its initial value; a random one as its own symbol w(0). */
        Map<String, Expr> initialValues() {
            Map<String, Expr> values = new LinkedHashMap<>();
            for (Parameter p : network.parameters()) values.put(p.name(), initialValue(p));
            return values;
        }

        static Expr initialValue(Parameter p) {
            if (p.init() instanceof Init.Numeric n) return new Expr.Num(n.value());
            if (p.init() instanceof Init.Symbolic s) return s.expr();
            return new Expr.Ref(p.name() + "(0)");
        }

        private void nest(String name, Expr definition, int maxSize) {
            int size = sizeWithUnitsSubstituted(definition);
            nestedSizes.put(name, size);
            if (size <= maxSize) nestedUnits.put(name, substituteUnits(definition));
        }

        /** The size after substituting units, computed without building the expression. */
        private int sizeWithUnitsSubstituted(Expr e) {
            if (e instanceof Expr.Ref r && nestedSizes.containsKey(r.name())) return nestedSizes.get(r.name());
            List<Expr> children = e.children();
            if (children.isEmpty()) return SymbolicEngine.size(e);
            long total = SymbolicEngine.size(e);
            for (Expr child : children) total += sizeWithUnitsSubstituted(child) - SymbolicEngine.size(child);
            return (int) Math.min(Integer.MAX_VALUE, total);
        }

        private Expr substituteUnits(Expr e) {
            if (e instanceof Expr.Ref r) return nestedUnits.getOrDefault(r.name(), e);
            if (e instanceof Expr.Neg n) return new Expr.Neg(substituteUnits(n.operand()));
            if (e instanceof Expr.Sum s) return new Expr.Sum(s.terms().stream().map(this::substituteUnits).toList());
            if (e instanceof Expr.Product p) {
                return new Expr.Product(p.factors().stream().map(this::substituteUnits).toList());
            }
            if (e instanceof Expr.Quotient q) {
                return new Expr.Quotient(substituteUnits(q.numerator()), substituteUnits(q.denominator()));
            }
            if (e instanceof Expr.Power p) return new Expr.Power(substituteUnits(p.base()), substituteUnits(p.exponent()));
            if (e instanceof Expr.Call c) return new Expr.Call(c.function(), c.args().stream().map(this::substituteUnits).toList());
            if (e instanceof Expr.DerivativeCall d) {
                return new Expr.DerivativeCall(d.function(), d.order(), substituteUnits(d.arg()));
            }
            return e;
        }
    }

    /**
     * Orders sums and products on the subspace as a person writes them, not Symja's order:
     * numbers, then symbols (class symbols and initial values, naturally ordered), then
     * bracketed subexpressions, then inputs in declaration order. 2·c3·c4·(x1 − x2).
     */
    static final class Ordering {
        private final Map<String, Integer> inputRank = new HashMap<>();

        Ordering(Network network) {
            for (String input : network.inputs()) inputRank.put(input, inputRank.size());
            for (String target : network.targets()) inputRank.put(target, inputRank.size());
        }

        Expr apply(Expr e) {
            if (e instanceof Expr.Sum s) {
                List<Expr> terms = new ArrayList<>(s.terms().stream().map(this::apply).toList());
                terms.sort(Comparator.comparing((Expr t) -> isNegative(t)).thenComparing(this::compareTerms));
                return new Expr.Sum(terms);
            }
            if (e instanceof Expr.Product p) {
                List<Expr> factors = new ArrayList<>(p.factors().stream().map(this::apply).toList());
                factors.sort(this::compareFactors);
                return new Expr.Product(factors);
            }
            return e.withChildren(e.children().stream().map(this::apply).toList());
        }

        private static boolean isNegative(Expr t) {
            return t instanceof Expr.Neg || (t instanceof Expr.Num n && n.value().signum() < 0)
                    || (t instanceof Expr.Product p && p.factors().get(0) instanceof Expr.Num n && n.value().signum() < 0);
        }

        /** Terms compare by their factors in turn, numbers ignored: c1·x1 before c2·x2. */
        private int compareTerms(Expr a, Expr b) {
            List<Expr> fa = factorsOf(a);
            List<Expr> fb = factorsOf(b);
            for (int i = 0; i < Math.min(fa.size(), fb.size()); i++) {
                int c = compareFactors(fa.get(i), fb.get(i));
                if (c != 0) return c;
            }
            return Integer.compare(fa.size(), fb.size());
        }

        private static List<Expr> factorsOf(Expr t) {
            Expr u = t instanceof Expr.Neg n ? n.operand() : t;
            List<Expr> factors = u instanceof Expr.Product p ? p.factors() : List.of(u);
            return factors.stream().filter(f -> !(f instanceof Expr.Num)).toList();
        }

        private int compareFactors(Expr a, Expr b) {
            int c = Integer.compare(rank(a), rank(b));
            if (c != 0) return c;
            Expr ba = a instanceof Expr.Power p ? p.base() : a;
            Expr bb = b instanceof Expr.Power p ? p.base() : b;
            if (ba instanceof Expr.Ref ra && bb instanceof Expr.Ref rb) {
                Integer ia = inputRank.get(ra.name());
                Integer ib = inputRank.get(rb.name());
                if (ia != null && ib != null) return Integer.compare(ia, ib);
                return NaturalOrder.INSTANCE.compare(ra.name(), rb.name());
            }
            return 0; // stable sort keeps the rest as Symja gave it
        }

        private int rank(Expr f) {
            if (f instanceof Expr.Num) return 0;
            Expr base = f instanceof Expr.Power p ? p.base() : f;
            if (base instanceof Expr.Ref r) return inputRank.containsKey(r.name()) ? 3 : 1;
            return 2;
        }
    }
}
