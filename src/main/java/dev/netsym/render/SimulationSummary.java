package dev.netsym.render;

import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.TrainingSimulation;
import java.io.PrintWriter;
import dev.netsym.model.Init;
import java.util.ArrayList;
import java.util.List;

/**
 * The text {@code netsym simulate} prints: how the runs were made, the loss and each class's
 * value at the start and at the end, and, last, whether the proof's claims held along the run.
 */
public final class SimulationSummary {
    /** Classes listed before "… and N more". */
    private static final int CLASSES_SHOWN = 12;

    private final TrainingSimulation.Result result;
    private final String name;

    public SimulationSummary(TrainingSimulation.Result result, String name) {
        this.result = result;
        this.name = name;
    }

    /** Everything but the check line. */
    public void render(PrintWriter out) {
        TrainingSimulation.Settings s = result.settings();
        String data = result.specData() ? "the spec's " + plural(result.sampleCount(), "data sample")
                : plural(result.sampleCount(), "random sample") + " (inputs from N(0, 1), targets from U(0, 1))";
        prose(out, name + ": " + plural(s.steps(), "step") + " of " + result.optimiser() + ", η = "
                + NumberText.approximate(s.learningRate()) + " on the mean objective over " + data + ", seed "
                + s.seed());
        TrainingSimulation.Run spec = result.fromSpec();
        TrainingSimulation.Run random = result.fromRandom();
        out.println();
        prose(out, "From the spec's initialisation (" + specStart(result) + "):");
        out.println("  loss " + lossChange(spec));
        List<ParameterClass> classes = result.proof().classes();
        int width = classes.stream().limit(CLASSES_SHOWN).mapToInt(c -> label(c).length()).max().orElse(0);
        for (ParameterClass c : classes.subList(0, Math.min(CLASSES_SHOWN, classes.size()))) {
            int index = result.drawnIndex(c.members().get(0));
            double first = spec.values()[0][index];
            double last = spec.values()[spec.values().length - 1][index];
            String sign = c.negated().contains(c.members().get(0)) ? "-" : "";
            String value = c.frozen() ? "stays " + NumberText.approximate(first)
                    : NumberText.approximate(first) + " → " + NumberText.approximate(last);
            out.println("  " + label(c) + " ".repeat(width - label(c).length()) + "  " + sign + value);
        }
        if (classes.size() > CLASSES_SHOWN) out.println("  … and " + plural(classes.size() - CLASSES_SHOWN, "more class"));
        stopped(out, spec);
        out.println("From a random initialisation (every parameter from " + deviation(result) + "):");
        out.println("  loss " + lossChange(random));
        stopped(out, random);
        int parameters = result.proof().network().parameters().size();
        if (result.drawn().size() < parameters) {
            prose(out, "The picture draws " + result.drawn().size() + " of the " + parameters + " parameters: each"
                    + " class's first member, then others; the check covers them all.");
        }
        prose(out, "Trained values: " + result.proof().trainableValues() + " from the spec's start (one per class that"
                + " moves), " + parameters + " from the random one.");
    }

    /** A sentence of the summary, wrapped to the text width. */
    public static void prose(PrintWriter out, String text) {
        TextLines.print(out, TextLines.words("", "  ", text));
    }

    /**
     * The last sentence: what was checked and that it held, or what broke. The proof holds for
     * every data set and learning rate, so a break is a bug in netsym.
     */
    public String checkLine() {
        int steps = result.fromSpec().stepsTaken();
        if (!result.violations().isEmpty()) {
            StringBuilder line = new StringBuilder("violated: ");
            for (TrainingSimulation.Violation v : result.violations()) {
                if (line.length() > "violated: ".length()) line.append("; ");
                line.append(v.frozen()
                        ? v.parameters().get(0) + " (frozen) moved from " + NumberText.approximate(v.second()) + " to "
                        : String.join(" and ", v.parameters()) + " (class " + v.classSymbol() + ") are ")
                        .append(NumberText.approximate(v.first()))
                        .append(v.frozen() ? "" : " and " + NumberText.approximate(v.second()))
                        .append(" after step ").append(v.step());
            }
            return line.append(": the proof does not hold along this run, a bug in netsym (please report it with the"
                    + " spec)").toString();
        }
        return "checked: " + plural(result.classesChecked(), "class") + " stayed equal and "
                + plural(result.frozenChecked(), "frozen parameter") + " stayed put over " + plural(steps, "step")
                + " (largest relative gap " + NumberText.approximate(result.largestGap()) + ")";
    }

    private static String label(ParameterClass c) {
        String members = c.members().size() <= 6 ? String.join(", ", c.signedMembers())
                : String.join(", ", c.signedMembers().subList(0, 5)) + ", … (" + c.members().size() + ")";
        return (c.frozen() ? "frozen" : c.symbol()) + " " + members;
    }

    private static String lossChange(TrainingSimulation.Run run) {
        double[] loss = run.loss();
        return NumberText.approximate(loss[0]) + " → " + NumberText.approximate(loss[loss.length - 1]);
    }

    /** How the spec's start was made: "a = -0.134", "numbers as written; random ones from N(0, 0.289²)". */
    static String specStart(TrainingSimulation.Result result) {
        List<String> parts = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        for (var entry : result.fromSpec().drawn().entrySet()) {
            if (symbols.size() == 4) {
                symbols.add("…");
                break;
            }
            symbols.add(entry.getKey() + " = " + NumberText.approximate(entry.getValue()));
        }
        if (!symbols.isEmpty()) parts.add(String.join(", ", symbols));
        var parameters = result.proof().network().parameters();
        if (parameters.stream().anyMatch(p -> p.init() instanceof Init.Numeric)) parts.add("numbers as written");
        if (parameters.stream().anyMatch(p -> p.init() instanceof Init.Random)) {
            parts.add("random ones from " + deviation(result));
        }
        return String.join("; ", parts);
    }

    /** "N(0, 0.289²)": where every random initial value comes from. */
    static String deviation(TrainingSimulation.Result result) {
        return "N(0, " + NumberText.approximate(result.initialDeviation()) + "²)";
    }

    private static void stopped(PrintWriter out, TrainingSimulation.Run run) {
        if (run.stopReason() != null) out.println("  stopped after " + plural(run.stepsTaken(), "step") + ": " + run.stopReason());
    }

    static String plural(long count, String noun) {
        if (count == 1) return "1 " + noun;
        return count + " " + (noun.endsWith("s") ? noun + "es" : noun + "s");
    }
}
