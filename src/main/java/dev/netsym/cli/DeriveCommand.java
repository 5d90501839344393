package dev.netsym.cli;

import dev.netsym.Netsym;
import dev.netsym.calculus.Derivation;
import dev.netsym.calculus.DerivationOptions;
import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.SpecResult;
import dev.netsym.render.DerivationJsonRenderer;
import dev.netsym.render.DerivationTextRenderer;
import dev.netsym.render.MatrixFormSection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

final class DeriveCommand implements Command {
    enum Format { text, json }

    /** Symbolic work runs on a thread with a big stack: nested expressions recurse deeply. */
    private static final long STACK_BYTES = 256L << 20;
    /** A name no user writes, for reading one --at value through the spec language. */
    private static final String PROBE = "netsym_at_value_";

    private static final Option<List<String>> PARAM = Option.repeatable("--param", "NAME",
            "Show only the gradient of this parameter (repeatable).");
    private static final Option<String> AT = Option.text("--at", "VALUES",
            "Also evaluate every gradient at these values, e.g. 'w1=0, w2=b'; each value is a number"
                    + " (0, -1/2, 0.5) or a name.");
    private static final Option<Format> FORMAT = Option.choice("--format", "FORMAT", Format.text,
            "text (default) or json.");
    private static final Option<Double> TIMEOUT = Option.seconds("--timeout", "60",
            "Give up after this many seconds (default {default}); exit code 75.");
    private static final Option<Boolean> FULL = Option.flag("--full",
            "Write every expression out as computed, however long: no names for repeated parts, no"
                    + " unit names kept in results, nothing left out (over 5,000 parameters with a matrix form,"
                    + " the gradients element by element too).");

