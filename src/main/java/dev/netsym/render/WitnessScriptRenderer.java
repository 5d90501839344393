package dev.netsym.render;

import dev.netsym.calculus.StepRule;
import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import dev.netsym.model.Unit;
import dev.netsym.model.WrittenOutSize;
import dev.netsym.proof.Proof;
import dev.netsym.proof.Separation;
import dev.netsym.proof.WitnessRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the witnesses of a proof as a stand-alone Python script: the network as code, each
 * witness run (start values, data, η) replayed in float64, and one line per witness saying
 * whether float64 shows the separation or move netsym claimed, with the values netsym printed
 * to agree with. NumPy with a small reverse-mode differentiation written into the script, or
 * PyTorch with autograd; the two share everything but the builtins and the gradient.
 */
public final class WitnessScriptRenderer {
    /** The script's language: plain NumPy or PyTorch. */
    public enum Language { python, torch }

    /**
     * The script evaluates one scalar at a time in Python: about 40 µs and 3 KB of memory per
     * expression node for a step (dense-mnist's 705,045 nodes: 31 s and 2.3 GB for the NumPy
     * script). Networks above this many nodes would need more memory than a laptop has and are refused.
     */
    public static final long MAX_NODES = 1_000_000;

    private final PrintWriter out;
    private final Language language;
    private final String specName;

    public WitnessScriptRenderer(PrintWriter out, Language language, String specName) {
        this.out = out;
        this.language = language;
        this.specName = specName;
    }

    /**
     * Whether the network's units and objective, written out as the script writes them (what
     * its run time follows), have at most {@link #MAX_NODES} expression nodes.
     */
    public static boolean fits(Network network) {
        return WrittenOutSize.nodes(MAX_NODES).passesCapAt(network) < 0;
    }

    public void render(Proof proof) {
        Network network = proof.network();
        List<Separation> separations = proof.separations();
        out.print(header(network, separations.size()));
        out.print(resource(language == Language.torch ? "witness_torch.py" : "witness_numpy.py"));
        out.print(resource("witness_common.py"));
        out.println();
        out.println();
        renderObjective(network);
        renderInitialisation(network);
        renderRuns(network, separations);
        out.println();
        out.println();
        out.println("if __name__ == \"__main__\":");
        out.println("    main()");
        out.flush();
    }

    private String header(Network network, int witnesses) {
        String tool = language == Language.torch ? "PyTorch (autograd)" : "NumPy (reverse-mode differentiation written out below)";
        return "#!/usr/bin/env python3\n"
                + "\"\"\"Witnesses of `netsym prove " + specName.replace("\\", "/").replace("\"", "'")
                + "` (network " + network.name() + "), replayed in float64 with " + tool + ".\n"
                + "\n"
                + "Each witness run of the proof is plain full-batch gradient descent from the start values, data\n"
                + "and learning rate netsym used. For each of the " + witnesses + " witness(es) the script prints one line:\n"
                + "  separates: P Q at step T: A vs B    (-Q: compared with Q's negative)\n"
                + "  moves: P at step T: A (started at B)\n"
                + "when float64 shows the difference and agrees with netsym's values; 'too small for float64'\n"
                + "when the difference is below what float64 can tell from rounding; 'DISAGREES' otherwise.\n"
                + "The last line counts them. Exit status 1 when any witness disagrees, else 0.\n"
                + "\"\"\"\n";
    }

    /** objective(theta, data, act): the units in order, then the objective, for one sample. */
    private void renderObjective(Network network) {
        Set<String> parameters = new HashSet<>();
        network.parameters().forEach(p -> parameters.add(p.name()));
        Set<String> units = new HashSet<>();
        Function<String, String> names = name -> (parameters.contains(name) ? "theta" : units.contains(name) ? "u" : "data")
                + "[" + PythonExpr.string(name) + "]";
        PythonExpr printer = new PythonExpr(names);
        out.println("def objective(theta, data, act):");
        out.println("    \"\"\"The objective for one sample: theta the parameters, data the inputs and targets,"
                + " act the declared activations.\"\"\"");
        out.println("    u = {}");
        for (Unit unit : network.units()) {
            out.println("    u[" + PythonExpr.string(unit.name()) + "] = " + printer.print(unit.definition()));
            units.add(unit.name());
        }
        out.println("    return " + printer.print(network.objective()));
        out.println();
        out.println();
    }

    /** initial_parameters(start): the spec's initialisation, with start giving its symbols and random values. */
    private void renderInitialisation(Network network) {
        out.println("def initial_parameters(start):");
        out.println("    \"\"\"The spec's initialisation; start holds the values of its symbols and of random parameters.\"\"\"");
        out.println("    theta = {}");
        for (Map.Entry<Init, List<String>> group : network.parametersByInit().entrySet()) {
            Init init = group.getKey();
            String value = init instanceof Init.Numeric n ? PythonExpr.number(n.value())
                    : init instanceof Init.Symbolic s ? coefficientTimes(s.coefficient(), "start[" + PythonExpr.string(s.symbol()) + "]")
                    : "start[name]";
            List<String> members = group.getValue();
            if (members.size() == 1 && !(group.getKey() instanceof Init.Random)) {
                out.println("    theta[" + PythonExpr.string(members.get(0)) + "] = " + value);
            } else {
                out.println("    for name in " + PythonExpr.strings(members) + ":");
                out.println("        theta[name] = " + value);
            }
        }
        out.println("    return theta");
        out.println();
        out.println();
    }

