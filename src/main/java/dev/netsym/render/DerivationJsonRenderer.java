package dev.netsym.render;

import dev.netsym.calculus.ChainTerm;
import dev.netsym.calculus.Derivation;
import dev.netsym.model.Expr;
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

    private final ExprPrinter printer = ExprPrinter.plain();

    public void render(Derivation derivation, Writer writer) {
        try {
            StringBuilder json = new StringBuilder();
            json.append("{\n  \"objective\": ").append(string(derivation.objectiveName()));
            json.append(",\n  \"units\": {");
            String separator = "\n";
            for (Derivation.UnitDerivation u : derivation.units()) {
                Expr shown = u.expansion() != null ? u.expansion() : u.definition();
                json.append(separator).append("    ").append(string(u.name())).append(": ")
                        .append(string(printer.print(shown)));
                separator = ",\n";
            }
            json.append("\n  },\n  \"gradients\": {");
            separator = "\n";
            for (Derivation.GradientDerivation g : derivation.gradients()) {
                json.append(separator).append("    ").append(string(g.parameter())).append(": {");
                json.append("\"chain\": ").append(string(chain(g)));
                json.append(", \"local\": ").append(expr(g.local()));
                json.append(", \"expr\": ").append(expr(g.result()));
                json.append(", \"at_init\": ").append(expr(g.atInit()));
                json.append(", \"at_point\": ").append(expr(g.atPoint()));
                json.append(", \"stopped\": ").append(g.stoppedBecause() == null ? "null" : string(g.stoppedBecause()));
                json.append('}');
                separator = ",\n";
            }
            json.append("\n  }\n}\n");
            writer.write(json.toString());
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Leibniz form in ASCII: d y/d y3 * d y3/d w5 + ... */
    private static String chain(Derivation.GradientDerivation g) {
        if (g.chain().isEmpty()) return "0";
        return g.chain().stream()
                .map((ChainTerm t) -> t.factors().stream().map(f -> "d" + f.of() + "/d" + f.wrt())
                        .collect(Collectors.joining("*")))
                .collect(Collectors.joining(" + "));
    }

    private String expr(Expr e) { return e == null ? "null" : string(printer.print(e)); }

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