    private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym derive",
                    "Derive every unit and every gradient, as a person does by hand.")
            .withDescription(
                "Derives every unit and every gradient of the objective as a person does by",
                "hand: the chain rule through the units, the local form, the result in inputs",
                "and parameters, and its value at the initialisation. Tensor parameters also get",
                "their gradients in matrix form, as backpropagation is written in a textbook:",
                "δ for each tensor unit, then ∂L/∂W = δ xᵀ and the like.")
            .withOptions(PARAM, AT, FORMAT, TIMEOUT, FULL, SpecInput.LOSS, SpecInput.INIT, SpecInput.SHAPE)
            .withPositionals(SpecInput.FILE)
            .withFooter("", "Examples:", "  netsym derive examples/cs231n.net",
                "  netsym derive examples/cs231n.net --param w1 --param w9 --at 'w1=0, w2=b'",
                "  netsym derive examples/cs231n.net --format json");

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public boolean usesComputerAlgebra() {
        return true;
    }

    @Override
    public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws Exception {
        double timeoutSeconds = arguments.get(TIMEOUT);
        boolean full = arguments.get(FULL);
        Derivation derivation;
        Network matrixFormOnly = null;
        Set<String> wanted = new LinkedHashSet<>(arguments.get(PARAM));
        try (Progress progress = Progress.onConsole(err)) {
            PrintWriter messages = Progress.messages(progress, err);
            Progress.sink(progress).accept("reading the spec");
            Network network = new SpecInput(arguments).loadForDerivation(messages);
            List<String> parameterNames = network.parameters().stream().map(Parameter::name).toList();
            for (String p : wanted) {
                if (!parameterNames.contains(p)) {
                    return usage(messages, "--param: " + network.name() + " has no parameter '" + p
                            + "'; its parameters are " + list(parameterNames));
                }
            }
            String at = arguments.get(AT);
            Map<String, Expr> point;
            try {
                point = at == null ? Map.of() : point(at, network);
            } catch (IllegalArgumentException e) {
                return usage(messages, "--at: " + e.getMessage());
            }
            // A big network of tensor statements: its matrix form, not millions of lines element by element.
            if (wanted.isEmpty() && point.isEmpty() && !full && MatrixFormSection.scalarFormLeftOut(network)) {
                matrixFormOnly = network;
                derivation = null;
            } else {
                Progress.sink(progress).accept("deriving the gradients");
                Optional<Derivation> derived = derive(network, wanted, point, timeoutSeconds, messages);
                if (derived.isEmpty()) return ExitCodes.TIMED_OUT;
                derivation = derived.get();
            }
        }
        if (matrixFormOnly != null) {
            if (arguments.get(FORMAT) == Format.json) new DerivationJsonRenderer(false).renderMatrixFormOnly(matrixFormOnly, out);
            else new DerivationTextRenderer(dev.netsym.render.ExprPrinter.unicode(), false).renderMatrixFormOnly(matrixFormOnly, out);
            return ExitCodes.OK;
        }
        if (!wanted.isEmpty()) {
            derivation = new Derivation(derivation.network(), derivation.objectiveName(), derivation.units(),
                    derivation.gradients().stream().filter(g -> wanted.contains(g.parameter())).toList(),
                    derivation.options());
        }
        if (arguments.get(FORMAT) == Format.json) new DerivationJsonRenderer(full).render(derivation, out);
        else new DerivationTextRenderer(dev.netsym.render.ExprPrinter.unicode(), full).render(derivation, out);
        out.flush();
        return ExitCodes.OK;
    }

    /** The derivation within the time budget, or empty (after saying so) when it runs out. */
    private static Optional<Derivation> derive(Network network, Set<String> wanted, Map<String, Expr> point,
                                               double timeoutSeconds, PrintWriter err) throws Exception {
        Duration budget = Duration.ofMillis((long) (timeoutSeconds * 1000));
        Duration perCall = budget.compareTo(SymbolicEngine.DEFAULT_TIMEOUT) < 0 ? budget : SymbolicEngine.DEFAULT_TIMEOUT;
        DerivationOptions defaults = DerivationOptions.defaults();
        DerivationOptions all = new DerivationOptions(defaults.maxExpansionSize(), defaults.maxChainTerms(),
                point, perCall);
        // Only the parameters asked for are derived: on a big network the rest would be wasted work.
        DerivationOptions options = wanted.isEmpty() ? all : all.withOnly(wanted);
        try (SymbolicEngine engine = new SymbolicEngine(perCall)) {
            FutureTask<Derivation> task = new FutureTask<>(() -> Derivation.of(network, options, engine));
            Thread worker = new Thread(null, task, "netsym-derive", STACK_BYTES);
            worker.setDaemon(true); // abandoned when the budget runs out; must not keep the JVM alive
            worker.start();
            try {
                return Optional.of(task.get(budget.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                task.cancel(true);
                err.println("netsym: derive: the time budget of " + format(timeoutSeconds)
                        + " s ran out before the derivation was complete; try a larger --timeout");
                return Optional.empty();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) throw error;
                throw (Exception) e.getCause();
            }
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("netsym: derive: " + message);
        err.flush();
        return ExitCodes.USAGE;
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    /**
     * 'w1=0, w2=b' as name → value. Commas inside brackets belong to names (W_h[2,1]). The
     * names are the network's parameters, inputs, targets and initial-value symbols.
     */
    static Map<String, Expr> point(String text, Network network) {
        Set<String> known = new LinkedHashSet<>();
        network.parameters().forEach(p -> known.add(p.name()));
        known.addAll(network.inputs());
        known.addAll(network.targets());
        known.addAll(network.initSymbols());
        Map<String, Expr> values = new LinkedHashMap<>();
        for (String item : splitTopLevel(text)) {
            String trimmed = item.strip();
            int eq = trimmed.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("expected NAME=VALUE, got '" + trimmed + "'");
            String name = trimmed.substring(0, eq).strip();
            String value = trimmed.substring(eq + 1).strip();
            if (name.isEmpty()) throw new IllegalArgumentException("a name is missing before '=' in '" + trimmed + "'");
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown name '" + name + "'; the names are " + list(known));
            }
            if (values.containsKey(name)) throw new IllegalArgumentException(name + " is given twice");
            values.put(name, value(name, value));
        }
        if (values.isEmpty()) throw new IllegalArgumentException("expected NAME=VALUE, ..., got nothing");
        return values;
    }

    private static List<String> splitTopLevel(String text) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '(') depth++;
            else if (c == ']' || c == ')') depth--;
            else if (c == ',' && depth == 0) {
                items.add(text.substring(start, i));
                start = i + 1;
            }
        }
        items.add(text.substring(start));
        return items;
    }

    /**
     * One value read by the spec language itself, as the right-hand side of an init
     * statement (a number or a name), so that --at accepts exactly what a spec accepts.
     */
    private static Expr value(String name, String text) {
        String expected = "the value of " + name + " must be a number (0, -1/2, 0.5) or a name, got '" + text + "'";
        if (text.isEmpty()) throw new IllegalArgumentException("the value of " + name + " is missing");
        if (text.chars().anyMatch(c -> c == ';' || c == '#' || c == '\n' || c == '\r' || c == '\\')) {
            throw new IllegalArgumentException(expected);
        }
        String prefix = "init all = ";
        SpecResult r = Netsym.parse("objective " + PROBE + "\n" + prefix + text + "\n");
        if (r.hasErrors()) {
            var d = r.diagnostics().stream().filter(x -> x.isError()).findFirst().orElseThrow();
            int column = d.pos().column() - prefix.length();
            String where = column >= 1 && column <= text.length() ? " at character " + column : "";
            throw new IllegalArgumentException(expected + " (" + d.message() + where + ")");
        }
        Init init = r.network().orElseThrow().parameters().get(0).init();
        if (init instanceof Init.Numeric n) return new Expr.Num(n.value());
        if (init instanceof Init.Symbolic s) return s.expr();
        throw new IllegalArgumentException(expected);
    }

    private static String list(Iterable<String> names) {
        List<String> all = new ArrayList<>();
        names.forEach(all::add);
        if (all.size() <= 20) return String.join(", ", all);
        return String.join(", ", all.subList(0, 20)) + " and " + (all.size() - 20) + " more";
    }
}
