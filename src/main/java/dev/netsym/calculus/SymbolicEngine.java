package dev.netsym.calculus;

import dev.netsym.model.Expr;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.expression.S;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IASTAppendable;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.INumber;
import org.matheclipse.core.interfaces.ISymbol;

/**
 * The project's only door to Symja. One instance owns one Symja engine, which lives on one
 * dedicated daemon thread with a large stack (Symja recurses deeply and an engine belongs
 * to one thread). Every operation is bounded in time: past the limit it answers
 * "unknown" instead of hanging. Close it when done.
 */
public final class SymbolicEngine implements AutoCloseable {

    static {
        // Must happen before F loads: otherwise JAS starts a thread pool that keeps the JVM
        // alive for about a minute after main returns.
        Config.JAS_NO_THREADS = true;
        // Defence in depth: netsym only ever evaluates expressions it built itself (see
        // ALLOWED_HEADS), but should anything slip through, Symja's file functions (Put, Get,
        // Export, OpenWrite, ReadString, ...) and its Java bridge (JavaNew, LoadJavaClass)
        // stay off. These are the defaults of 3.0.0; they are set here so that no other code
        // in the JVM can have turned them on for us.
        Config.FILESYSTEM_ENABLED = false;
        Config.JAVA_UNSAFE = false;
    }

    /**
     * The only functions netsym asks Symja to evaluate. Symja has built-ins with effects that
     * no flag turns off (URLFetch, Compile, Pause, Input, Print, QuitExit): an expression
     * with any other head is refused before it reaches the evaluator. User names never
     * become heads of their own: they are mangled dummy symbols (SymbolicTranslator).
     */
    private static final Set<ISymbol> ALLOWED_HEADS = Set.of(
            S.Plus, S.Times, S.Power, S.Tanh, S.LogisticSigmoid, S.Log, S.Exp, S.Sin, S.Piecewise,
            S.List, S.Greater, S.Less, S.LessEqual, S.Equal, S.Rule, S.ReplaceAll, S.Function, S.Slot,
            S.D, S.Derivative, S.N, S.Expand, S.Factor, S.Simplify, S.Together, S.Numerator, S.Denominator, S.Solve);

    /**
     * Loading Symja (thousands of classes, and F's static set-up of its built-ins: rule tables,
     * logging, formats) is most of a small spec's run. A command that will need an engine
     * starts it here first thing, on a thread of its own, so that it overlaps reading and
     * checking the spec; the first engine then waits for what is left. A nested class, so that
     * calling it does not load Symja on the caller's thread.
     */
    public static final class Loading {
        private Loading() {}

        public static void startInBackground() {
            Thread t = new Thread(null, Loading::load, "netsym-symja-loading", STACK_BYTES);
            t.setDaemon(true); // a run that ends early (bad spec, big network) does not wait for it
            t.start();
        }

        private static void load() {
            try {
                // Class initialisation only, which the JVM makes safe across threads: this class's
                // first (it sets Symja's global switches), then F's, which builds Symja's built-ins.
                for (Class<?> c : List.of(SymbolicEngine.class, F.class)) {
                    Class.forName(c.getName(), true, c.getClassLoader());
                }
            } catch (Throwable failed) {
                // The first engine meets the same failure on its own thread and reports it there.
            }
        }
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final long STACK_BYTES = 512L << 20;
    private static final Duration GRACE = Duration.ofMillis(500);
    /** A bound on waiting for Symja's class loading, which takes seconds on a loaded machine. */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);
    private static final int RANDOM_POINTS = 3;

    private final Duration timeout;
    private final SymbolicTranslator translator = new SymbolicTranslator();
    private final Random random = new Random(20240611L);
    private ExecutorService worker;
    private volatile Thread workerThread;
    private volatile EvalEngine engine;
    /** Symja's one-off loading: a call's time limit starts after it, not behind it in the queue. */
    private Future<?> warmedUp;

    public SymbolicEngine() { this(DEFAULT_TIMEOUT); }

    public SymbolicEngine(Duration timeoutPerCall) {
        this.timeout = timeoutPerCall;
        startWorker();
        warmUp();
    }

    /**
     * Loading Symja (thousands of classes) takes longer than a small proof's numeric search:
     * the engine thread starts it at once, so that it overlaps what the caller does meanwhile.
     */
    private void warmUp() {
        warmedUp = worker.submit(() -> {
            EvalEngine e = engineOnThisThread();
            ISymbol a = F.Dummy("a");
            ISymbol b = F.Dummy("b");
            e.evaluate(F.Together(F.Plus(F.Expand(F.Sqr(F.Plus(a, b))), F.Power(a, F.CN1))));
            return null;
        });
    }

