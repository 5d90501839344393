package dev.netsym.render;

import dev.netsym.calculus.ChainTerm;
import dev.netsym.calculus.Derivation;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.proof.ShownExpressions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.stream.Collectors;

/**
 * A derivation as one JSON object: "objective", "units" (name → expression in inputs and
 * parameters, or its definition when that was too big) and "gradients" (parameter →
 * {"chain", "local", "expr", "at_init", "at_point", "stopped"}). Expressions are in the
 * spec language's plain syntax, so tools can parse them back; missing values are null.
 * Written by hand (no JSON library), with full string escaping.
 */
public final class DerivationJsonRenderer {

    /** Above this many, "gradients" holds one representative per layer and says so. */
    static final int ALL_GRADIENTS_UP_TO = 10_000;

    private final ExprPrinter printer = ExprPrinter.plain();
    private final boolean full;
    /** Long results and values as the text shows them (never left out), or as computed with --full. */
    private ShownExpressions shown = ShownExpressions.FULL;

    public DerivationJsonRenderer() { this(false); }

    /** @param full expressions as computed: results in inputs and parameters, nothing named (--full) */
    public DerivationJsonRenderer(boolean full) { this.full = full; }

    public void render(Derivation derivation, Writer writer) {
        shown = DerivationDisplay.of(derivation, full);
        try {
            if (DerivationSummary.unitsSummarised(derivation)) {
                writer.write(withMatrixForm(adjointForm(derivation), derivation));
                writer.flush();
                return;
            }
            StringBuilder json = new StringBuilder();
            json.append("{\n  \"objective\": ").append(string(derivation.objectiveName()));
            json.append(",\n  \"units\": {");
            String separator = "\n";
            for (Derivation.UnitDerivation u : derivation.units()) {
                Expr value = u.expansion() != null ? u.expansion() : u.definition();
                json.append(separator).append("    ").append(string(u.name())).append(": ")
                        .append(string(printer.print(value)));
                separator = ",\n";
            }
            // Names of repeated parts in results and values; units are above.
            java.util.List<Expr> written = new java.util.ArrayList<>();
            for (Derivation.GradientDerivation g : derivation.gradients()) {
                for (Expr e : DerivationDisplay.expressions(g)) written.add(shown.of(e).expr());
            }
            java.util.List<String> definitions = new java.util.ArrayList<>();
            for (var d : shown.usedBy(written)) {
                if (!d.unit()) definitions.add("    " + string(d.name()) + ": " + string(printer.print(d.value().expr())));
            }
            json.append("\n  },\n  \"definitions\": ")
                    .append(definitions.isEmpty() ? "{}" : "{\n" + String.join(",\n", definitions) + "\n  }");
            json.append(",\n  \"gradients\": {");
            separator = "\n";
            for (Derivation.GradientDerivation g : derivation.gradients()) {
                gradientEntry(json.append(separator), g, chain(g), g.local() == null ? null : shown.of(g.local()).expr());
                separator = ",\n";
            }
            json.append("\n  }\n}\n");
            writer.write(withMatrixForm(json.toString(), derivation));
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A big network of tensor statements, as {@code derive} shows it by default: "form": "matrix",
     * the counts left out and why, and "matrix_form" alone (no key holds millions of entries).
     */
    public void renderMatrixFormOnly(Network network, Writer writer) {
        String top = network.objectiveName();
        String json = "{\n  \"objective\": " + string(top) + ",\n  \"form\": \"matrix\""
                + ",\n  \"units_left_out\": " + network.units().size()
                + ",\n  \"gradients_left_out\": " + network.parameters().size()
                + ",\n  \"left_out\": " + string(MatrixFormSection.leftOut(network) + "; --param NAME derives one"
                + " parameter's element by element, --full all of them") + "\n}\n";
        try {
            writer.write(withMatrixForm(json, network, top));
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The object with "matrix_form" added when the spec has one: "forward" (each tensor unit on
     * whole tensors), "objective", and "backward", the δ of each unit and ∂L/∂θ of each
     * parameter tensor in the order to read them, as {@code derive} prints them.
     */
    private static String withMatrixForm(String json, Derivation derivation) {
        return withMatrixForm(json, derivation.network(), derivation.objectiveName());
    }

    private static String withMatrixForm(String json, Network network, String top) {
        if (!MatrixGradients.applies(network.tensors()) || !json.endsWith("\n}\n")) return json;
        MatrixGradients.Form form = MatrixGradients.of(network.tensors());
        MatrixFormPrinter matrices = MatrixFormPrinter.text();
        java.util.List<String> forward = new java.util.ArrayList<>();
        for (var st : form.forward()) forward.add("      " + string(matrices.name(st.name())) + ": " + string(matrices.print(st.value())));
        java.util.List<String> backward = new java.util.ArrayList<>();
        for (MatrixGradients.Step step : form.steps()) {
            String lhs = step.parameter() ? matrices.partial(top, step.name()) : matrices.delta(step.name());
            backward.add("      " + string(lhs) + ": " + string(matrices.print(step.value())));
        }
        return json.substring(0, json.length() - 3) + ",\n  \"matrix_form\": {\n    \"forward\": {\n"
                + String.join(",\n", forward) + "\n    },\n    \"objective\": " + string(matrices.print(form.objective()))
                + ",\n    \"backward\": {\n" + String.join(",\n", backward) + "\n    }\n  }\n}\n";
    }

    /**
     * A big network: the same keys, with "form": "adjoint"; "units" has one representative
     * per dense layer, "adjoints" gives ∂L/∂u for each of them, "gradients" every gradient
     * (above {@link #ALL_GRADIENTS_UP_TO}, one weight and bias per layer, with
     * "gradients_left_out" saying so), and "summarised" says what each representative stands for. ∂L/∂u is written dL/du, so every expression stays plain text.
     */
    private String adjointForm(Derivation d) {
        java.util.function.UnaryOperator<String> ascii = n -> n.startsWith("∂") ? n.replace("∂", "d") : n;
        java.util.Map<String, Derivation.UnitDerivation> units = new java.util.HashMap<>();
        for (Derivation.UnitDerivation u : d.units()) units.put(u.name(), u);
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"objective\": ").append(string(d.objectiveName()));
        json.append(",\n  \"form\": \"adjoint\"");
        var unitGroups = DerivationSummary.unitGroups(d, n -> n);
        json.append(",\n  \"units\": {");
        String separator = "\n";
        for (var g : unitGroups) {
            Derivation.UnitDerivation u = units.get(g.name());
            Expr shown = u.expansion() != null ? u.expansion() : u.definition();
            json.append(separator).append("    ").append(string(u.name())).append(": ").append(string(printer.print(shown)));
            separator = ",\n";
        }
        json.append("\n  },\n  \"adjoints\": {");
        separator = "\n";
        for (var g : unitGroups) {
            Derivation.UnitDerivation u = units.get(g.name());
            json.append(separator).append("    ").append(string(u.name())).append(": {\"chain\": ")
                    .append(string(chain(u.adjoint())))
                    .append(", \"local\": ").append(expr(DerivationSummary.renamed(u.adjointLocal(), ascii, false)))
                    .append('}');
            separator = ",\n";
        }
        boolean summarised = DerivationSummary.gradientsSummarised(d);
        // A tool reads every gradient it asked for; only a very big network gets representatives.
        boolean representativesOnly = d.gradients().size() > ALL_GRADIENTS_UP_TO;
        java.util.List<String> shown = representativesOnly
                ? DerivationSummary.parameterGroups(d).stream().map(DerivationSummary.Group::name).toList()
                : d.gradients().stream().map(Derivation.GradientDerivation::parameter).toList();
        if (representativesOnly) {
            json.append("\n  },\n  \"gradients_left_out\": {\"count\": ").append(d.gradients().size() - shown.size())
                    .append(", \"why\": ").append(string(d.gradients().size() + " gradients are more than "
                            + ALL_GRADIENTS_UP_TO + "; \"gradients\" has one per layer (see \"summarised\"), and"
                            + " --param NAME gives any of them"));
            json.append("}");
        }
        json.append(representativesOnly ? ",\n  \"gradients\": {" : "\n  },\n  \"gradients\": {");
        separator = "\n";
        for (String p : shown) {
            Derivation.GradientDerivation g = d.gradient(p);
            gradientEntry(json.append(separator), g, chain(g.chain()), DerivationSummary.renamed(g.local(), ascii, false));
            separator = ",\n";
        }
        json.append("\n  },\n  \"summarised\": {");
        separator = "\n";
        java.util.List<DerivationSummary.Group> groups = new java.util.ArrayList<>(unitGroups);
        if (summarised) groups.addAll(DerivationSummary.parameterGroups(d));
        for (var g : groups) {
            if (g.count() == 1) continue;
            json.append(separator).append("    ").append(string(g.generic().apply(g.name()))).append(": {\"count\": ")
                    .append(g.count()).append(", \"range\": ").append(string(g.range()))
                    .append(", \"shown\": ").append(string(g.name())).append('}');
            separator = ",\n";
        }
        json.append("\n  }\n}\n");
        return json.toString();
    }

    /** Leibniz form in ASCII: d y/d y3 * d y3/d w5 + ... */
    private static String chain(Derivation.GradientDerivation g) { return chain(g.chain()); }

    private static String chain(java.util.List<ChainTerm> terms) {
        if (terms.isEmpty()) return "0";
        return terms.stream()
                .map((ChainTerm t) -> t.factors().stream().map(f -> "d" + f.of() + "/d" + f.wrt())
                        .collect(Collectors.joining("*")))
                .collect(Collectors.joining(" + "));
    }

    /** One "parameter": {chain, local, expr, at_init, at_point, stopped} entry. */
    private void gradientEntry(StringBuilder json, Derivation.GradientDerivation g, String chain, Expr local) {
        json.append("    ").append(string(g.parameter())).append(": {");
        json.append("\"chain\": ").append(string(chain));
        json.append(", \"local\": ").append(expr(local));
        json.append(", \"expr\": ").append(shownExpr(g.result()));
        json.append(", \"at_init\": ").append(shownExpr(g.atInit()));
        json.append(", \"at_point\": ").append(shownExpr(g.atPoint()));
        json.append(", \"stopped\": ").append(g.stoppedBecause() == null ? "null" : string(g.stoppedBecause()));
        json.append('}');
    }

    private String expr(Expr e) { return e == null ? "null" : string(printer.print(e)); }

    private String shownExpr(Expr e) { return e == null ? "null" : string(printer.print(shown.of(e).expr())); }

    static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Control characters must be escaped; U+2028/9 break JavaScript consumers.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
