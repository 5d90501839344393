package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** netsym derive end to end, through Main as a user runs it. */
class DeriveCommandTest {
    static final String CS231N = "examples/cs231n.net";

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "derive";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = Main.run(all, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString().replace("\r\n", "\n"));
    }

    static String golden(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/golden", name), StandardCharsets.UTF_8);
    }

    /**
     * Compares with src/test/resources/golden/NAME. The golden is written only on request, with
     * -Dnetsym.updateGoldens=true, after checking the change by eye: a test that wrote its own
     * expected output would pass whatever it produced.
     */
    static void assertGolden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("netsym.updateGoldens")) {
            Files.writeString(Path.of("src/test/resources/golden", name), actual, StandardCharsets.UTF_8);
            fail("golden " + name + " rewritten (-Dnetsym.updateGoldens=true); check the change and run again without it");
        }
        assertEquals(golden(name), actual, name);
    }

    @Test
    void cs231nTextMatchesTheGoldenFile() throws IOException {
        Run r = run(CS231N);
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals("", r.err());
        assertGolden("cs231n-derive.txt", r.out());
    }

    @Test
    void cs231nJsonMatchesTheGoldenFile() throws IOException {
        Run r = run(CS231N, "--format", "json");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertGolden("cs231n-derive.json", r.out());
    }

    @Test
    void paramShowsOnlyTheNamedGradientsInNetworkOrder() {
        Run r = run(CS231N, "--param", "w9", "--param", "w1");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("∂y/∂w1 ="), r.out());
        assertTrue(r.out().contains("∂y/∂w9 ="), r.out());
        assertFalse(r.out().contains("∂y/∂w5 ="), r.out());
        assertTrue(r.out().indexOf("∂y/∂w1 =") < r.out().indexOf("∂y/∂w9 ="));
        assertTrue(r.out().contains("  y3 = w5·y1 + w7·y2"), "units stay, for context");
    }

    @Test
    void atEvaluatesEveryGradientAtTheGivenValues() {
        Run r = run(CS231N, "--param", "w5", "--at", "w9 = 1/2, x1=0, w1=b");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("""
                  ∂y/∂w5 = ∂y/∂y3 · ∂y3/∂w5 + ∂y/∂y4 · ∂y4/∂w5
                         = w9·y1 + w10·0
                         = w9·y1
                         = w9·(w1·x1 + w3·x2)
                    at init = a²·(x1 + x2)
                    at the point = w3·x2/2
                """), r.out());
    }

    @Test
    void atInJson() {
        Run r = run(CS231N, "--format", "json", "--param", "w10", "--at", "w6=-2");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("\"w10\": {\"chain\": \"dy/dw10\", \"local\": \"y4\", "
                + "\"expr\": \"w6*(w1*x1 + w3*x2) + w8*(w2*x1 + w4*x2)\", \"at_init\": \"2*a^2*(x1 + x2)\", "
                + "\"at_point\": \"w8*(w2*x1 + w4*x2) - 2*(w1*x1 + w3*x2)\""), r.out());
        assertFalse(r.out().contains("\"w9\""), r.out());
    }

    @Test
    void unknownParamIsAUsageErrorListingTheParameters() {
        Run r = run(CS231N, "--param", "w11");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals("", r.out());
        assertEquals("netsym: derive: --param: cs231n_toy has no parameter 'w11'; its parameters are "
                + "w1, w2, w3, w4, w5, w6, w7, w8, w9, w10\n", r.err());
    }

    @Test
    void badAtValuesAreUsageErrorsThatSayWhatIsWrong() {
        assertAtError("w1=0, w2=b c", "--at: the value of w2 must be a number (0, -1/2, 0.5) or a name, "
                + "got 'b c' (unexpected 'c' at character 3)");
        assertAtError("w1=x1+1", "--at: the value of w1 must be a number (0, -1/2, 0.5) or a name, "
                + "got 'x1+1' (unexpected '+' at character 3)");
        assertAtError("w1=1; objective w2", "--at: the value of w1 must be a number (0, -1/2, 0.5) or a name, "
                + "got '1; objective w2'");
        assertAtError("w1=random", "--at: the value of w1 must be a number (0, -1/2, 0.5) or a name, got 'random'");
        assertAtError("w1", "--at: expected NAME=VALUE, got 'w1'");
        assertAtError("w1=", "--at: the value of w1 is missing");
        assertAtError("w1=0, w1=1", "--at: w1 is given twice");
        assertAtError("q=1", "--at: unknown name 'q'; the names are w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, x1, x2, a");
    }

    private static void assertAtError(String at, String message) {
        Run r = run(CS231N, "--at", at);
        assertEquals(ExitCodes.USAGE, r.exit(), at);
        assertEquals("", r.out());
        assertEquals("netsym: derive: " + message + "\n", r.err());
    }

    @Test
    void badFormatAndTimeoutAreUsageErrors() {
        Run format = run(CS231N, "--format", "xml");
        assertEquals(ExitCodes.USAGE, format.exit());
        assertTrue(format.err().startsWith("netsym: derive: option '--format': 'xml' is not one of text, json\n"),
                format.err());
        Run timeout = run(CS231N, "--timeout", "-1");
        assertEquals(ExitCodes.USAGE, timeout.exit());
        assertEquals("netsym: derive: option '--timeout': '-1' is not a positive number of seconds (at most 1000000)\n"
                + "Run 'netsym derive --help' for its usage and examples.\n", timeout.err());
        Run huge = run(CS231N, "--timeout", "1e9");
        assertEquals(ExitCodes.USAGE, huge.exit());
        assertTrue(huge.err().startsWith("netsym: derive: option '--timeout': '1e9' is not a positive number"), huge.err());
    }

    @Test
    void aTinyBudgetEndsWithTheTimedOutCode() {
        Run r = run(CS231N, "--timeout", "0.001");
        assertEquals(ExitCodes.TIMED_OUT, r.exit());
        assertTrue(r.err().contains("the time budget of 0.001 s ran out"), r.err());
    }

    @Test
    void namesWithCommasInBracketsAreReadWhole(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("dense.net");
        Files.writeString(spec, """
                input x[2]
                layer h[1] = dense(x)
                objective h[1]
                init all = a
                """);
        Run r = run(spec.toString(), "--param", "W_h[1,2]", "--at", "W_h[1,2]=3, x[2]=1");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        // The matrix form of the layer follows the scalar gradients of this small network.
        assertTrue(r.out().contains("""
                  ∂h[1]/∂W_h[1,2] = x[2]
                    at init = x[2]
                    at the point = 1

                Gradients in matrix form
                """), r.out());
    }

    @Test
    void specErrorsAndMissingFilesKeepTheirCodes(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.net");
        Files.writeString(bad, "y = (w*x\n");
        assertEquals(ExitCodes.BAD_SPEC, run(bad.toString()).exit());
        assertEquals(ExitCodes.NO_INPUT, run(dir.resolve("missing.net").toString()).exit());
    }

    @Test
    void aBigTensorNetworkGetsItsMatrixFormAndOneParameterOnRequest(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("wide.net");
        Files.writeString(spec, "input x[2,80]\nparam W[80,80]\nh = tanh(x @ W)\nobjective sum(h)\ninit all = random\n");
        Run r = run(spec.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("  ∂L/∂W = xᵀ δ_z_h\n"), r.out());
        String note = r.out().replaceAll("\\s+", " ");
        assertTrue(note.contains("(The 6,400 gradients element by element are left out: over 5,000 they are more than"
                + " anyone reads one by one; 'netsym derive --param NAME' derives one parameter's (repeatable),"
                + " 'netsym derive --full' all of them)"), r.out());
        assertFalse(r.out().contains("Units"), r.out());
        assertTrue(r.out().lines().count() < 30, r.out());
        // Asked for, one element's gradient is derived as before, beside the matrix form.
        Run one = run(spec.toString(), "--param", "W[1,1]");
        assertEquals(ExitCodes.OK, one.exit(), one.err());
        assertTrue(one.out().contains("∂L/∂W[1,1] = "), one.out());
        assertFalse(one.out().contains("left out"), one.out());
        // JSON follows the text: the matrix form and what is left out (it had every element's gradient).
        Run json = run(spec.toString(), "--format", "json");
        assertEquals(ExitCodes.OK, json.exit(), json.err());
        assertEquals("", json.err());
        assertTrue(json.out().startsWith("{\n  \"objective\": \"L\",\n  \"form\": \"matrix\",\n  \"units_left_out\": 160,\n"
                + "  \"gradients_left_out\": 6400,\n  \"left_out\": \"The 6,400 gradients element by element are left out:"), json.out());
        assertTrue(json.out().contains("\"∂L/∂W\": \"xᵀ δ_z_h\""), json.out());
        assertFalse(json.out().contains("W[1,1]"), json.out());
        assertTrue(dev.netsym.robust.JsonSyntax.isValid(json.out()), json.out());
        Run jsonOne = run(spec.toString(), "--format", "json", "--param", "W[1,1]");
        assertTrue(jsonOne.out().contains("\"gradients\": {\n    \"W[1,1]\""), jsonOne.out());
    }
}
