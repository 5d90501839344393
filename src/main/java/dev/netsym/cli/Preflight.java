package dev.netsym.cli;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.DecimalArithmetic;
import dev.netsym.calculus.DoubleDoubleArithmetic;
import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import dev.netsym.model.Unit;
import dev.netsym.model.WrittenOutSize;
import java.io.PrintWriter;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Checks that a spec which the front end accepts can be computed with, before any command
 * that computes starts: expressions not nested too deeply for the recursive algorithms
 * (and Symja) behind derive, prove, latex and dot, and a network that is defined somewhere.
 * Both are faults of the spec, reported as errors with exit code 65 instead of a stack
 * overflow or a division by zero deep inside.
 */
final class Preflight {
    /**
     * The deepest expression netsym computes with. Brackets are limited to 200 by the front
     * end; unary minus and '^' chains have no brackets and are caught here. Symja's recursion
     * limit (4096) and the default 1 MB thread stacks of the recursive walks stay far away.
     */
    static final int MAX_DEPTH = 400;
    private static final int ATTEMPTS = 24;
    private static final int QUICK_ATTEMPTS = 4;

    private Preflight() {}

    static void check(Network network, String file, PrintWriter err) throws SpecInput.Failure {
        Map<Expr, Integer> depths = new IdentityHashMap<>();
        for (Unit u : network.units()) {
            int depth = depth(u.definition(), depths);
            if (depth > MAX_DEPTH) {
                fail(err, file + ":" + u.pos() + ": error: " + u.name() + " is nested " + depth
                        + " levels deep, more than the " + MAX_DEPTH + " netsym computes with; split it into units");
            }
        }
        int depth = depth(network.objective(), depths);
        if (depth > MAX_DEPTH) {
            fail(err, file + ": error: the objective is nested " + depth + " levels deep, more than the "
                    + MAX_DEPTH + " netsym computes with; split it into units");
        }
        String undefined = undefinedEverywhere(network);
        if (undefined != null) {
            fail(err, file + ": error: the network has no value at any of " + ATTEMPTS + " random points ("
                    + undefined + "): a denominator is always 0 or a log's argument never positive,"
                    + " as in w/(v - v), log(w - w) or x^-1 with data x = 0");
        }
    }

    /**
     * derive, latex and laws work on every expression written out as a tree: a network whose
     * shared values, copied into each use, pass {@link WrittenOutSize#LIMIT} is refused at the
     * unit where the count passes it, instead of printing (or running out of memory) for hours.
     */
    static void requireWrittenOut(Network network, String file, PrintWriter err) throws SpecInput.Failure {
        int past = WrittenOutSize.operations(WrittenOutSize.LIMIT).passesCapAt(network);
        if (past < 0) return;
        String where = file + ": error: written out, the units and the objective";
        if (past < network.units().size()) {
            Unit u = network.units().get(past);
            where = file + ":" + u.pos() + ": error: written out, the units up to " + u.name();
        }
        fail(err, where + " have more than " + WrittenOutSize.LIMIT + " operations: a value used in many places"
                + " (a matrix product's operand) is copied into each use, and nesting multiplies the copies. derive,"
                + " latex and laws write every expression out; prove and simulate compute with each value once."
                + " To write them out, give inner products units of their own (h1 = tanh(x @ W1), then"
                + " h2 = tanh(h1 @ W2)).");
    }

    private static void fail(PrintWriter err, String message) throws SpecInput.Failure {
        err.println(message);
        err.flush();
        throw new SpecInput.Failure(ExitCodes.BAD_SPEC);
    }

    /**
     * Nesting depth, iteratively (the input may be tens of thousands deep). {@code depths}
     * remembers every object measured, so a value shared by many units is measured once.
     */
    private static int depth(Expr root, Map<Expr, Integer> depths) {
        return Expr.fold(root, depths, e -> e.children().isEmpty() ? 1 : 2, (e, depthOf) -> {
            int deepest = 0;
            for (Expr c : e.children()) deepest = Math.max(deepest, depthOf.apply(c));
            return deepest + 1;
        });
    }