    private static String coefficientTimes(Rational coefficient, String symbol) {
        if (coefficient.isOne()) return symbol;
        if (coefficient.negate().isOne()) return "-" + symbol;
        return "(" + PythonExpr.number(coefficient) + ") * " + symbol;
    }

    /** RUNS: per witness run its label, arithmetic, start, samples, η, activations and witnesses. */
    private void renderRuns(Network network, List<Separation> separations) {
        Map<WitnessRun, String> labels = WitnessRuns.labels(separations);
        if (!network.data().isEmpty()) {
            out.println("# The spec's data lines: runs that list no data of their own use these.");
            out.println("SPEC_DATA = [");
            for (Sample s : network.data()) out.println("    " + sample(network, s) + ",");
            out.println("]");
            out.println();
        }
        out.println("# Learning rates as multiples of each run's η, from the spec's lr lines (1 where absent).");
        List<String> rates = network.parameters().stream().filter(p -> !p.learningRate().equals(Rational.ONE))
                .map(p -> PythonExpr.string(p.name()) + ": " + PythonExpr.string(p.learningRate().toString())).toList();
        out.println("RATES = {" + String.join(", ", rates) + "}");
        out.println();
        Map<WitnessRun, List<Separation>> byRun = new LinkedHashMap<>();
        for (Separation s : separations) byRun.computeIfAbsent(s.witness().run(), r -> new ArrayList<>()).add(s);
        out.println("# (label, how netsym computed it, start values, samples, learning rate, penalty on θ, activations,");
        out.println("# witnesses);");
        out.println("# a witness is (kind, first, second, step, netsym's first value, netsym's second value).");
        out.println("RUNS = [");
        for (Map.Entry<WitnessRun, List<Separation>> entry : byRun.entrySet()) {
            WitnessRun run = entry.getKey();
            out.println("    (");
            out.println("        " + PythonExpr.string(labels.get(run)) + ", " + PythonExpr.string(run.arithmetic()) + ",");
            out.println("        " + stringMap(run.start()) + ",");
            if (run.data().isEmpty()) {
                out.println("        SPEC_DATA,");
            } else {
                List<String> samples = run.data().stream().map(WitnessScriptRenderer::stringMap).toList();
                out.println("        [" + String.join(", ", samples) + "],");
            }
            out.println("        " + PythonExpr.string(run.learningRate()) + ",");
            out.println("        " + penalty(run) + ",");
            out.println("        " + activations(run) + ",");
            out.println("        [");
            for (Separation s : entry.getValue()) out.println("            " + witness(s) + ",");
            out.println("        ],");
            out.println("    ),");
        }
        out.println("]");
    }

    /** (kind, λ) of the run's penalty on θ; the script replays rates and penalties, not Adam or noise. */
    private static String penalty(WitnessRun run) {
        if (run.rule() == null || run.rule().term() == StepRule.Term.NONE) return "(\"NONE\", \"0\")";
        if (run.rule().adam() || run.rule().term() == StepRule.Term.NOISE) {
            throw new IllegalArgumentException("a witness script replays gradient descent, not " + run.rule().describe());
        }
        return "(" + PythonExpr.string(run.rule().term().name()) + ", " + PythonExpr.string(run.rule().strength().toString()) + ")";
    }

    private static String sample(Network network, Sample sample) {
        List<String> entries = new ArrayList<>();
        List<String> names = new ArrayList<>(network.inputs());
        names.addAll(network.targets());
        for (String name : names) {
            Rational v = sample.values().get(name);
            if (v != null) entries.add(PythonExpr.string(name) + ": " + PythonExpr.string(v.toString()));
        }
        return "{" + String.join(", ", entries) + "}";
    }

    private static String stringMap(Map<String, String> values) {
        List<String> entries = new ArrayList<>();
        values.forEach((k, v) -> entries.add(PythonExpr.string(k) + ": " + PythonExpr.string(v)));
        return "{" + String.join(", ", entries) + "}";
    }

    /** Each declared activation as the run used it: its formula in z, or the table of values the run read. */
    private static String activations(WitnessRun run) {
        List<String> entries = new ArrayList<>();
        for (WitnessRun.Activation a : run.activations()) {
            String f;
            if (a.formula().isPresent()) {
                f = "lambda z: " + new PythonExpr(name -> name.equals("z") ? "z" : unknown(name)).print(a.formula().get());
            } else {
                List<String> rows = a.values().stream().map(v -> "(" + v.order() + ", " + PythonExpr.string(v.at()) + ", "
                        + PythonExpr.string(v.value()) + ")").toList();
                f = "table_activation(" + PythonExpr.string(a.name()) + ", [" + String.join(", ", rows) + "])";
            }
            entries.add(PythonExpr.string(a.name()) + ": " + f);
        }
        return "{" + String.join(", ", entries) + "}";
    }

