package dev.netsym.cli;

import dev.netsym.calculus.DoubleArithmetic;
import dev.netsym.calculus.Evaluation;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.SpecResult;
import dev.netsym.onnx.OnnxImporter;
import dev.netsym.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

/**
 * Whether a spec written for an imported model reads back as the same network: the same
 * parameters (renamed as the writer did) with the same starts, and the same objective and
 * gradient at random points. {@code netsym spec} checks its own output with it before printing.
 */
final class SpecRoundTrip {
    private SpecRoundTrip() {}

    /** Points at which the two networks are evaluated. */
    static final int POINTS = 3;

    /** Random points tried for those, some of which may have no value (a log of a negative number). */
    private static final int MAX_ATTEMPTS = 30;

    /** The difference reported when the model has no value at any point tried: nothing could be compared. */
    static final String UNCHECKED = "no random point gave the model a value to compare";

    /** The spec written for an imported model, as read back, and what differs from the import (empty: nothing). */
    record ReadBack(SpecResult read, Optional<String> difference) {}

    static ReadBack readBack(OnnxImporter.Translation translation) {
        SpecResult read = SpecParser.parse(translation.spec().getBytes(StandardCharsets.UTF_8));
        Optional<String> difference = read.hasErrors() || !read.diagnostics().isEmpty()
                ? Optional.of("it has diagnostics: " + read.diagnostics().stream().map(d -> d.format("spec")).findFirst().orElse(""))
                : difference(translation.imported().network().orElseThrow(), read.network().orElseThrow(),
                        translation.renamed(), 1);
        return new ReadBack(read, difference);
    }

    /** What differs between the imported network and the one its spec reads back as; empty when nothing does. */
    static Optional<String> difference(Network imported, Network read, Map<String, String> renamed, long seed) {
        TreeSet<String> expected = new TreeSet<>();
        for (Parameter p : imported.parameters()) expected.add(renamed.getOrDefault(p.name(), "?" + p.name()));
        TreeSet<String> actual = new TreeSet<>();
        for (Parameter p : read.parameters()) actual.add(p.name());
        if (!expected.equals(actual)) return Optional.of("the parameters differ: " + describeDifference(expected, actual));
        Map<String, Init> readInits = new HashMap<>();
        for (Parameter p : read.parameters()) readInits.put(p.name(), p.init());
        Map<String, String> symbolOf = new HashMap<>();
        Map<String, String> symbolBack = new HashMap<>();
        for (Parameter p : imported.parameters()) {
            String name = renamed.get(p.name());
            if (!sameStart(p.init(), readInits.get(name), symbolOf, symbolBack)) {
                return Optional.of(name + " starts at " + readInits.get(name) + ", not " + p.init());
            }
        }
        return differentValues(imported, read, renamed, seed);
    }

    /** Equal numbers, both random, or symbols that correspond one to one with the same coefficients. */
    private static boolean sameStart(Init a, Init b, Map<String, String> symbolOf, Map<String, String> symbolBack) {
        if (a instanceof Init.Symbolic sa && b instanceof Init.Symbolic sb) {
            String mapped = symbolOf.putIfAbsent(sa.symbol(), sb.symbol());
            String back = symbolBack.putIfAbsent(sb.symbol(), sa.symbol());
            return (mapped == null || mapped.equals(sb.symbol())) && (back == null || back.equals(sa.symbol()))
                    && sa.coefficient().equals(sb.coefficient());
        }
        return a.equals(b) || a instanceof Init.Random && b instanceof Init.Random;
    }

    private static Optional<String> differentValues(Network imported, Network read, Map<String, String> renamed, long seed) {
        Tape a = Tape.compile(imported);
        Tape b = Tape.compile(read);
        TreeSet<String> expectedData = new TreeSet<>();
        for (String d : a.dataNames()) expectedData.add(renamed.getOrDefault(d, "?" + d));
        if (!expectedData.equals(new TreeSet<>(b.dataNames()))) {
            return Optional.of("the inputs and targets differ: " + describeDifference(expectedData, new TreeSet<>(b.dataNames())));
        }
        DoubleArithmetic arithmetic = new DoubleArithmetic();
        Random random = new Random(seed);
        int evaluated = 0;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && evaluated < POINTS; attempt++) {
            Map<String, Double> at = new HashMap<>();
            Double[] paramsA = new Double[a.parameterCount()];
            Double[] dataA = new Double[a.dataNames().size()];
            for (int i = 0; i < paramsA.length; i++) at.put(renamed.get(a.parameterNames().get(i)), paramsA[i] = random.nextDouble() * 2 - 1);
            for (int i = 0; i < dataA.length; i++) at.put(renamed.get(a.dataNames().get(i)), dataA[i] = random.nextDouble() * 2 - 1);
            Double[] paramsB = new Double[b.parameterCount()];
            Double[] dataB = new Double[b.dataNames().size()];
            for (int i = 0; i < paramsB.length; i++) paramsB[i] = at.get(b.parameterNames().get(i));
            for (int i = 0; i < dataB.length; i++) dataB[i] = at.get(b.dataNames().get(i));
            Evaluation<Double> ea;
            try {
                ea = a.evaluate(arithmetic, paramsA, dataA);
            } catch (ArithmeticException undefined) {
                continue; // a log of a negative number, a division by 0: another point
            }
            Evaluation<Double> eb;
            try {
                eb = b.evaluate(arithmetic, paramsB, dataB);
            } catch (ArithmeticException undefined) {
                return Optional.of("the spec has no value at a point where the model has one (" + undefined.getMessage() + ")");
            }
            evaluated++;
            if (!close(ea.objective(), eb.objective())) {
                return Optional.of("the objective differs at a random point: " + ea.objective() + " against " + eb.objective());
            }
            for (int i = 0; i < paramsA.length; i++) {
                String name = a.parameterNames().get(i);
                double ga = ea.gradient(i);
                double gb = eb.gradient(renamed.get(name));
                if (!close(ga, gb)) return Optional.of("the gradient of " + name + " differs at a random point: " + ga + " against " + gb);
            }
        }
        if (evaluated == 0) return Optional.of(UNCHECKED);
        return Optional.empty();
    }

    /** Equal up to rounding: the two networks may add the same terms in another order. */
    private static boolean close(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) return Double.isNaN(x) && Double.isNaN(y);
        return Math.abs(x - y) <= 1e-9 * (1 + Math.max(Math.abs(x), Math.abs(y)));
    }

    private static String describeDifference(TreeSet<String> expected, TreeSet<String> actual) {
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        TreeSet<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        return "missing " + first(missing) + ", extra " + first(extra);
    }

    private static String first(TreeSet<String> names) {
        List<String> shown = names.stream().limit(4).toList();
        return names.isEmpty() ? "none" : String.join(", ", shown) + (names.size() > 4 ? " and " + (names.size() - 4) + " more" : "");
    }
}