    /**
     * The error of the last attempt when the objective and its gradient cannot be evaluated
     * at any of a few random points (half of them with every value positive, for logs), or
     * null as soon as one point works. With data lines, the data are used as they are.
     */
    private static String undefinedEverywhere(Network network) {
        if (definedEverywhere(network)) return null;
        Tape tape = Tape.compile(network);
        // Double-doubles first, at values of size 1/√(widest sum) as the proof draws them: on a large
        // network milliseconds where 30-digit decimals take seconds. They overflow where decimals do
        // not (e^x past x ≈ 709), so only a success of theirs decides.
        Rational small = Rational.of(1, (long) Math.ceil(Math.sqrt(tape.widestSum())));
        if (lastError(network, tape, new DoubleDoubleArithmetic(7L), small, QUICK_ATTEMPTS) == null) return null;
        // 30 digits are plenty to evaluate once; exact arithmetic could grow without bound.
        return lastError(network, tape, new DecimalArithmetic(7L, new MathContext(30, RoundingMode.HALF_EVEN)), Rational.ONE,
                ATTEMPTS);
    }

    /** Null as soon as one of {@code attempts} random points evaluates, else the last attempt's error. */
    private static <T> String lastError(Network network, Tape tape, Arithmetic<T> arithmetic, Rational scale, int attempts) {
        if (!arithmetic.supports(tape)) return null;
        SplittableRandom random = new SplittableRandom(2024L);
        String last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            RandomPoint<T> values = new RandomPoint<>(arithmetic, random, attempt % 2 == 0, scale);
            List<T[]> samples = new ArrayList<>();
            if (network.data().isEmpty()) {
                samples.add(values.fill(tape.dataNames().size()));
            } else {
                for (Sample s : network.data()) samples.add(tape.dataValues(arithmetic, s));
            }
            try {
                T[] parameters = values.fill(tape.parameterCount());
                for (T[] data : samples) tape.gradient(arithmetic, parameters, data);
                return null;
            } catch (ArithmeticException e) {
                last = e.getMessage();
            }
        }
        return last;
    }

    /**
     * Whether every expression is defined at every point by its form alone: no division, no
     * function that is not defined everywhere (log, exp, which overflows: see
     * {@link Builtin#definedEverywhere()}), no power that is not a non-negative integer. Such networks,
     * dense tanh networks among them, need no evaluation here, which on a million weights
     * would cost seconds.
     */
    static boolean definedEverywhere(Network network) {
        Deque<Expr> todo = new ArrayDeque<>();
        Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        todo.push(network.objective());
        for (Unit u : network.units()) todo.push(u.definition());
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if (!e.isFlat() && !seen.add(e)) continue;
            if (e instanceof Expr.Quotient) return false;
            if (e instanceof Expr.Power p && !(p.exponent() instanceof Expr.Num n
                    && n.value().isInteger() && n.value().signum() >= 0)) {
                return false;
            }
            if (e instanceof Expr.Call c && Builtin.byName(c.function()).map(b -> !b.definedEverywhere()).orElse(false)) {
                return false;
            }
            for (Expr child : e.children()) todo.push(child);
        }
        return true;
    }

    /** Random small rationals away from 0, times {@code scale}. */
    private record RandomPoint<T>(Arithmetic<T> arithmetic, SplittableRandom random, boolean positive, Rational scale) {
        T[] fill(int n) {
            T[] values = arithmetic.newArray(n);
            for (int i = 0; i < n; i++) {
                long numerator = 1 + random.nextInt(9);
                if (!positive && random.nextBoolean()) numerator = -numerator;
                values[i] = arithmetic.fromRational(Rational.of(numerator, 1 + random.nextInt(7)).multiply(scale));
            }
            return values;
        }
    }
}