    public Duration timeout() { return timeout; }

    /** How many calls so far were stopped by the per-call time limit: a caller tells "cut short" from "undecidable". */
    public int timeLimitsReached() { return timeLimitsReached; }

    private int timeLimitsReached;

    private void startWorker() {
        worker = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(null, task, "netsym-symja", STACK_BYTES);
            t.setDaemon(true); // an abandoned, runaway evaluation must not keep the JVM alive
            workerThread = t;
            return t;
        });
        engine = null;
    }

    private EvalEngine engineOnThisThread() {
        if (engine == null) {
            EvalEngine e = newEvalEngine();
            EvalEngine.set(e);
            engine = e;
        }
        return engine;
    }

    /** A Symja engine as netsym configures it: silent, bounded recursion, no file access. */
    static EvalEngine newEvalEngine() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        EvalEngine e = new EvalEngine("netsym", 4096, 100_000, nowhere, nowhere, true);
        e.setQuietMode(true);
        e.setFileSystemEnabled(false);
        return e;
    }

    /**
     * Runs one piece of Symja work on the engine thread within the time limit. On timeout
     * it asks Symja to stop; if Symja does not listen, the thread is abandoned (it is a
     * daemon) and a fresh engine takes over.
     */
    private <T> SymbolicResult<T> run(String what, Callable<T> work) {
        String blocked = Abandoned.blocking();
        if (blocked != null) return SymbolicResult.unknown(what + ": " + blocked);
        awaitWarmUp();
        Future<T> future = worker.submit(() -> {
            EvalEngine e = engineOnThisThread();
            e.setStopRequested(false);
            return work.call();
        });
        try {
            return SymbolicResult.known(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException timedOut) {
            timeLimitsReached++;
            EvalEngine e = engine;
            if (e != null) e.stopRequest();
            try {
                future.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception stillRunningOrStopped) {
                if (!future.isDone()) {
                    future.cancel(true);
                    worker.shutdownNow();
                    Abandoned.add(workerThread);
                    startWorker();
                }
            }
            return SymbolicResult.unknown(what + ": time limit of " + timeout.toMillis() + " ms reached");
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            return SymbolicResult.unknown(what + ": " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return SymbolicResult.unknown(what + ": interrupted");
        }
    }

    /**
     * Evaluations that ignored the stop request and were left running. Symja evaluates a
     * built-in's rules while holding that built-in symbol's monitor (Times, Power, ...), which
     * every engine in the JVM shares: while a runaway holds one, any new evaluation waits for
     * its whole time limit and learns nothing. So, while that lasts, calls answer "unknown" at
     * once; when the runaway lets go or ends, evaluation resumes.
     */
    static final class Abandoned {
        private static final List<Thread> THREADS = new ArrayList<>();
        private static final java.lang.management.ThreadMXBean THREAD_BEAN =
                java.lang.management.ManagementFactory.getThreadMXBean();

        private Abandoned() {}

        static synchronized void add(Thread thread) {
            if (thread != null) THREADS.add(thread);
        }

        /** Why evaluation cannot go on now, or null when it can. */
        static synchronized String blocking() {
            THREADS.removeIf(t -> !t.isAlive());
            for (Thread t : THREADS) {
                java.lang.management.ThreadInfo info = THREAD_BEAN.getThreadInfo(new long[] {t.getId()}, true, false)[0];
                if (info != null && info.getLockedMonitors().length > 0) {
                    return "Symja is held up by an earlier evaluation that did not stop at its time limit";
                }
            }
            return null;
        }
    }

    private void awaitWarmUp() {
        try {
            warmedUp.get(WARM_UP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException ignored) {
            // The call's own time limit still applies.
        }
    }

    /**
     * Evaluates on the engine thread; Symja answers $Aborted or Hold(...) instead of throwing.
     * An undefined value anywhere in the result (1/0 gives ComplexInfinity, 0/0 Indeterminate)
     * makes the answer unknown: Symja would otherwise go on to, say, differentiate it to 0.
     */
    private IExpr eval(IExpr e) {
        requireAllowed(e);
        IExpr result = engineOnThisThread().evaluate(e);
        if (result == S.$Aborted || result.isAST(S.Hold) || result.isIndeterminate()) {
            throw new SymbolicTranslator.UntranslatableException("evaluation gave " + result.head());
        }
        if (!result.isFree(x -> x.isIndeterminate() || x.isDirectedInfinity() || x == S.ComplexInfinity, true)) {
            throw new SymbolicTranslator.UntranslatableException("the value is undefined (a division by zero)");
        }
        return result;
    }

    /** Refuses any function outside ALLOWED_HEADS and the translator's own dummies; iterative, for deep input. */
    private void requireAllowed(IExpr e) {
        Deque<IExpr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            IExpr x = todo.pop();
            if (!(x instanceof IAST ast)) continue;
            IExpr head = ast.head();
            if (head instanceof ISymbol symbol) {
                if (!ALLOWED_HEADS.contains(symbol) && !translator.isOwnFunction(symbol)) {
                    throw new RefusedException("netsym does not evaluate " + symbol);
                }
            } else {
                todo.push(head);
            }
            for (IExpr arg : ast) todo.push(arg);
        }
    }

    /** An expression netsym will not hand to Symja's evaluator. */
    static final class RefusedException extends RuntimeException {
        RefusedException(String message) { super(message); }
    }

    /**
     * Evaluates an expression built by the caller, under the same guard as every other
     * evaluation. For tests of that guard: netsym itself only evaluates model expressions.
     */
    SymbolicResult<IExpr> evaluateSymja(IExpr e) {
        return run("evaluate", () -> eval(e));
    }

    private SymbolicResult<Expr> transform(String what, Expr e, java.util.function.UnaryOperator<IExpr> op) {
        return run(what, () -> settled(eval(op.apply(translator.toSymja(e)))));
    }

    /**
     * The model form of a result. Where the translator folded a call Symja keeps opaque (abs′(0)
     * is 0, max(a, a) is a), the folded form is evaluated again, a few times at most, so that
     * a·a becomes a².
     */
    private Expr settled(IExpr result) {
        translator.takeFolds();
        Expr e = translator.toModel(result);
        for (int round = 0; round < 3 && translator.takeFolds() > 0; round++) {
            e = translator.toModel(eval(translator.toSymja(e)));
        }
        translator.takeFolds();
        return e;
    }

    /** The model expression after Symja's own evaluation (its canonical form). */
    public SymbolicResult<Expr> evaluate(Expr e) { return transform("evaluate", e, x -> x); }

    /** ∂e/∂name; a generic activation f gives f'(z) (a DerivativeCall). */
    public SymbolicResult<Expr> differentiate(Expr e, String name) {
        return run("differentiate", () -> settled(eval(F.D(translator.toSymja(e), translator.variable(name)))));
    }

    /** Replaces every name in the map at once (not one after another), then evaluates. */
    public SymbolicResult<Expr> substitute(Expr e, Map<String, Expr> values) {
        return run("substitute", () -> {
            IASTAppendable rules = F.ListAlloc(values.size());
            values.forEach((name, value) ->
                    rules.append(F.Rule(translator.variable(name), translator.toSymja(value))));
            return settled(eval(F.ReplaceAll(translator.toSymja(e), rules)));
        });
    }

    public SymbolicResult<Expr> expand(Expr e) { return transform("expand", e, F::Expand); }

    /**
     * Simplify's rewrites only pay on small expressions: on the gradients of a 17-parameter
     * tanh network (size 56–130) they took 0.3–0.8 s a call, nearly all of derive's time, to
     * save a tenth of the size. In every example Simplify wins only at size 50 or below.
     */
    static final int MAX_SIMPLIFY_SIZE = 50;

    /**
     * Factor first brings a sum over a common denominator (Together), which multiplies out
     * every sum in a denominator: on a softmax's gradients (size 280, (Σ exp)² below) each
     * call ran into the 10 s limit. Without such denominators it stays cheap up to the
     * derivation's size bound.
     */
    static final int MAX_FACTOR_SIZE_OVER_SUMS = 60;

    /** Symja's Simplify; not attempted (unknown) past {@link #MAX_SIMPLIFY_SIZE}. */
    public SymbolicResult<Expr> simplify(Expr e) {
        int size = size(e);
        if (size > MAX_SIMPLIFY_SIZE) return SymbolicResult.unknown("simplify: size " + size + " is too big to try");
        return transform("simplify", e, F::Simplify);
    }

    /**
     * Symja's Factor, or the input when factoring makes it no shorter (Factor can add noise);
     * not attempted (unknown) on an expression with a sum in a denominator past
     * {@link #MAX_FACTOR_SIZE_OVER_SUMS}.
     */
    public SymbolicResult<Expr> factor(Expr e) {
        int size = size(e);
        if (size > MAX_FACTOR_SIZE_OVER_SUMS && hasSumInDenominator(e)) {
            return SymbolicResult.unknown("factor: size " + size + " over a sum in a denominator is too big to try");
        }
        return transform("factor", e, F::Factor).map(f -> size(f) < size ? f : e);
    }

    /** Whether a quotient or a negative power has a sum below it; iterative, for deep input. */
    static boolean hasSumInDenominator(Expr e) {
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            Expr denominator = x instanceof Expr.Quotient q ? q.denominator()
                    : x instanceof Expr.Power p && p.exponent() instanceof Expr.Num n && n.value().signum() < 0 ? p.base()
                    : x instanceof Expr.Power p && p.exponent() instanceof Expr.Neg ? p.base()
                    : null;
            if (denominator != null && containsSum(denominator)) return true;
            for (Expr child : x.children()) todo.push(child);
        }
        return false;
    }

    private static boolean containsSum(Expr e) {
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.Sum) return true;
            for (Expr child : x.children()) todo.push(child);
        }
        return false;
    }

    /**
     * The smallest of: e as given, its expansion, its factorisation, its simplification.
     * Each attempt is bounded in time; attempts that fail are skipped.
     */
    public Expr shortest(Expr e) {
        Expr best = e;
        for (SymbolicResult<Expr> candidate : List.of(expand(e), factor(e), simplify(e))) {
            if (candidate.isKnown() && size(candidate.value()) < size(best)) best = candidate.value();
        }
        return best;
    }

    /** Whether e is identically 0; see {@link #isZeroWithReason}. */
    public SymbolicVerdict isZero(Expr e) { return isZeroWithReason(e).verdict(); }

    /**
     * Whether e is identically 0, and why. Random points find a non-zero fast (exact
     * rationals, high-precision numbers for transcendental values). A zero is proved by
     * Symja's evaluation, then by the exp-log form ({@link ExpLogForm}: elementary functions
     * as exponentials and logarithms of common atoms, a rational function that Together
     * reduces), then by Expand, Together and Simplify; each bounded in time. PossibleZeroQ is
     * not used: it can be wrong and slow.
     */
    public ZeroTest isZeroWithReason(Expr e) {
        SymbolicResult<Boolean> nonZeroSomewhere = run("random-point test", () -> nonZeroAtRandomPoint(e));
        if (nonZeroSomewhere.isKnown() && nonZeroSomewhere.value()) {
            return new ZeroTest(SymbolicVerdict.NONZERO, "it is not 0 at a random rational point", List.of());
        }
        if (reducesToZero(e, x -> x)) return ZeroTest.zero("Symja's evaluation gives 0");
        SymbolicResult<ZeroTest> expLog = run("exp-log zero test", () -> expLogZeroTest(e));
        if (expLog.isKnown() && expLog.value().verdict() == SymbolicVerdict.ZERO) return expLog.value();
        if (reducesToZero(e, F::Expand)) return ZeroTest.zero("Symja's Expand reduces it to 0");
        if (reducesToZero(e, F::Together)) return ZeroTest.zero("Symja's Together reduces it to 0");
        if (reducesToZero(e, F::Simplify)) return ZeroTest.zero("Symja's Simplify reduces it to 0");
        return new ZeroTest(SymbolicVerdict.UNKNOWN, "no reduction to 0 within the time limits", List.of());
    }

    private boolean reducesToZero(Expr e, UnaryOperator<IExpr> reduction) {
        SymbolicResult<Boolean> zero = run("zero test", () -> eval(reduction.apply(translator.toSymja(e))).isZero());
        return zero.isKnown() && zero.value();
    }

    /** ZERO when the exp-log form of e is the zero rational function; UNKNOWN otherwise. */
    private ZeroTest expLogZeroTest(Expr e) {
        ExpLogForm.Result form = new ExpLogForm(this::eval).rewrite(eval(translator.toSymja(e)));
        if (!eval(F.Together(form.rational())).isZero()) {
            return new ZeroTest(SymbolicVerdict.UNKNOWN, "its exp-log form is not the zero rational function", List.of());
        }
        List<Expr> atoms = new ArrayList<>();
        for (IExpr atom : form.exponentials()) modelForm(atom).ifPresent(atoms::add);
        for (IExpr atom : form.logarithms()) modelForm(atom).ifPresent(atoms::add);
        return new ZeroTest(SymbolicVerdict.ZERO, ExpLogForm.ARGUMENT, atoms);
    }

    /** The exp-log test alone, without the random points before it: for tests of its soundness. */
    ZeroTest expLogZeroTestForTests(Expr e) {
        SymbolicResult<ZeroTest> r = run("exp-log zero test", () -> expLogZeroTest(e));
        return r.isKnown() ? r.value() : new ZeroTest(SymbolicVerdict.UNKNOWN, r.unknownReason(), List.of());
    }

    /** The atom as a model expression, or empty (the logarithm of a number has none). */
    private Optional<Expr> modelForm(IExpr atom) {
        try {
            return Optional.of(translator.toModel(eval(atom)));
        } catch (SymbolicTranslator.UntranslatableException noModelForm) {
            return Optional.empty();
        }
    }

    private boolean nonZeroAtRandomPoint(Expr e) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> functions = new LinkedHashSet<>();
        collectNames(e, names, functions);
        IExpr symja = translator.toSymja(e);
        for (int point = 0; point < RANDOM_POINTS; point++) {
            IASTAppendable rules = F.ListAlloc(names.size() + functions.size());
            for (String name : names) {
                rules.append(F.Rule(translator.variable(name), randomRational()));
            }
            for (String f : functions) {
                // A concrete smooth function: non-zero for it means not zero for every f.
                IExpr slot = F.Slot1;
                IExpr body = F.Plus(F.Sin(slot), F.Times(randomRational(), F.Sqr(slot)));
                rules.append(F.Rule(translator.functionSymbol(f), F.Function(body)));
            }
            IExpr value = eval(F.ReplaceAll(symja, rules));
            if (value.isRational()) {
                if (!value.isZero()) return true;
                continue;
            }
            IExpr numeric = eval(F.N(value, F.ZZ(40)));
            if (numeric instanceof INumber n && !n.isComplex()
                    && Math.abs(n.reDoubleValue()) > 1e-12) {
                return true;
            }
        }
        return false;
    }

    private IExpr randomRational() {
        int numerator = random.nextInt(17) - 8;
        if (numerator == 0) numerator = 3;
        return F.QQ(numerator, 1 + random.nextInt(6));
    }

    /**
     * The real roots of polynomial = 0 in one symbol (exact, e.g. 1/2 or 2^(1/2)), or unknown.
     */
    public SymbolicResult<List<Expr>> solveRealRoots(Expr polynomial, String symbol) {
        return run("solve", () -> {
            ISymbol x = translator.variable(symbol);
            IExpr solutions = eval(F.ternaryAST3(S.Solve, F.Equal(translator.toSymja(polynomial), F.C0), x, S.Reals));
            List<Expr> roots = new ArrayList<>();
            if (!solutions.isList()) throw new SymbolicTranslator.UntranslatableException("no solution list");
            for (IExpr solution : (IAST) solutions) {
                if (!solution.isList() || ((IAST) solution).argSize() != 1) {
                    throw new SymbolicTranslator.UntranslatableException("unexpected solution " + solution);
                }
                IExpr rule = ((IAST) solution).arg1();
                Expr root = translator.toModel(((IAST) rule).arg2());
                if (!roots.contains(root)) roots.add(root);
            }
            return roots;
        });
    }

    /**
     * Roughly the printed length in symbols: leaves plus one per operator between operands.
     * The measure of "shorter" and of the size bounds.
     */
    public static int size(Expr e) {
        // Iterative: a spec may nest an expression tens of thousands deep (x^x^x^...).
        long total = 0;
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            List<Expr> children = x.children();
            total += (x instanceof Expr.Sum || x instanceof Expr.Product) ? Math.max(0, children.size() - 1) : 1;
            for (Expr child : children) todo.push(child);
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }


    private static void collectNames(Expr e, Set<String> names, Set<String> functions) {
        if (e instanceof Expr.Ref r) names.add(r.name());
        if (e instanceof Expr.Call c && dev.netsym.model.Builtin.byName(c.function()).isEmpty()) {
            functions.add(c.function());
        }
        if (e instanceof Expr.DerivativeCall d && dev.netsym.model.Builtin.byName(d.function()).isEmpty()) {
            functions.add(d.function());
        }
        for (Expr child : e.children()) collectNames(child, names, functions);
    }

    /** Stops the engine thread; the JVM can then exit at once. */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
