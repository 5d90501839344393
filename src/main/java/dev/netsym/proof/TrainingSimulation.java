package dev.netsym.proof;

import dev.netsym.calculus.DoubleArithmetic;
import dev.netsym.calculus.GradientDescentSimulation;
import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.calculus.TensorTape;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code netsym simulate} computes: full-batch gradient descent (at the spec's learning rates,
 * with decay for AdamW) in doubles, once from
 * the spec's initialisation and once from an independent random one, on the spec's data or on
 * seeded random samples. The run from the spec's start is checked at every step against the
 * proof: every class stays equal and every frozen parameter stays put. The proof says so for
 * every data set and learning rate, so a run that broke it would show a bug in netsym.
 */
public final class TrainingSimulation {
    /** At most this many iterates are kept for drawing; the check sees every step. */
    static final int MAX_RECORDED = 500;
    /**
     * At most this many parameters are kept for drawing, each class's first member before the
     * others, so that every class shows up: a picture of a million lines says no more, and
     * their trajectories would not fit in memory. The check sees every parameter.
     */
    static final int MAX_DRAWN = 1_000;
    /**
     * How far two values the proof keeps equal may drift apart in doubles, relative to their
     * size (at least 1): room for rounding, far below a real split, which moves values by
     * about a step's size at once.
     */
    public static final double TOLERANCE = 1e-9;
    /**
     * How far a frozen parameter may drift from its start over the whole run, when no single
     * step moves it by more than {@link #TOLERANCE}. Its gradient is 0 as a sum that cancels
     * (a bias before a batch norm), and in doubles the cancellation leaves a residue at every step
     * that adds up over hundreds of steps; a parameter that really moves does so by about a
     * step's size at once.
     */
    public static final double FROZEN_DRIFT = 1e-6;

    /** The λ of decoupled weight decay when the spec names AdamW: PyTorch's default. */
    static final Rational SIMULATED_DECAY = Rational.of(1, 100);

    private TrainingSimulation() {}

    /**
     * @param steps how many steps of gradient descent
     * @param learningRate η, applied to the gradient of the mean objective over the samples
     * @param seed fixes every random draw: initial values, data, generic activations
     * @param samples how many random samples when the spec has no data of its own
     */
    public record Settings(int steps, double learningRate, long seed, int samples) {}

    /**
     * One run of gradient descent.
     *
     * @param drawn the values drawn for the spec's initial-value symbols, in order of first use
     *     (empty for the random start, where every parameter is drawn)
     * @param steps the recorded steps, ascending, from 0 to {@code stepsTaken}
     * @param values per recorded step, the drawn parameters in the order of {@link Result#drawn()}
     * @param loss per recorded step, the objective averaged over the samples
     * @param stopReason why the run ended before the steps asked for, or null
     */
    public record Run(Map<String, Double> drawn, int[] steps, double[][] values, double[] loss, int stepsTaken,
                      String stopReason) {}

    /** A proven equality the run broke: two members of one class, or a frozen parameter and its start. */
    public record Violation(String classSymbol, List<String> parameters, boolean frozen, int step, double first,
                            double second) {}

    /**
     * Both runs and the check of the first.
     *
     * @param drawn the parameters whose trajectories the runs keep, by name, in the order of their values
     * @param initialDeviation the standard deviation of every initial value drawn
     * @param specData whether the samples are the spec's own data lines
     * @param classesChecked classes of two or more parameters that move, each checked to stay equal
     * @param frozenChecked frozen parameters, each checked to stay put
     * @param largestGap the largest relative difference seen inside a class or from a frozen start
     */
    public record Result(Proof proof, Settings settings, List<String> drawn, double initialDeviation, boolean specData, int sampleCount,
                         Run fromSpec, Run fromRandom, int classesChecked, int frozenChecked, double largestGap,
                         List<Violation> violations, String optimiser) {
        public Result {
            drawn = List.copyOf(drawn);
            violations = List.copyOf(violations);
        }

        /** The position of the parameter's values in a run's {@code values}, or −1 when it is not drawn. */
        public int drawnIndex(String parameter) {
            return drawn.indexOf(parameter);
        }
    }

