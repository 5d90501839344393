package dev.netsym.proof;

import dev.netsym.calculus.DecimalArithmetic;
import dev.netsym.calculus.ExactArithmetic;
import dev.netsym.calculus.GradientDescentSimulation;
import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * How far discrete optimisers move a conservation law h, measured by runs from one random
 * start, each at two learning rates ten times apart, so that the order of the drift shows:
 * plain gradient descent (one step, exact; the change must equal η²·Σ q·g_i·g_j, since
 * ⟨∇h, g⟩ = 0), heavy-ball momentum (two steps, exact) and Adam (one step, in decimals).
 *
 * @param rate            the larger learning rate of gradient descent and momentum (the other is a tenth)
 * @param descent         h after − h before one gradient descent step, at rate and at rate/10
 * @param matchesFormula  whether both equal η²·Σ q·g_i·g_j exactly
 * @param momentum        the change over two heavy-ball steps (β = 9/10), at rate and at rate/10
 * @param adamRate        the larger learning rate of Adam
 * @param adam            the change over one Adam step, at adamRate and at adamRate/10
 * @param samples         how many samples the runs use (the spec's data, or drawn)
 */
public record LawDrift(Rational rate, Rational[] descent, boolean matchesFormula, Rational[] momentum,
        Rational adamRate, BigDecimal[] adam, int samples) {

    public static final Rational MOMENTUM = Rational.of(9, 10);
    private static final int ATTEMPTS = 20;
    private static final MathContext DIGITS = new MathContext(40);

    /** The runs for {@code law}, or empty if no random start stays off every kink. */
    static Optional<LawDrift> measure(Network network, Tape tape, RegionEvaluator evaluator, ConservationLaws.Law law,
            Random random) {
        ExactArithmetic exact = new ExactArithmetic();
        List<Rational[]> samples = new ArrayList<>();
        for (Sample s : network.data()) samples.add(tape.dataValues(exact, s));
        if (samples.isEmpty()) {
            for (int k = 0; k < 3; k++) {
                Rational[] data = new Rational[tape.dataNames().size()];
                for (int j = 0; j < data.length; j++) data[j] = Rational.of(random.nextInt(7) - 3);
                samples.add(data);
            }
        }
        // A start where the law's drift happens to vanish (a = ±b for a^2 - b^2) shows nothing:
        // take the first start off every kink where one step moves h, else the last one off them.
        Rational rate = Rational.of(1, 100);
        Rational small = Rational.of(1, 1000);
        Rational[] chosen = null;
        Rational change = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Rational[] start = new Rational[tape.parameterCount()];
            for (int i = 0; i < start.length; i++) start[i] = Rational.of(random.nextInt(19) - 9, 4);
            boolean offKinks = true;
            for (Rational[] data : samples) offKinks &= evaluator.pieces(start, data).isPresent();
            if (!offKinks) continue;
            chosen = start;
            change = descentChange(tape, law, start, samples, rate);
            if (change.signum() != 0) break;
        }
        if (chosen == null) return Optional.empty();
        Rational[] descent = {change, descentChange(tape, law, chosen, samples, small)};
        boolean matches = descent[0].equals(formula(tape, law, chosen, samples, rate))
                && descent[1].equals(formula(tape, law, chosen, samples, small));
        Rational[] momentum = {momentumChange(tape, law, chosen, samples, rate), momentumChange(tape, law, chosen, samples, small)};
        BigDecimal[] adam = {adamChange(tape, law, chosen, samples, rate), adamChange(tape, law, chosen, samples, small)};
        return Optional.of(new LawDrift(rate, descent, matches, momentum, rate, adam, samples.size()));
    }

    private static Rational[] gradient(Tape tape, Rational[] theta, List<Rational[]> samples) {
        ExactArithmetic exact = new ExactArithmetic();
        Rational[] g = new Rational[theta.length];
        java.util.Arrays.fill(g, Rational.ZERO);
        for (Rational[] data : samples) {
            Rational[] gs = tape.gradient(exact, theta, data);
            for (int i = 0; i < g.length; i++) g[i] = g[i].add(gs[i]);
        }
        return g;
    }

    private static Rational[] step(Rational[] theta, Rational[] direction, Rational rate) {
        Rational[] next = new Rational[theta.length];
        for (int i = 0; i < theta.length; i++) next[i] = theta[i].subtract(rate.multiply(direction[i]));
        return next;
    }

    private static Rational descentChange(Tape tape, ConservationLaws.Law law, Rational[] start, List<Rational[]> samples,
            Rational rate) {
        Rational[] next = step(start, gradient(tape, start, samples), rate);
        return value(tape, law, next).subtract(value(tape, law, start));
    }

    /**
     * The parts of order η² and up of h(θ − η·g) − h(θ): what one step must change h by when
     * ⟨∇h, g⟩ = 0 (η²·Σ q·g_i·g_j for a law of degree 2).
     */
    private static Rational formula(Tape tape, ConservationLaws.Law law, Rational[] start, List<Rational[]> samples,
            Rational rate) {
        Rational[] g = gradient(tape, start, samples);
        Rational sum = Rational.ZERO;
        for (ConservationLaws.Term t : law.terms()) {
            Rational moved = t.coefficient();
            Rational still = t.coefficient();
            Rational firstOrder = Rational.ZERO;
            for (int f = 0; f < t.degree(); f++) {
                int i = tape.parameterIndex(t.factors().get(f));
                moved = moved.multiply(start[i].subtract(rate.multiply(g[i])));
                Rational others = t.coefficient().multiply(g[i]);
                for (int o = 0; o < t.degree(); o++) {
                    if (o != f) others = others.multiply(start[tape.parameterIndex(t.factors().get(o))]);
                }
                firstOrder = firstOrder.add(others);
                still = still.multiply(start[i]);
            }
            sum = sum.add(moved.subtract(still).add(rate.multiply(firstOrder)));
        }
        return sum;
    }

    private static Rational momentumChange(Tape tape, ConservationLaws.Law law, Rational[] start, List<Rational[]> samples,
            Rational rate) {
        Rational[] velocity = gradient(tape, start, samples);
        Rational[] theta = step(start, velocity, rate);
        Rational[] g = gradient(tape, theta, samples);
        for (int i = 0; i < velocity.length; i++) velocity[i] = MOMENTUM.multiply(velocity[i]).add(g[i]);
        theta = step(theta, velocity, rate);
        return value(tape, law, theta).subtract(value(tape, law, start));
    }

    private static BigDecimal adamChange(Tape tape, ConservationLaws.Law law, Rational[] start, List<Rational[]> samples,
            Rational rate) {
        DecimalArithmetic decimals = new DecimalArithmetic(0, DIGITS);
        GradientDescentSimulation<BigDecimal> adam = new GradientDescentSimulation<>(tape, decimals,
                StepRule.plain(tape.parameterCount()).withAdam(true));
        BigDecimal[] theta = new BigDecimal[start.length];
        for (int i = 0; i < theta.length; i++) theta[i] = decimals.fromRational(start[i]);
        List<BigDecimal[]> data = new ArrayList<>();
        for (Rational[] s : samples) {
            BigDecimal[] d = new BigDecimal[s.length];
            for (int j = 0; j < d.length; j++) d[j] = decimals.fromRational(s[j]);
            data.add(d);
        }
        BigDecimal[] after = adam.run(theta, data, decimals.fromRational(rate), 1).values(1);
        return decimalValue(tape, law, after).subtract(decimalValue(tape, law, theta), DIGITS);
    }

    private static Rational value(Tape tape, ConservationLaws.Law law, Rational[] theta) {
        Rational h = Rational.ZERO;
        for (ConservationLaws.Term t : law.terms()) {
            Rational term = t.coefficient();
            for (String f : t.factors()) term = term.multiply(theta[tape.parameterIndex(f)]);
            h = h.add(term);
        }
        return h;
    }

    private static BigDecimal decimalValue(Tape tape, ConservationLaws.Law law, BigDecimal[] theta) {
        BigDecimal h = BigDecimal.ZERO;
        for (ConservationLaws.Term t : law.terms()) {
            BigDecimal term = t.coefficient().toBigDecimal(DIGITS);
            for (String f : t.factors()) term = term.multiply(theta[tape.parameterIndex(f)], DIGITS);
            h = h.add(term, DIGITS);
        }
        return h;
    }
}
