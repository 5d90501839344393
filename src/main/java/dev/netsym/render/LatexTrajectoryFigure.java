package dev.netsym.render;

import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.TrainingSimulation;
import java.io.PrintWriter;
import java.util.List;

/**
 * The simulated run of {@code netsym latex --simulate} as a pgfplots figure: the run from the
 * spec's initialisation beside the run from a random one, parameters above and loss below,
 * in the class colours the document defines, and the check of the proof in words.
 */
final class LatexTrajectoryFigure {
    /** Points per line: enough for a smooth curve, few enough for TeX's memory. */
    private static final int POINTS = 40;
    /** Lines per panel; past these the caption says how many are left out. */
    private static final int LINES = 60;

    private final PrintWriter out;
    private final TrainingSimulation.Result result;
    private final ClassColours colours;
    /** Where each drawn parameter's values are in a run. */
    private final java.util.Map<String, Integer> drawnIndex = new java.util.HashMap<>();

    LatexTrajectoryFigure(PrintWriter out, TrainingSimulation.Result result, ClassColours colours) {
        this.out = out;
        this.result = result;
        for (int i = 0; i < result.drawn().size(); i++) drawnIndex.put(result.drawn().get(i), i);
        this.colours = colours;
    }

    void write() {
        TrainingSimulation.Settings s = result.settings();
        String data = result.specData() ? "the spec's " + SimulationSummary.plural(result.sampleCount(), "data sample")
                : SimulationSummary.plural(result.sampleCount(), "random sample") + " (inputs from $N(0,1)$, targets"
                + " from $U(0,1)$, seed " + s.seed() + ")";
        out.println("\\section*{Training, simulated}");
        out.println(LatexExprPrinter.escape(TheoremSentences.capitalised(result.optimiser())) + " in floating point on the mean objective over " + data + ", $\\eta = "
                + NumberText.approximate(s.learningRate()) + "$, " + SimulationSummary.plural(s.steps(), "step")
                + ": on the left from the spec's initialisation (" + LatexExprPrinter.escape(SimulationSummary.specStart(result))
                + "), on the right from a random one (every parameter from "
                + LatexExprPrinter.escape(SimulationSummary.deviation(result)) + "). Each line is a parameter, in the"
                + " colour of its class; frozen parameters are grey and dashed. Members of a class share one line on"
                + " the left.");
        out.println();
        // On the left a class is one line (its members coincide), on the right every member is its own.
        int specLines = result.proof().classes().size();
        int randomLines = result.drawn().size();
        out.println("\\begin{center}");
        out.println("\\begin{tikzpicture}");
        panel("spec", null, result.fromSpec(), true);
        panel("random", "spec", result.fromRandom(), false);
        out.println("\\end{tikzpicture}");
        out.println("\\end{center}");
        if (specLines > LINES || randomLines > LINES) {
            out.println("(The first " + LINES + " lines of each panel are drawn, of " + specLines + " and " + randomLines
                    + ".)");
        }
        out.println();
        String check = new SimulationSummary(result, "").checkLine();
        out.println("\\noindent " + LatexExprPrinter.escape(Character.toUpperCase(check.charAt(0)) + check.substring(1)) + ".");
        out.println();
    }

    private void panel(String name, String beside, TrainingSimulation.Run run, boolean oneLinePerClass) {
        String placement = beside == null ? "" : "at={(" + beside + ".east)}, anchor=west, xshift=1.6cm, ";
        out.println("\\begin{axis}[name=" + name + ", " + placement + "width=0.5\\textwidth, height=5.5cm,"
                + " xlabel={step}, ylabel={parameter value}, xmin=0, xmax=" + result.settings().steps()
                + ", title={" + (oneLinePerClass ? "spec's initialisation" : "random initialisation")
                + "}, every axis plot/.append style={line width=0.8pt}, no markers]");
        int drawn = 0;
        List<ParameterClass> classes = result.proof().classes();
        lines:
        for (ParameterClass c : classes) {
            List<String> members = oneLinePerClass ? List.of(c.members().get(0)) : c.members();
            for (String m : members) {
                if (drawnIndex.getOrDefault(m, -1) < 0) continue;
                if (drawn++ == LINES) break lines;
                String colour = colours.ofClass(c).name();
                out.println("\\addplot[color=" + colour + (c.frozen() ? ", dashed" : "") + "] coordinates {"
                        + coordinates(run, drawnIndex.getOrDefault(m, -1)) + "};");
            }
        }
        out.println("\\end{axis}");
        out.println("\\begin{axis}[name=" + name + "loss, at={(" + name + ".south west)}, anchor=north west,"
                + " yshift=-1.4cm, width=0.5\\textwidth, height=3.5cm, xlabel={step}, ylabel={loss}, xmin=0, xmax="
                + result.settings().steps() + ", no markers]");
        out.println("\\addplot[black, line width=1pt] coordinates {" + coordinates(run, -1) + "};");
        out.println("\\end{axis}");
    }

    /** "(0,0.5) (5,0.52) …" for a parameter, or for the loss when {@code index} is −1. */
    private static String coordinates(TrainingSimulation.Run run, int index) {
        StringBuilder text = new StringBuilder();
        int n = run.steps().length;
        int every = Math.max(1, (n + POINTS - 1) / POINTS);
        for (int k = 0; k < n; k += every) point(text, run, k, index);
        if ((n - 1) % every != 0) point(text, run, n - 1, index);
        return text.toString().trim();
    }

    private static void point(StringBuilder text, TrainingSimulation.Run run, int k, int index) {
        double value = index < 0 ? run.loss()[k] : run.values()[k][index];
        text.append('(').append(run.steps()[k]).append(',').append(String.format(java.util.Locale.ROOT, "%.6g", value))
                .append(") ");
    }
}