    /** Runs both starts and checks the proof's classes along the first. */
    public static Result run(Proof proof, Settings settings) {
        if (settings.steps() < 1) throw new IllegalArgumentException("at least one step, not " + settings.steps());
        Network network = proof.network();
        Tape tape = Tape.compile(network);
        Parameter[] parameters = Parameters.inTapeOrder(network, tape);
        RandomValues random = new RandomValues(network.assumptions(), settings.seed());
        // Values of size 1/√(fan-in) keep wide sums O(1), as common initialisations do.
        double deviation = 1 / Math.sqrt(tape.widestSum());
        DoubleArithmetic arithmetic = new DoubleArithmetic(settings.seed());
        List<Double[]> samples = samples(network, tape, arithmetic, random, settings.samples());

        Map<String, Double> drawn = new LinkedHashMap<>();
        Double[] specStart = specStart(parameters, random, deviation, drawn);
        Double[] randomStart = new Double[parameters.length];
        for (int p = 0; p < parameters.length; p++) {
            randomStart[p] = random.normal(parameters[p].name(), deviation).doubleValue();
        }

        // The spec's learning rates ('lr' lines) and, for AdamW, decoupled decay at PyTorch's default λ.
        StepRule.Term term = ProofEngine.specTerm(network);
        StepRule rule = ProofEngine.stepRule(network, tape).withTerm(term,
                term == StepRule.Term.NONE ? Rational.ZERO : SIMULATED_DECAY);
        var simulation = new GradientDescentSimulation<>(TensorTape.engineFor(network, tape), arithmetic, rule);
        Checker checker = new Checker(proof, tape, specStart);
        List<String> drawnNames = drawnParameters(proof);
        int[] kept = drawnNames.stream().mapToInt(tape::parameterIndex).toArray();
        Run fromSpec = descend(simulation, specStart, samples, settings, checker, drawn, kept);
        Run fromRandom = descend(simulation, randomStart, samples, settings, null, Map.of(), kept);
        return new Result(proof, settings, drawnNames, deviation, !network.data().isEmpty(), samples.size(), fromSpec,
                fromRandom, checker.classesChecked, checker.frozenChecked, checker.largestGap, checker.violations,
                rule.describe());
    }

    /**
     * The spec's data, else {@code count} samples: inputs standard normal, targets uniform on
     * (0, 1), which keeps the usual losses bounded below (a cross-entropy against negative
     * targets has no minimum, and its run would only diverge).
     */
    private static List<Double[]> samples(Network network, Tape tape, DoubleArithmetic arithmetic,
                                          RandomValues random, int count) {
        List<Double[]> samples = new ArrayList<>();
        if (!network.data().isEmpty()) {
            for (Sample s : network.data()) samples.add(tape.dataValues(arithmetic, s));
            return samples;
        }
        int draws = tape.dataNames().isEmpty() ? 1 : count;
        for (int s = 0; s < draws; s++) {
            Double[] values = new Double[tape.dataNames().size()];
            for (int i = 0; i < values.length; i++) {
                String name = tape.dataNames().get(i);
                boolean target = i >= network.inputs().size();
                values[i] = (target ? random.fraction(name) : random.normal(name, 1)).doubleValue();
            }
            samples.add(values);
        }
        return samples;
    }

    /** Each class's first member, then the other members, at most {@link #MAX_DRAWN}. */
    private static List<String> drawnParameters(Proof proof) {
        List<String> drawn = new ArrayList<>();
        for (ParameterClass c : proof.classes()) {
            if (drawn.size() < MAX_DRAWN) drawn.add(c.members().get(0));
        }
        for (ParameterClass c : proof.classes()) {
            for (String m : c.members().subList(1, c.members().size())) {
                if (drawn.size() < MAX_DRAWN) drawn.add(m);
            }
        }
        return drawn;
    }

    /** Numbers as written, one draw per symbol (times its coefficient, and noted), one per random parameter. */
    private static Double[] specStart(Parameter[] parameters, RandomValues random, double deviation,
                                      Map<String, Double> drawn) {
        Double[] start = new Double[parameters.length];
        Map<String, Rational> symbolValues = new HashMap<>();
        for (int p = 0; p < parameters.length; p++) {
            Init init = parameters[p].init();
            if (init instanceof Init.Numeric numeric) {
                start[p] = numeric.value().doubleValue();
                continue;
            }
            if (init instanceof Init.Symbolic s) {
                Rational value = symbolValues.computeIfAbsent(s.symbol(), name -> {
                    Rational v = random.normal(name, deviation);
                    drawn.put(name, v.doubleValue());
                    return v;
                });
                start[p] = value.multiply(s.coefficient()).doubleValue();
            } else {
                start[p] = random.normal(parameters[p].name(), deviation).doubleValue();
            }
        }
        return start;
    }

