package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netsym prove}'s timeline (when each parameter can first move) and the reasons frozen
 * parameters never move, end to end on the examples, in text and JSON.
 */
class TimelineCommandTest {
    private static final Pattern MOVE = Pattern.compile("\\{\"parameter\": \"([^\"]+)\", \"first_move_step\": "
            + "(null|\\d+), \"not_before_step\": (\\d+), \"witness_step\": (null|\\d+), \"waits_for\": \\[([^]]*)]}");

    private static CliRun prove(String spec, String... format) {
        String[] args = new String[format.length + 2];
        args[0] = "prove";
        System.arraycopy(format, 0, args, 1, format.length);
        args[args.length - 1] = spec;
        CliRun r = CliRun.of(args);
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertEquals("", r.err(), "a good run prints nothing on stderr");
        return r;
    }

    private static String json(String example) {
        return prove("examples/" + example, "--format", "json").out();
    }

    /**
     * Every parameter's entry: the proved step never after a witness's step (a run that moved
     * it earlier would refute the proof), and a first step stated only when both agree.
     */
    private static void assertConsistentMoves(String json) {
        Matcher m = MOVE.matcher(json);
        int count = 0;
        while (m.find()) {
            count++;
            int notBefore = Integer.parseInt(m.group(3));
            assertTrue(notBefore >= 1, m.group());
            if (!m.group(4).equals("null")) assertTrue(Integer.parseInt(m.group(4)) >= notBefore, m.group());
            boolean exact = m.group(4).equals(m.group(3));
            assertEquals(exact ? m.group(3) : "null", m.group(2), m.group());
        }
        assertEquals(count, json.split("\"first_move_step\"", -1).length - 1, "every move entry is well formed");
    }

    @Test
    void loraMovesBAtStepOneAndAAtStepTwo() {
        String text = prove("examples/lora.net").out();
        assertTrue(text.contains("When each parameter first moves (proved not earlier; a witness run moves it then):\n"
                + "  B, W: from step 1\n"
                + "  A: from step 2 (before that its gradient is 0 while B is still at the start)\n"), text);
        assertTrue(!text.contains("Why the frozen parameters never move"), text);

        String json = json("lora.net");
        assertConsistentMoves(json);
        assertTrue(json.contains("{\"parameter\": \"A[2,3]\", \"first_move_step\": 2, \"not_before_step\": 2, "
                + "\"witness_step\": 2, \"waits_for\": [\"B\"]}"), json);
        assertTrue(json.contains("{\"parameter\": \"B[3,2]\", \"first_move_step\": 1, \"not_before_step\": 1, "
                + "\"witness_step\": 1, \"waits_for\": []}"), json);
        assertTrue(json.contains("\"frozen_reasons\": []"), json);
        // The separation that shows A moving says when, exactly.
        assertTrue(json.contains("\"first\": \"A[1,1]\", \"second\": null, \"opposite\": false, \"kind\": \"moves\", "
                + "\"round\": 2, \"first_split_step\": 2, \"not_before_step\": 2"), json);
    }

    @Test
    void loraWithBothAdaptersAtZeroNamesEachAsTheOthersBlocker() {
        String text = prove("examples/lora-zero.net").out();
        assertTrue(text.contains("  W: from step 1\n"), text);
        assertTrue(text.contains("Why the frozen parameters never move:\n"
                + "  A: zero gradient on the invariant set, held at 0 by B (with it free, it would move)\n"
                + "  B: zero gradient on the invariant set, held at 0 by A (with it free, it would move)\n"), text);

        String json = json("lora-zero.net");
        assertConsistentMoves(json);
        assertTrue(json.contains("{\"parameter\": \"A[1,1]\", \"reason\": \"zero_gradient_on_invariant_set\", "
                + "\"blocked_by\": [\"B\"]}"), json);
        assertTrue(json.contains("{\"parameter\": \"B[3,2]\", \"reason\": \"zero_gradient_on_invariant_set\", "
                + "\"blocked_by\": [\"A\"]}"), json);
        assertTrue(!json.contains("\"parameter\": \"A[1,1]\", \"first_move_step\""), "a frozen parameter has no move");
    }

    @Test
    void rezeroMovesAlphaAtStepOneAndTheBranchNotBeforeStepTwo() {
        String text = prove("examples/rezero.net").out();
        assertTrue(text.contains("  alpha: from step 1\n"), text);
        // every element of W is seen moving at step 2 in some run (the tries go on until each is)
        assertTrue(text.contains("  W: from step 2 (before that its gradient is 0 while alpha is still at the start)\n"),
                text);

        String json = json("rezero.net");
        assertConsistentMoves(json);
        assertTrue(json.contains("{\"parameter\": \"alpha\", \"first_move_step\": 1, \"not_before_step\": 1, "
                + "\"witness_step\": 1, \"waits_for\": []}"), json);
        for (String w : new String[] {"W[1,1]", "W[2,2]", "W[3,3]"}) {
            assertTrue(json.contains("{\"parameter\": \"" + w + "\", \"first_move_step\": "), json);
            assertTrue(Pattern.compile("\\{\"parameter\": \"" + Pattern.quote(w) + "\", \"first_move_step\": (2|null), "
                    + "\"not_before_step\": 2, \"witness_step\": \\d+, \"waits_for\": \\[\"alpha\"]}").matcher(json).find(),
                    json);
        }
    }

