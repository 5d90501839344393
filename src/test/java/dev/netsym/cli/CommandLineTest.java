package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the command line, through Main as a user runs it: options, help, version and the mistakes. */
class CommandLineTest {
    private static final String SPEC = "examples/cs231n.net";
    private static final List<String> COMMANDS = List.of("check", "derive", "prove", "laws", "simulate", "latex", "dot", "spec", "help");

    /** A wrong command line: exit 64, nothing on stdout, the problem on one line, then where to read more. */
    private static void assertUsageError(String problem, String helpCommand, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(problem + "\nRun '" + helpCommand + " --help' for its usage and examples.\n", r.err());
    }

    @Test
    void unknownOptionsAndCommands() {
        assertUsageError("netsym: prove: unknown option '--nope'", "netsym prove", "prove", "--nope", SPEC);
        assertUsageError("netsym: check: unknown option '-x'", "netsym check", "check", "-x", SPEC);
        assertUsageError("netsym: unknown option '--nope'", "netsym", "--nope", "prove", SPEC);
        String commands = "; the commands are " + String.join(", ", COMMANDS);
        assertUsageError("netsym: unknown command 'frobnicate'" + commands, "netsym", "frobnicate", SPEC);
        assertUsageError("netsym: unknown command 'frobnicate'" + commands, "netsym", "help", "frobnicate");
    }

    @Test
    void aMistypedOptionOrCommandGetsTheLikelyOne() {
        assertUsageError("netsym: prove: unknown option '--fromat'; did you mean --format?", "netsym prove",
                "prove", "--fromat", "json", SPEC);
        assertUsageError("netsym: derive: unknown option '--parm'; did you mean --param?", "netsym derive",
                "derive", "--parm", "w1", SPEC);
        assertUsageError("netsym: unknown command 'prvoe'; did you mean prove?", "netsym", "prvoe", SPEC);
        // Nothing close: no guess.
        assertUsageError("netsym: prove: unknown option '--colour'", "netsym prove", "prove", "--colour", SPEC);
    }

    @Test
    void missingAndExtraArguments() {
        assertUsageError("netsym: check: missing FILE", "netsym check", "check");
        assertUsageError("netsym: prove: missing FILE", "netsym prove", "prove", "--full");
        assertUsageError("netsym: check: unexpected argument 'b.net'", "netsym check", "check", "a.net", "b.net");
        assertUsageError("netsym: help: unexpected argument 'dot'", "netsym help", "help", "prove", "dot");
    }

    @Test
    void missingOptionValues() {
        assertUsageError("netsym: prove: option '--timeout' needs a value (SECONDS)", "netsym prove",
                "prove", SPEC, "--timeout");
        assertUsageError("netsym: latex: option '-o' needs a value (OUT.tex)", "netsym latex", "latex", SPEC, "-o");
        // An option's name is never taken for another option's value.
        assertUsageError("netsym: prove: option '--format' needs a value (FORMAT)", "netsym prove",
                "prove", "--format", "--full", SPEC);
        assertUsageError("netsym: derive: option '--at' needs a value (VALUES)", "netsym derive",
                "derive", "--at", "--", SPEC);
    }

    @Test
    void badOptionValues() {
        assertUsageError("netsym: prove: option '--format': 'yaml' is not one of text, json, markdown", "netsym prove",
                "prove", "--format", "yaml", SPEC);
        assertUsageError("netsym: prove: option '--format': 'JSON' is not one of text, json, markdown", "netsym prove",
                "prove", "--format=JSON", SPEC);
        assertUsageError("netsym: prove: option '--timeout': 'soon' is not a number", "netsym prove",
                "prove", "--timeout", "soon", SPEC);
        assertUsageError("netsym: prove: option '--full' takes no value", "netsym prove", "prove", "--full=yes", SPEC);
        assertUsageError("netsym: prove: option '--format' is given more than once", "netsym prove",
                "prove", "--format", "json", "--format", "text", SPEC);
    }

    @Test
    void theFirstMistakeIsTheOneReported() {
        assertUsageError("netsym: prove: unknown option '--nope'", "netsym prove",
                "prove", "--nope", "--format", "yaml", SPEC, "extra");
    }

