package dev.netsym.render;

import dev.netsym.model.Rational;
import dev.netsym.proof.ConservationLaws;
import dev.netsym.proof.LawDrift;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/** Conservation laws as one JSON object; the schema is in the README. */
public final class LawsJsonRenderer {
    private final PrintWriter out;

    public LawsJsonRenderer(PrintWriter out) {
        this.out = out;
    }

    public void render(ConservationLaws laws) {
        String lawList = laws.laws().stream().map(LawsJsonRenderer::law).collect(Collectors.joining(",\n    ", "[\n    ", "\n  ]"));
        String groups = LawPatterns.group(laws.laws()).stream()
                .map(g -> "{\"pattern\": " + s(g.pattern()) + ", \"k\": "
                        + g.values().stream().map(LawsJsonRenderer::s).collect(Collectors.joining(", ", "[", "]")) + "}")
                .collect(Collectors.joining(", ", "[", "]"));
        out.println("{");
        out.println("  \"parameters\": " + laws.parameters() + ",");
        out.println("  \"data\": " + (laws.everyDataset() ? s("all") : String.valueOf(laws.samples())) + ",");
        out.println("  \"count\": " + laws.count() + ",");
        out.println("  \"exact\": " + laws.certified() + ",");
        out.println("  \"count_is_upper_bound\": " + !laws.certified() + ",");
        out.println("  \"proved_laws\": " + laws.provedLaws() + ",");
        out.println("  \"lie_algebra_dimension\": " + laws.lieRank() + ",");
        out.println("  \"bracket_depth\": " + laws.bracketDepth() + ",");
        out.println("  \"samples\": " + laws.samples() + ",");
        out.println("  \"modulus\": " + laws.modulus() + ",");
        out.println("  \"activation_patterns\": " + (laws.piecewise() ? String.valueOf(laws.activationPatterns()) : "null") + ",");
        out.println("  \"degree\": " + laws.degree() + ",");
        out.println("  \"laws\": " + (laws.laws().isEmpty() ? "[]" : lawList) + ",");
        out.println("  \"patterns\": " + groups + ",");
        out.println("  \"dependent_laws\": " + laws.dependentLaws() + ",");
        out.println("  \"complete\": " + (laws.certified() ? String.valueOf(laws.complete()) : "null") + ",");
        out.println("  \"drift_runs\": " + driftRuns(laws));
        out.println("}");
        out.flush();
    }

    private static String driftRuns(ConservationLaws laws) {
        LawDrift d = laws.drift();
        if (d == null) return "null";
        Rational small = d.rate().multiply(Rational.of(1, 10));
        return "{\"law\": " + s(LawPatterns.text(laws.driftLaw())) + ", \"samples\": " + d.samples()
                + ",\n    \"gradient_descent\": {\"steps\": 1, \"rates\": [" + s(d.rate().toString()) + ", " + s(small.toString())
                + "], \"changes\": [" + s(d.descent()[0].toString()) + ", " + s(d.descent()[1].toString())
                + "], \"equal_to_formula\": " + d.matchesFormula() + "},"
                + "\n    \"momentum\": {\"steps\": 2, \"beta\": " + s(LawDrift.MOMENTUM.toString()) + ", \"rates\": ["
                + s(d.rate().toString()) + ", " + s(small.toString()) + "], \"changes\": [" + s(d.momentum()[0].toString())
                + ", " + s(d.momentum()[1].toString()) + "]},"
                + "\n    \"adam\": {\"steps\": 1, \"rates\": [" + s(d.adamRate().toString()) + ", "
                + s(d.adamRate().multiply(Rational.of(1, 10)).toString()) + "], \"changes\": ["
                + s(d.adam()[0].toPlainString()) + ", " + s(d.adam()[1].toPlainString()) + "]}}";
    }

    private static String law(ConservationLaws.Law law) {
        List<String> terms = law.terms().stream().map(t -> "[" + s(t.coefficient().toString()) + ", "
                + String.join(", ", t.factors().stream().map(LawsJsonRenderer::s).toList()) + "]").toList();
        return "{\"expression\": " + s(LawPatterns.text(law)) + ", \"terms\": [" + String.join(", ", terms)
                + "], \"degree\": " + law.degree() + ", \"certificate\": " + (law.proved() ? s(law.proof()) : "null")
                + ", \"tangent\": " + (law.tangent() != null ? s(law.tangent()) : "null")
                + ", \"drift_per_gd_step\": " + s(LawPatterns.drift(law)) + "}";
    }

    private static String s(String text) { return DerivationJsonRenderer.string(text); }
}