    @Test
    void zeroGateMovesTheGateFirstAndTheWeightsAroundItNext() {
        String text = prove("examples/zero-gate.net").out();
        assertTrue(text.contains("  g: from step 1\n"
                + "  V, W: from step 2 (before that its gradient is 0 while g is still at the start)\n"), text);

        String json = json("zero-gate.net");
        assertConsistentMoves(json);
        assertTrue(json.contains("{\"parameter\": \"g[3]\", \"first_move_step\": 1, \"not_before_step\": 1, "
                + "\"witness_step\": 1, \"waits_for\": []}"), json);
        assertTrue(json.contains("{\"parameter\": \"V[2,4]\", \"first_move_step\": 2, \"not_before_step\": 2, "
                + "\"witness_step\": 2, \"waits_for\": [\"g\"]}"), json);
        assertTrue(json.contains("\"frozen\": []"), json);
    }

    @Test
    void deadReluWeightsAreBlockedByTheAssumption() {
        String text = prove("examples/dead-relu.net").out();
        assertTrue(text.contains("  b: from step 1\n"), text);
        assertTrue(text.contains("Why the frozen parameters never move:\n"
                + "  v1, v2, w1, w2, w3, w4: blocked by the assumption a < 0 (without it, its gradient is not 0)\n"),
                text);

        String json = json("dead-relu.net");
        assertConsistentMoves(json);
        assertTrue(json.contains("{\"parameter\": \"w3\", \"reason\": \"blocked_by_assumption\", "
                + "\"blocked_by\": [\"a < 0\"]}"), json);
    }

    /** The LaTeX proof says the same as the text: when each parameter moves, and why the frozen ones never do. */
    @Test
    void theLatexProofHasTheTimelineAndTheFrozenReasons() {
        CliRun lora = CliRun.of("latex", "examples/lora.net");
        assertEquals(ExitCodes.OK, lora.exitCode(), lora.toString());
        assertTrue(lora.out().contains("\\subsection*{When each parameter first moves}\n"
                + "Proved not earlier; a witness run moves it then.\n\\begin{itemize}\n"
                + "\\item $B,\\allowbreak W$: from step 1.\n"
                + "\\item $A$: from step 2 (before that its gradient is 0 while B is still at the start).\n"), lora.out());
        assertFalse(lora.out().contains("Why the frozen parameters never move"), lora.out());
        CliRun dead = CliRun.of("latex", "examples/dead-relu.net");
        assertEquals(ExitCodes.OK, dead.exitCode(), dead.toString());
        assertTrue(dead.out().contains("\\subsection*{Why the frozen parameters never move}\n\\begin{itemize}\n"
                + "\\item $v_{1},\\allowbreak v_{2},"), dead.out());
        assertTrue(dead.out().contains("blocked by the assumption a \\textless{} 0 (without it, its gradient is not 0)."),
                dead.out());
    }

    @Test
    void everyPathThroughAZeroNamesTheZerosThatHoldIt() {
        String json = json("cs231n-zero.net");
        assertTrue(json.contains("\"moves\": []"), json);
        // y = w9·y3 + w10·y4: with w10 and w8 free (the rest at 0), ∂y/∂w2 = w8·w10·x1 is not 0.
        assertTrue(json.contains("{\"parameter\": \"w2\", \"reason\": \"zero_gradient_on_invariant_set\", "
                + "\"blocked_by\": [\"w8\", \"w10\"]}"), json);
    }

    @Test
    void aParameterTheObjectiveNeverReadsIsDisconnected(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("unused.net");
        Files.writeString(spec, "network unused\ninput x\nparam w, u\ny = w*x\nobjective y\ninit w = 1\ninit u = 0\n");
        CliRun text = CliRun.of("prove", spec.toString());
        assertEquals(ExitCodes.OK, text.exitCode(), text.toString());
        assertTrue(text.out().contains("  u: disconnected: the objective does not depend on it at all\n"), text.out());
        assertTrue(text.out().contains("  w: from step 1\n"), text.out());
        CliRun json = CliRun.of("prove", "--format", "json", spec.toString());
        assertTrue(json.out().contains("\"frozen_reasons\": [{\"parameter\": \"u\", \"reason\": \"disconnected\", "
                + "\"blocked_by\": []}]"), json.out());
    }
}
