package dev.netsym.proof;

import dev.netsym.model.Rational;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random small specs that exercise what a proof engine can get wrong: assumptions (intervals
 * and one-sided bounds on inputs and on initial-value symbols), data lines, generic
 * activations, every builtin function (max and min over two sums that tie under symmetric
 * initialisations), exp, log, quotients, non-integer powers, polynomial factors whose roots sit
 * exactly where a sampler that trusts "random" grid points inside an interval would look,
 * shared weights and symmetric initialisations.
 */
final class RandomSpecs {
    private RandomSpecs() {}

    /** An interval of allowed values; a null end is unbounded. */
    private record Range(Rational low, boolean lowOpen, Rational high, boolean highOpen) {
        static final Range ALL = new Range(null, true, null, true);

        boolean positive() { return low != null && (low.signum() > 0 || (low.signum() == 0 && lowOpen)); }

        /** The assume conditions for name, e.g. "x > 0, x < 1" (empty for no bound). */
        List<String> conditions(String name) {
            List<String> c = new ArrayList<>();
            if (low != null) c.add(name + (lowOpen ? " > " : " >= ") + low);
            if (high != null) c.add(name + (highOpen ? " < " : " <= ") + high);
            return c;
        }

        /**
         * Points a naive sampler would pick: a tenth, two tenths ... of the way across an
         * interval, or small whole steps away from a one-sided bound.
         */
        List<Rational> gridPoints() {
            List<Rational> points = new ArrayList<>();
            for (int j = 1; j <= 9; j++) {
                if (low != null && high != null) points.add(low.add(high.subtract(low).multiply(Rational.of(j, 10))));
                else if (low != null) points.add(low.add(Rational.of(j)));
                else if (high != null) points.add(high.subtract(Rational.of(j)));
                else points.add(Rational.of(j));
            }
            return points;
        }

        /** A value inside the range, from this generator's own choices. */
        Rational inside(Random r) {
            Rational magnitude = Rational.of(1 + r.nextInt(40), 1 + r.nextInt(13));
            if (low != null && high != null) {
                int q = 3 + r.nextInt(11);
                return low.add(high.subtract(low).multiply(Rational.of(1 + r.nextInt(q - 1), q)));
            }
            if (low != null) return !lowOpen && r.nextInt(6) == 0 ? low : low.add(magnitude);
            if (high != null) return !highOpen && r.nextInt(6) == 0 ? high : high.subtract(magnitude);
            return r.nextBoolean() ? magnitude : magnitude.negate();
        }
    }

    private static final Range[] INPUT_RANGES = {
        Range.ALL, Range.ALL,
        new Range(Rational.ZERO, true, Rational.ONE, true),
        new Range(Rational.ZERO, true, Rational.ONE, true),
        new Range(Rational.of(-1), true, Rational.ONE, true),
        new Range(Rational.of(1, 2), true, Rational.of(2), true),
        new Range(Rational.of(-2), true, Rational.of(-1), false),
        new Range(Rational.ZERO, true, null, true),
        new Range(Rational.ONE, false, null, true),
        new Range(null, true, Rational.ZERO, true),
        new Range(Rational.ZERO, false, null, true),
    };

    private static final Range[] SYMBOL_RANGES = {
        new Range(Rational.ZERO, true, null, true),
        new Range(null, true, Rational.ZERO, true),
        new Range(Rational.ZERO, true, Rational.ONE, true),
        new Range(Rational.ONE, false, null, true),
    };

    /** The text of one random spec; the same seed gives the same spec. */
    static String generate(long seed) {
        return new Builder(new Random(seed)).build();
    }

    private static final class Builder {
        private final Random r;
        private final Map<String, Range> inputRanges = new LinkedHashMap<>();
        private final List<String> weights = new ArrayList<>();
        private final Set<String> biases = new LinkedHashSet<>();
        private final List<String> activations = new ArrayList<>();
        private int weightCount;
        private int biasCount;
        private boolean target;

        Builder(Random r) { this.r = r; }