    @Test
    void helpAndVersionWinOverMistakes() {
        CliRun help = CliRun.of("prove", "--nope", "--format", "yaml", "-h", "extra");
        assertEquals(ExitCodes.OK, help.exitCode(), help::toString);
        assertEquals("", help.err());
        assertTrue(help.out().startsWith("Prove which parameters"), help.out());
        CliRun version = CliRun.of("check", "--version");
        assertEquals(ExitCodes.OK, version.exitCode(), version::toString);
        assertEquals("", version.err());
    }

    @Test
    void everyCommandHasTheSameHelpFromEveryWayOfAsking() {
        String main = CliRun.of("--help").out();
        assertEquals(main, CliRun.of().out(), "netsym alone shows its help");
        assertEquals(main, CliRun.of("-h").out());
        assertEquals(main, CliRun.of("help").out());
        for (String command : COMMANDS) {
            CliRun help = CliRun.of(command, "--help");
            assertEquals(ExitCodes.OK, help.exitCode(), help::toString);
            assertEquals("", help.err());
            assertTrue(help.out().contains("Usage: netsym " + command + " [-hV]"), help.out());
            assertEquals(help.out(), CliRun.of(command, "-h").out());
            // 'help spec' is the language reference, which points to the spec command's own help.
            assertEquals(command.equals("spec") ? CliRun.of("help", "spec").out() : help.out(), CliRun.of("help", command).out());
            help.out().lines().forEach(l -> assertTrue(l.length() <= 100, "longer than 100 columns: " + l));
        }
    }

    @Test
    void helpSpecIsTheLanguageReference() {
        CliRun spec = CliRun.of("help", "spec");
        assertEquals(ExitCodes.OK, spec.exitCode(), spec::toString);
        assertEquals("", spec.err());
        for (String section : List.of("Statements", "Expressions", "What becomes a parameter", "Initial values",
                "Activations", "Data", "Assumptions", "Tensors", "What prove reports")) {
            assertTrue(spec.out().contains("\n" + section + "\n"), section);
        }
        for (String fact : List.of("layer h[256] = tanh(dense(x))", "leaky_relu(z, slope)", "init all = a",
                "x = [1, 2, 3]", "c1, c2, ...", "undecided", "assume x1 >= 0", "h = tanh(W @ x + b)", "init E2 = E1",
                "netsym spec --help")) {
            assertTrue(spec.out().contains(fact), fact);
        }
        spec.out().lines().forEach(l -> assertTrue(l.length() <= 100, "longer than 100 columns: " + l));
        assertTrue(CliRun.of("--help").out().contains("  netsym help spec\n"));
        assertTrue(CliRun.of("help", "--help").out().contains("'netsym help spec' shows the spec language"));
    }

    @Test
    void versionOnEveryCommand() {
        String version = CliRun.of("--version").out();
        assertTrue(version.matches("netsym (\\(development build\\)|[0-9][^ ]*)\n"), version);
        assertEquals(version, CliRun.of("-V").out());
        for (String command : COMMANDS) {
            CliRun r = CliRun.of(command, "-V");
            assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
            assertEquals(version, r.out());
        }
    }

