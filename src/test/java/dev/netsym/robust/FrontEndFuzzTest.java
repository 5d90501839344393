package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the whole front end through `netsym check`: every input must end in exit 0
 * or 65 with nothing but well-formed diagnostics on stderr, and never hang.
 *
 * <p>A plain seeded generator rather than a property-based library: the inputs that matter are
 * specific to this grammar (its tokens, its statements), shrinking is not needed for inputs
 * this short, and it keeps the build free of a dependency. The run is reproducible: the seed and
 * the number of inputs are fixed unless overridden, e.g. for a long run by hand:
 * {@code mvn -o test -Dtest=FrontEndFuzzTest -Dnetsym.fuzz.seconds=600 -Dnetsym.fuzz.seed=7}.
 * Failing inputs are saved under target/fuzz-failures.
 */
class FrontEndFuzzTest {
    private static final long SEED = Long.getLong("netsym.fuzz.seed", 231L);
    private static final int INPUTS = Integer.getInteger("netsym.fuzz.inputs", 3000);
    /** When set, run for this long instead of a fixed number of inputs. */
    private static final long SECONDS = Long.getLong("netsym.fuzz.seconds", 0L);
    /** Only catches a hang: a cold JVM on a busy machine takes seconds for the first input alone. */
    private static final long TIMEOUT_SECONDS = 120;

    /** The grammar's vocabulary, the names that are keywords elsewhere, and values at the edges. */
    private static final String[] TOKENS = {
        "network", "input", "target", "activation", "layer", "objective", "init", "data", "assume", "optimizer",
        "all", "random", "dense", "sum", "bias", "relu", "leaky_relu", "tanh", "sigmoid", "softplus", "exp", "log",
        "sqrt", "abs", "max", "min", "elu", "gelu", "gelu_tanh", "silu", "Erf", "Abs", "Max",
        "x", "y", "h", "w", "w1", "W_h", "t", "a", "f", "Export", "Import", "Run", "Print", "D", "N", "I", "E",
        "Pi", "Sin", "Input", "SystemDialogInput", "Get", "Put", "adam", "sgd",
        "0", "1", "2", "3", "10", "784", "0.5", ".5", "1e3", "1e-3", "2.", "1e999999", "1e99999999999999999999",
        "99999999999", "1000000", "1000001", "0/0", "1/0",
        "=", "+", "-", "*", "/", "^", "(", ")", "[", "]", ",", ":", "concat", "mixture", "<", "<=", ">", ">=", "?", "*", ";", "\n", "\r\n",
        "\\\n", "#", "# comment\n", "$", "\u00e9", "\u202e", "\t", "\uFEFF", "\u0000",
    };

    private static final List<byte[]> CORPUS = new ArrayList<>();
    private static ExecutorService runner;

    @TempDir
    static Path dir;

    @BeforeAll
    static void loadCorpus() throws IOException {
        for (String name : new String[] {"cs231n.net", "dense.net", "everything.net", "unreachable.net", "symja-names.net"}) {
            try (InputStream in = FrontEndFuzzTest.class.getResourceAsStream("/robust/" + name)) {
                CORPUS.add(in.readAllBytes());
            }
        }
        runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-runner");
            t.setDaemon(true); // a hung run must not keep the test JVM alive
            return t;
        });
    }

    @AfterAll
    static void stopRunner() {
        runner.shutdownNow();
    }

    @Test
    void everyInputEndsInAResultOrDiagnostics() throws Exception {
        FuzzLoop.run("fuzz", SEED, SECONDS, INPUTS, FrontEndFuzzTest::generate, FrontEndFuzzTest::problemWith,
                FrontEndFuzzTest::save, "valid specs");
    }

    /** Null if refused cleanly, "" if accepted, otherwise what went wrong. */
    private static String problemWith(byte[] input) throws Exception {
        Future<CliRun> future = runner.submit(() -> CliRun.check(dir, input));
        CliRun run;
        try {
            run = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            runner.shutdownNow();
            runner = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fuzz-runner");
                t.setDaemon(true);
                return t;
            });
            return "no answer within " + TIMEOUT_SECONDS + " s";
        }
        try {
            run.assertOnlyDiagnosticsOnStderr();
            if (run.exitCode() == 0) {
                assertTrue(run.out().startsWith("network "), run::toString);
                assertTrue(!run.err().contains(": error: "), run::toString);
                return "";
            }
            run.assertRefusedWithDiagnostics();
            int lines = lineCount(input);
            for (String line : run.errLines()) {
                Matcher m = CliRun.DIAGNOSTIC.matcher(line);
                assertTrue(m.matches() && Integer.parseInt(m.group(2)) <= lines,
                        () -> "diagnostic beyond the last line " + lines + ": " + line);
            }
            return null;
        } catch (AssertionError e) {
            return e.getMessage();
        }
    }

    private static int lineCount(byte[] input) {
        int lines = 1;
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n' || (input[i] == '\r' && (i + 1 == input.length || input[i + 1] != '\n'))) lines++;
        }
        return lines;
    }

    private static byte[] generate(SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> tokenStream(random);
            case 3, 4, 5, 6 -> mutate(random, CORPUS.get(random.nextInt(CORPUS.size())));
            case 7 -> {
                byte[] spec = CORPUS.get(random.nextInt(CORPUS.size()));
                yield java.util.Arrays.copyOf(spec, random.nextInt(spec.length + 1));
            }
            case 8 -> CORPUS.get(random.nextInt(CORPUS.size()));
            default -> randomBytes(random);
        };
    }

    private static String token(SplittableRandom random) {
        return TOKENS[random.nextInt(TOKENS.length)];
    }

    private static byte[] tokenStream(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        int n = 1 + random.nextInt(60);
        for (int i = 0; i < n; i++) {
            s.append(token(random)).append(random.nextInt(4) == 0 ? "" : " ");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A valid spec with a few edits: the way real specs go wrong, one typo at a time. */
    private static byte[] mutate(SplittableRandom random, byte[] spec) {
        StringBuilder s = new StringBuilder(new String(spec, StandardCharsets.UTF_8));
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && s.length() > 0; e++) {
            int at = random.nextInt(s.length());
            int len = Math.min(s.length() - at, 1 + random.nextInt(12));
            switch (random.nextInt(5)) {
                case 0 -> s.delete(at, at + len);
                case 1 -> s.insert(at, s.substring(at, at + len));
                case 2 -> s.insert(at, token(random));
                case 3 -> s.replace(at, at + 1, token(random));
                default -> {
                    // Repeat a whole line: duplicate definitions, a second objective.
                    int lineStart = s.lastIndexOf("\n", at - 1) + 1;
                    int lineEnd = s.indexOf("\n", at);
                    if (lineEnd < 0) lineEnd = s.length();
                    s.append('\n').append(s, lineStart, lineEnd);
                }
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] b = new byte[random.nextInt(200)];
        boolean mostlyText = random.nextBoolean();
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (mostlyText && random.nextInt(8) != 0 ? 32 + random.nextInt(95) : random.nextInt(256));
        }
        return b;
    }

    private static Path save(byte[] input, int n) throws IOException {
        Path out = Path.of("target", "fuzz-failures");
        Files.createDirectories(out);
        Path file = out.resolve("seed" + SEED + "-" + n + ".net");
        Files.write(file, input);
        return file;
    }
}