        String build() {
            StringBuilder spec = new StringBuilder();
            int inputCount = 1 + r.nextInt(3);
            for (int i = 1; i <= inputCount; i++) {
                inputRanges.put("x" + i, INPUT_RANGES[r.nextInt(INPUT_RANGES.length)]);
            }
            spec.append("input ").append(String.join(", ", inputRanges.keySet())).append('\n');
            target = r.nextInt(3) == 0;
            if (target) spec.append("target t\n");
            if (r.nextInt(3) == 0) activations.add("f");
            if (r.nextInt(10) == 0) activations.add("g");
            if (!activations.isEmpty()) spec.append("activation ").append(String.join(", ", activations)).append('\n');

            List<String> outputs = new ArrayList<>();
            List<String> hidden = hiddenLayer(spec, "h", new ArrayList<>(inputRanges.keySet()), true);
            if (r.nextInt(3) == 0) hidden = hiddenLayer(spec, "k", hidden, false);
            for (String h : hidden) outputs.add(weight("v") + "*" + h);
            if (r.nextInt(3) == 0) {
                // The shape of the false theorem: two weights on features that agree at grid points only.
                String x = randomInput();
                outputs.add(weight("w") + "*" + x);
                outputs.add(weight("w") + "*(" + x + " + " + rootPolynomial(x) + ")");
            }
            if (r.nextInt(4) == 0) outputs.add(bias());
            spec.append("y = ").append(String.join(" + ", outputs)).append('\n');
            spec.append("objective ").append(objective()).append('\n');
            initialisation(spec);
            assumptions(spec);
            data(spec);
            return spec.toString();
        }

        private List<String> hiddenLayer(StringBuilder spec, String prefix, List<String> sources, boolean features) {
            int width = 1 + r.nextInt(3);
            boolean bias = r.nextInt(3) == 0;
            String activation = activation();
            // One transform per source for the whole layer, so that its units are alike and
            // symmetric initialisations give classes with several members.
            Map<String, String> transformed = new LinkedHashMap<>();
            for (String s : sources) transformed.put(s, features ? feature(s) : s);
            List<String> units = new ArrayList<>();
            for (int u = 1; u <= width; u++) {
                String z = linear(sources, transformed, bias);
                String value = activation.equals("max") || activation.equals("min")
                        // Two sums alike: with equal weights they tie, where each gets half the slope.
                        ? activation + "(" + z + ", " + linear(sources, transformed, bias && r.nextBoolean()) + ")"
                        : apply(activation, z);
                String unit = prefix + u;
                spec.append(unit).append(" = ").append(value).append('\n');
                units.add(unit);
            }
            return units;
        }

        private String linear(List<String> sources, Map<String, String> transformed, boolean bias) {
            List<String> terms = new ArrayList<>();
            for (String s : sources) terms.add(weight("w") + "*" + transformed.get(s));
            if (bias) terms.add(bias());
            return String.join(" + ", terms);
        }

        /** A weight, now and then one of the same kind used before: shared, convolution-like parameters. */
        private String weight(String prefix) {
            List<String> sameKind = weights.stream().filter(w -> w.startsWith(prefix)).toList();
            if (!sameKind.isEmpty() && r.nextInt(7) == 0) return sameKind.get(r.nextInt(sameKind.size()));
            String w = prefix + (++weightCount);
            weights.add(w);
            return w;
        }

        private String bias() {
            String b = "b" + (++biasCount);
            biases.add(b);
            return b;
        }

        private String randomInput() {
            List<String> names = new ArrayList<>(inputRanges.keySet());
            return names.get(r.nextInt(names.size()));
        }

        private String activation() {
            List<String> choices = new ArrayList<>(List.of("", "tanh", "sigmoid", "relu", "softplus", "leaky",
                    "square", "quotient", "logsquare", "exp", "sqrt", "abs", "max", "min", "elu", "gelu", "gelu_tanh",
                    "silu"));
            choices.addAll(activations);
            choices.addAll(activations);
            return choices.get(r.nextInt(choices.size()));
        }

        private static String apply(String activation, String z) {
            return switch (activation) {
                case "" -> z;
                case "leaky" -> "leaky_relu(" + z + ", 1/4)";
                case "square" -> "(" + z + ")^2";
                case "quotient" -> "(" + z + ")/(1 + (" + z + ")^2)";
                case "logsquare" -> "log(1 + (" + z + ")^2)";
                case "exp" -> "exp((" + z + ")/4)";
                case "sqrt" -> "sqrt(1 + (" + z + ")^2)";
                default -> activation + "(" + z + ")";
            };
        }

        /** A transform of an input, kept where it has a value on the input's range. */
        private String feature(String x) {
            Range range = inputRanges.get(x);
            List<String> choices = new ArrayList<>(List.of(x, x, x + "^2", "(" + x + " + " + rootPolynomial(x) + ")",
                    x + "/(1 + " + x + "^2)", "exp(" + x + "/2)", "log(1 + " + x + "^2)",
                    "log(exp(" + x + ") + exp(-" + x + "))", "tanh(" + x + ")", "sigmoid(" + x + ")"));
            if (range.positive()) {
                choices.addAll(List.of("log(" + x + ")", "1/" + x, x + "^(1/2)", "sqrt(" + x + ")"));
            }
            choices.addAll(List.of("abs(" + x + ")", "elu(" + x + ")", "gelu(" + x + ")"));
            if (!activations.isEmpty()) choices.add(activations.get(0) + "(" + x + ")");
            return choices.get(r.nextInt(choices.size()));
        }