    private static Run descend(GradientDescentSimulation<Double> simulation, Double[] start, List<Double[]> samples,
                               Settings settings, Checker checker, Map<String, Double> drawn, int[] kept) {
        int steps = settings.steps();
        int every = (steps + MAX_RECORDED - 1) / MAX_RECORDED;
        List<Integer> recordedSteps = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        // The last finite iterate, drawn even when it falls between recorded steps.
        double[][] last = new double[1][];
        double[] lastLoss = new double[1];
        int[] lastStep = {-1};
        String[] stopReason = {null};
        int n = samples.size();
        try {
            simulation.run(start, samples, settings.learningRate() / n, steps, (step, current, loss) -> {
                double mean = loss / n;
                if (!Double.isFinite(mean) || !allFinite(current)) {
                    stopReason[0] = step == 0 ? "the loss is not a finite number at the start"
                            : "the values overflowed at step " + step + "; a smaller --rate keeps them finite";
                    return false;
                }
                if (checker != null) checker.check(step, current);
                double[] plain = new double[kept.length];
                for (int j = 0; j < kept.length; j++) plain[j] = current[kept[j]];
                last[0] = plain;
                lastLoss[0] = mean;
                lastStep[0] = step;
                if (step % every == 0) {
                    recordedSteps.add(step);
                    values.add(plain);
                    losses.add(mean);
                }
                return true;
            });
        } catch (ArithmeticException e) {
            // At the start the spec itself has no value there: that is the command's error to report.
            if (lastStep[0] < 0) throw e;
            stopReason[0] = "step " + (lastStep[0] + 1) + " has no value: " + e.getMessage();
        }
        if (lastStep[0] >= 0 && (recordedSteps.isEmpty() || recordedSteps.get(recordedSteps.size() - 1) != lastStep[0])) {
            recordedSteps.add(lastStep[0]);
            values.add(last[0]);
            losses.add(lastLoss[0]);
        }
        return new Run(drawn, recordedSteps.stream().mapToInt(Integer::intValue).toArray(),
                values.toArray(new double[0][]), losses.stream().mapToDouble(Double::doubleValue).toArray(),
                Math.max(0, lastStep[0]), stopReason[0]);
    }

    private static boolean allFinite(Double[] values) {
        for (Double v : values) {
            if (!Double.isFinite(v)) return false;
        }
        return true;
    }

    /** Compares, at every step, each class's members with its first and each frozen parameter with its start. */
    private static final class Checker {
        private final List<ParameterClass> classes = new ArrayList<>();
        private final List<int[]> members = new ArrayList<>();
        /** Per checked class and member: −1 for a member that holds the class's negative. */
        private final List<int[]> signs = new ArrayList<>();
        private final boolean[] violated;
        private final Double[] start;
        /** The values after the previous step, for the frozen parameters' step-by-step check. */
        private Double[] previous;
        final List<Violation> violations = new ArrayList<>();
        int classesChecked;
        int frozenChecked;
        double largestGap;

        Checker(Proof proof, Tape tape, Double[] start) {
            this.start = start;
            for (ParameterClass c : proof.classes()) {
                if (!c.frozen() && c.members().size() < 2) continue;
                int[] indices = new int[c.members().size()];
                int[] sign = new int[indices.length];
                for (int m = 0; m < indices.length; m++) {
                    indices[m] = tape.parameterIndex(c.members().get(m));
                    sign[m] = c.negated().contains(c.members().get(m)) ? -1 : 1;
                }
                classes.add(c);
                members.add(indices);
                signs.add(sign);
                if (c.frozen()) frozenChecked += indices.length;
                else classesChecked++;
            }
            violated = new boolean[classes.size()];
        }

        void check(int step, Double[] values) {
            for (int k = 0; k < classes.size(); k++) {
                if (violated[k]) continue;
                ParameterClass c = classes.get(k);
                int[] indices = members.get(k);
                int[] sign = signs.get(k);
                double reference = sign[0] * values[indices[0]];
                for (int m = 0; m < indices.length; m++) {
                    int i = indices[m];
                    double expected = c.frozen() ? start[i] : sign[m] * reference;
                    double size = Math.max(1, Math.max(Math.abs(values[i]), Math.abs(expected)));
                    double gap = Math.abs(values[i] - expected) / size;
                    largestGap = Math.max(largestGap, gap);
                    boolean broken = gap > TOLERANCE;
                    if (c.frozen()) {
                        double before = previous == null ? start[i] : previous[i];
                        broken = gap > FROZEN_DRIFT || Math.abs(values[i] - before) / size > TOLERANCE;
                    }
                    if (broken) {
                        violated[k] = true;
                        List<String> names = c.frozen() ? List.of(c.members().get(m))
                                : List.of(c.members().get(0), c.members().get(m));
                        violations.add(new Violation(c.symbol(), names, c.frozen(), step, values[i], expected));
                        break;
                    }
                }
            }
            previous = values;
        }
    }
}
