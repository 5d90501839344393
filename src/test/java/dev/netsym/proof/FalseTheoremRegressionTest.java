package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #18, "A false theorem": w1 and w2 have gradients x and x + P(x), where P vanishes at
 * 0.1, 0.2, ..., 0.9, exactly the points a sampler that walks tenths across 0 < x < 1 tries.
 * With x = 0.15 they separate after one step, so {@code prove} must not claim them equal, and
 * must show the separation with data inside the assumptions.
 */
class FalseTheoremRegressionTest {
    static final String SPEC = """
            input x
            y = w1*x + w2*(x + (10*x-1)*(10*x-2)*(10*x-3)*(10*x-4)*(10*x-5)*(10*x-6)*(10*x-7)*(10*x-8)*(10*x-9))
            objective y
            init all = a
            assume x > 0, x < 1
            """;

    @TempDir
    Path dir;

    private CliRun prove(String... options) throws IOException {
        Path file = dir.resolve("false-theorem.net");
        Files.writeString(file, SPEC);
        List<String> args = new ArrayList<>(List.of("prove", "--timeout", "30"));
        args.addAll(List.of(options));
        args.add(file.toString());
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void theTextDoesNotClaimTheTwoWeightsEqual() throws IOException {
        CliRun r = prove();
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.out().contains("{w1, w2}"), () -> "claims w1 and w2 stay equal:\n" + r.out());
    }

    @Test
    void theJsonSeparatesThemWithAWitnessInsideTheAssumptions() throws IOException {
        CliRun r = prove("--format", "json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> proof = asMap(Json.parse(r.out()));
        for (Object c : asList(proof.get("classes"))) {
            List<Object> members = asList(c);
            assertFalse(members.contains("w1") && members.contains("w2"), () -> "claims w1 and w2 equal:\n" + r.out());
        }
        Map<String, Object> separation = null;
        for (Object o : asList(proof.get("separations"))) {
            Map<String, Object> s = asMap(o);
            boolean pair = s.get("second") != null && List.of("w1", "w2").contains(s.get("first"))
                    && List.of("w1", "w2").contains(s.get("second"));
            if (pair) separation = s;
        }
        assertNotNull(separation, () -> "no separation of w1 and w2:\n" + r.out());
        assertNotNull(separation.get("witness"), () -> "the separation of w1 and w2 has no witness:\n" + r.out());
        Map<String, Object> witness = asMap(separation.get("witness"));
        // The run's setup is listed once, under the label the witness names.
        Map<String, Object> setup = null;
        for (Object o : asList(proof.get("witness_runs"))) {
            if (asMap(o).get("run").equals(witness.get("run"))) setup = asMap(o);
        }
        assertNotNull(setup, () -> "the witness names no listed run:\n" + r.out());
        List<Object> data = asList(setup.get("data"));
        assertFalse(data.isEmpty(), r::toString);
        Map<String, Object> start = asMap(setup.get("start"));
        List<Map<String, Rational>> samples = new ArrayList<>();
        for (Object sample : data) {
            Rational x = Rational.parse((String) asMap(sample).get("x"));
            assertTrue(x.signum() > 0 && x.compareTo(Rational.ONE) < 0, "witness data x = " + x + " is not in (0, 1)");
            samples.add(Map.of("x", x));
        }
        // Replayed independently: the two weights really differ after the stated step.
        Network network = Netsym.parse(SPEC).network().orElseThrow();
        Rational a = Rational.parse((String) start.get("a"));
        int step = ((Number) witness.get("step")).intValue();
        var run = IndependentGradients.exact(network).descend(Map.of("w1", a, "w2", a), samples,
                Rational.parse((String) setup.get("learning_rate")), step);
        assertFalse(run.get(step).get("w1").equals(run.get(step).get("w2")),
                () -> "the witness does not separate w1 and w2:\n" + r.out());
    }

    @Test
    void theApiAgreesWithTheCommandLine() {
        Network network = Netsym.parse(SPEC).network().orElseThrow();
        Proof proof = ProofRunner.prove(network, java.time.Duration.ofSeconds(30));
        for (ParameterClass c : proof.classes()) {
            assertFalse(c.members().containsAll(List.of("w1", "w2")), "claims " + c);
        }
        assertTrue(proof.separations().stream().anyMatch(s -> !s.isMove()
                && List.of("w1", "w2").contains(s.first()) && List.of("w1", "w2").contains(s.second())),
                "no witnessed separation of w1 and w2: " + proof.separations());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        assertTrue(o instanceof Map, "expected a JSON object, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        assertTrue(o instanceof List, "expected a JSON array, got " + o);
        return (List<Object>) o;
    }

    /** Just enough JSON to read {@code prove --format json}: objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) { this.s = s; }

        static Object parse(String text) {
            Json p = new Json(text);
            Object v = p.value();
            p.space();
            if (p.i != text.length()) throw new IllegalArgumentException("trailing text at " + p.i);
            return v;
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private Object value() {
            space();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                space();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    m.put(key, value());
                    space();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                space();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value());
                    space();
                    if (s.charAt(i++) == ']') return l;
                }
            }
            if (c == '"') return string();
            for (String literal : List.of("true", "false", "null")) {
                if (s.startsWith(literal, i)) {
                    i += literal.length();
                    return literal.equals("null") ? null : Boolean.valueOf(literal);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            return Double.valueOf(s.substring(start, i));
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
            i++;
            return b.toString();
        }
    }
}