        /** A product of linear factors, each vanishing at one grid point of x's range. */
        private String rootPolynomial(String x) {
            List<Rational> roots = new ArrayList<>(inputRanges.get(x).gridPoints());
            java.util.Collections.shuffle(roots, r);
            // Half the time every grid point is a root: then no grid point tells the features apart.
            int count = r.nextBoolean() ? roots.size() : 2 + r.nextInt(roots.size() - 1);
            StringBuilder p = new StringBuilder();
            for (Rational root : roots.subList(0, count)) {
                if (p.length() > 0) p.append('*');
                p.append(linearFactor(x, root));
            }
            return p.toString();
        }

        /** (q·x − p) for the root p/q. */
        private static String linearFactor(String x, Rational root) {
            String scale = root.denominator().equals(java.math.BigInteger.ONE) ? "" : root.denominator() + "*";
            String constant = root.numerator().abs().toString();
            String sign = root.numerator().signum() < 0 ? " + " : " - ";
            if (root.isZero()) return x;
            return "(" + scale + x + sign + constant + ")";
        }

        private String objective() {
            if (target) return r.nextBoolean() ? "(y - t)^2" : "log(1 + exp(y - t)) + (y - t)^2/2";
            return switch (r.nextInt(4)) {
                case 0 -> "y^2/2";
                case 1 -> "log(1 + exp(y))";
                default -> "y";
            };
        }

        private final Map<String, Range> symbolRanges = new LinkedHashMap<>();
        private final List<String> randomWeights = new ArrayList<>();

        private void initialisation(StringBuilder spec) {
            switch (r.nextInt(8)) {
                case 0, 1 -> spec.append("init all = a\n");
                case 2 -> spec.append("init all = a\ninit v* = c\n");
                case 3 -> spec.append("init w* = a\ninit v* = 0\n").append(biases.isEmpty() ? "" : "init b* = 0\n");
                case 4 -> spec.append("init all = ").append(r.nextBoolean() ? "0" : "1/2").append('\n');
                case 5 -> {
                    // Symmetric groups by name lists; everything else random.
                    List<String> shuffled = new ArrayList<>(weights);
                    java.util.Collections.shuffle(shuffled, r);
                    int half = Math.max(1, shuffled.size() / 2);
                    spec.append("init ").append(String.join(", ", shuffled.subList(0, half))).append(" = a\n");
                    if (shuffled.size() > half) {
                        spec.append("init ").append(String.join(", ", shuffled.subList(half, shuffled.size())))
                                .append(switch (r.nextInt(3)) {
                                    case 0 -> " = b\n";
                                    case 1 -> " = 0\n";
                                    default -> " = -a\n"; // mirrored: signed classes
                                });
                    }
                    for (String b : biases) randomWeights.add(b);
                }
                case 6 -> {
                    spec.append("init all = a\ninit ").append(weights.get(0)).append(" = random\n");
                    randomWeights.add(weights.get(0));
                }
                default -> spec.append("init all = a\n").append(biases.isEmpty() ? "" : "init b* = -1\n");
            }
            String text = spec.toString();
            for (String symbol : List.of("a", "b", "c")) {
                if (text.contains("= " + symbol + "\n") && r.nextInt(3) == 0) {
                    symbolRanges.put(symbol, SYMBOL_RANGES[r.nextInt(SYMBOL_RANGES.length)]);
                }
            }
        }

        private void assumptions(StringBuilder spec) {
            List<String> conditions = new ArrayList<>();
            inputRanges.forEach((x, range) -> conditions.addAll(range.conditions(x)));
            symbolRanges.forEach((s, range) -> conditions.addAll(range.conditions(s)));
            for (String w : randomWeights) if (r.nextInt(3) == 0) conditions.add(w + " > 0");
            if (!conditions.isEmpty()) spec.append("assume ").append(String.join(", ", conditions)).append('\n');
        }

        private void data(StringBuilder spec) {
            if (r.nextInt(4) != 0) return;
            int samples = 1 + r.nextInt(3);
            for (int s = 0; s < samples; s++) {
                List<String> values = new ArrayList<>();
                inputRanges.forEach((x, range) -> values.add(x + " = " + range.inside(r)));
                if (target) values.add("t = " + Range.ALL.inside(r));
                spec.append("data ").append(String.join(", ", values)).append('\n');
            }
        }
    }
}