    private static String unknown(String name) {
        throw new IllegalArgumentException("an activation formula refers to '" + name + "', not to its variable z");
    }

    private static String witness(Separation s) {
        String kind = s.isMove() ? "moves" : s.opposite() ? "opposite" : "separates";
        return "(" + PythonExpr.string(kind) + ", " + PythonExpr.string(s.first()) + ", "
                + (s.isMove() ? "None" : PythonExpr.string(s.second())) + ", " + s.witness().step() + ", "
                + PythonExpr.string(s.witness().firstValue()) + ", " + PythonExpr.string(s.witness().secondValue()) + ")";
    }

    private static String resource(String name) {
        try (InputStream in = WitnessScriptRenderer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Model expressions as Python expressions over the script's Var (or tensor) values, with few parentheses. */
    static final class PythonExpr {
        private static final int SUM = 1;
        private static final int PRODUCT = 2;
        private static final int UNARY = 3;
        private static final int POWER = 4;
        private static final int ATOM = 5;

        private final Function<String, String> names;

        PythonExpr(Function<String, String> names) {
            this.names = names;
        }

        String print(Expr e) {
            StringBuilder sb = new StringBuilder();
            print(e, 0, sb);
            return sb.toString();
        }

        private void print(Expr e, int context, StringBuilder sb) {
            boolean parens = precedence(e) < context;
            if (parens) sb.append('(');
            if (e instanceof Expr.Num n) {
                sb.append(number(n.value()));
            } else if (e instanceof Expr.Ref r) {
                sb.append(names.apply(r.name()));
            } else if (e instanceof Expr.Neg n) {
                sb.append('-');
                print(n.operand(), UNARY, sb);
            } else if (e instanceof Expr.Sum s) {
                for (int i = 0; i < s.terms().size(); i++) {
                    Expr term = s.terms().get(i);
                    if (i == 0) {
                        print(term, SUM, sb);
                    } else if (term instanceof Expr.Neg n) {
                        sb.append(" - ");
                        print(n.operand(), PRODUCT, sb);
                    } else if (term instanceof Expr.Num n && n.value().signum() < 0) {
                        sb.append(" - ").append(number(n.value().negate()));
                    } else {
                        sb.append(" + ");
                        print(term, SUM, sb);
                    }
                }
            } else if (e instanceof Expr.Product p) {
                for (int i = 0; i < p.factors().size(); i++) {
                    if (i > 0) sb.append(" * ");
                    print(p.factors().get(i), i == 0 ? PRODUCT : UNARY, sb);
                }
            } else if (e instanceof Expr.Quotient q) {
                print(q.numerator(), PRODUCT, sb);
                sb.append(" / ");
                print(q.denominator(), UNARY, sb);
            } else if (e instanceof Expr.Power p) {
                print(p.base(), ATOM, sb);
                sb.append(" ** ");
                // An integer exponent stays a Python int: the script then takes an integer power, as netsym does.
                Integer exponent = integer(p.exponent());
                if (exponent != null) sb.append(exponent);
                else print(p.exponent(), ATOM, sb);
            } else if (e instanceof Expr.Call c) {
                boolean builtin = Builtin.byName(c.function()).isPresent();
                sb.append(builtin ? "ops." + c.function() : "act[" + string(c.function()) + "]").append('(');
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) sb.append(", ");
                    print(c.args().get(i), 0, sb);
                }
                sb.append(')');
            } else {
                throw new IllegalArgumentException("no Python form for " + e + " in a witness script");
            }
            if (parens) sb.append(')');
        }

        private static int precedence(Expr e) {
            if (e instanceof Expr.Num n) {
                // -1/3 reads as (-1)/3: a quotient, whatever its sign.
                return !n.value().isInteger() ? PRODUCT : n.value().signum() < 0 ? UNARY : ATOM;
            }
            if (e instanceof Expr.Sum) return SUM;
            if (e instanceof Expr.Product || e instanceof Expr.Quotient) return PRODUCT;
            if (e instanceof Expr.Neg) return UNARY;
            if (e instanceof Expr.Power) return POWER;
            return ATOM;
        }

        /** The exponent as netsym's evaluation reads it: an integer constant, possibly negated, of at most 31 bits. */
        private static Integer integer(Expr e) {
            boolean negated = e instanceof Expr.Neg;
            if (e instanceof Expr.Neg n) e = n.operand();
            if (!(e instanceof Expr.Num num) || !num.value().isInteger() || num.value().numerator().bitLength() > 31) {
                return null;
            }
            int value = num.value().numerator().intValueExact();
            return negated ? -value : value;
        }

        /** 3, -2, 3/5: a quotient of Python ints divides to the nearest float64. */
        static String number(Rational r) {
            return r.isInteger() ? r.numerator().toString() : r.numerator() + "/" + r.denominator();
        }

        static String string(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') sb.append('\\').append(c);
                else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                else sb.append(c);
            }
            return sb.append('"').toString();
        }

        static String strings(List<String> values) {
            return "[" + String.join(", ", values.stream().map(PythonExpr::string).toList()) + "]";
        }
    }
}