    @Test
    void helpLaysOutOptionsInColumnsWithDefaultsAndChoices() {
        assertEquals("""
                Prove which parameters stay equal, which never move, which separate.
                Usage: netsym prove [-hV] [--full] [--optimizers] [--format=FORMAT] [--loss=LOSS] [-o=FILE]
                                    [--timeout=SECONDS] [--witness-script=LANG] [--init=GLOB=VALUE]...
                                    [--shape=NAME=2x16]... FILE
                Proves which parameters gradient descent keeps equal at every step (classes), which never
                move (frozen), and which separate, each claim with a certificate or a witness.

                The result is the greatest set of equalities that holds from the spec's initialisation for
                every dataset (or for the spec's 'data' lines), batch order and learning-rate schedule.
                      FILE                    The network spec file ('-' reads standard input), or an ONNX model
                                                (FILE.onnx).
                      --format=FORMAT         Output format: text, json, markdown (default: text).
                      --full                  List every class and separation, even for big networks, and write
                                                every expression out as computed, however long.
                  -h, --help                  Show this help and exit.
                      --init=GLOB=VALUE       For an ONNX model: start the matching parameters (a tensor's name, or
                                                elements such as 'q.weight[0,*]') at VALUE instead of their stored
                                                values: random, a number, or a symbol such as a, -a, 2*a/3.
                      --loss=LOSS             For an ONNX model: the objective on its outputs: generic (every
                                                differentiable loss at once), sum, mse or cross-entropy (against
                                                targets of the output's shape) (default: generic).
                  -o, --output=FILE           Where --witness-script writes the script (the proof still goes to
                                                standard output).
                      --optimizers            Also say, per optimiser (momentum, Adam, weight decay, L1, clipping,
                                                per-parameter learning rates, gradient noise, ...), which classes
                                                and frozen parameters it keeps: the argument for each one kept, a
                                                run under that optimiser for each one broken. Proves again under
                                                weight decay when a frozen parameter does not start at 0.
                      --shape=NAME=2x16       For an ONNX model: fix the shape of an input whose dimensions the file
                                                leaves open.
                      --timeout=SECONDS       Time budget of the whole proof (default: 60); when it runs out the
                                                output says what is undecided and netsym exits with 75.
                  -V, --version               Print the version of netsym and exit.
                      --witness-script=LANG   Also write every witness as a Python script that replays it in float64
                                                and prints what it shows: python or torch (NumPy, or PyTorch with
                                                autograd); needs -o.

                Examples:
                  netsym prove examples/cs231n.net
                  netsym prove --format json examples/cs231n.net > proof.json
                  netsym prove --format markdown examples/cs231n.net > proof.md
                  netsym prove --timeout 10 big.net
                  netsym prove --optimizers examples/dead-relu.net
                  netsym prove examples/cs231n.net --witness-script python -o witness.py && python3 witness.py
                  netsym prove examples/onnx/lora_zero.onnx
                  netsym prove --init 'lora_A.weight=random' --loss mse examples/onnx/lora_zero.onnx
                """, CliRun.of("prove", "--help").out());
        String derive = CliRun.of("derive", "--help").out();
        assertTrue(derive.contains("""
                Usage: netsym derive [-hV] [--full] [--at=VALUES] [--format=FORMAT] [--loss=LOSS]
                                     [--timeout=SECONDS] [--init=GLOB=VALUE]... [--param=NAME]...
                                     [--shape=NAME=2x16]... FILE
                """), derive);
        assertTrue(CliRun.of("latex", "--help").out().contains(
                "  -o, --output=OUT.tex    Write the document here (default: standard output).\n"));
    }

    @Test
    void valuesGoInTheNextArgumentOrAfterAnEqualsSign(@TempDir Path dir) throws Exception {
        String json = CliRun.of("prove", "--format", "json", SPEC).out();
        assertTrue(json.startsWith("{"), json);
        assertEquals(json, CliRun.of("prove", "--format=json", SPEC).out());

        String dot = CliRun.of("dot", SPEC).out();
        assertEquals(dot, written(dir.resolve("a.dot"), "dot", SPEC, "-o", dir.resolve("a.dot").toString()));
        assertEquals(dot, written(dir.resolve("b.dot"), "dot", SPEC, "-o=" + dir.resolve("b.dot")));
        assertEquals(dot, written(dir.resolve("c.dot"), "dot", SPEC, "-o" + dir.resolve("c.dot")));
        assertEquals(dot, written(dir.resolve("d.dot"), "dot", "--output", dir.resolve("d.dot").toString(), SPEC));
        assertEquals(dot, written(dir.resolve("e.dot"), "dot", "--output=" + dir.resolve("e.dot"), SPEC));
    }

    private static String written(Path file, String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertEquals("", r.err());
        return Files.readString(file);
    }

    @Test
    void aRepeatableOptionKeepsEveryValue() {
        CliRun r = CliRun.of("derive", SPEC, "--param", "w1", "--param=w9");
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        List<String> gradients = r.out().lines().filter(l -> l.startsWith("  ∂y/∂w")).map(l -> l.substring(2, 8))
                .toList();
        assertEquals(List.of("∂y/∂w1", "∂y/∂w9"), gradients, r.out());
    }

    @Test
    void doubleDashEndsTheOptions() {
        CliRun r = CliRun.of("check", "--", "-no-such.net");
        assertEquals(ExitCodes.NO_INPUT, r.exitCode(), r::toString);
        assertEquals("netsym: -no-such.net: no such file\n", r.err());
    }

    @Test
    void aNegativeNumberIsAValueNotAnOption() {
        CliRun r = CliRun.of("prove", "--timeout", "-1", SPEC);
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("netsym: prove: option '--timeout': '-1' is not a positive number of seconds (at most 1000000)\n"
                + "Run 'netsym prove --help' for its usage and examples.\n", r.err());
    }
}
