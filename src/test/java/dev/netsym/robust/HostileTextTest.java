package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Characters and sizes meant to abuse the user's terminal or the lexer. */
class HostileTextTest {
    @TempDir
    Path dir;

    private String errorsFor(String spec) throws Exception {
        CliRun run = CliRun.check(dir, spec);
        run.assertRefusedWithDiagnostics();
        return run.err().replace(dir.resolve("spec.net").toString(), "f");
    }

    @Test
    void controlBidiAndSeparatorCharactersAreNamedNotPrinted() throws Exception {
        // CSI (U+009B) and ESC start terminal escapes, U+202E reverses text, U+2028 and U+0085 end lines.
        assertEquals("""
                f:2:9: error: unexpected character U+009B
                f:2:10: error: unexpected character U+001B
                f:2:16: error: unexpected character U+202E
                f:2:17: error: unexpected character U+2028
                f:2:18: error: unexpected character U+0085
                f:2:19: error: unexpected character U+00A0
                f:2:20: error: unexpected character U+0000
                f:2:21: error: unexpected character 'é'
                """, errorsFor("input x\ny = w*x \u009b\u001b[31m \u202e\u2028\u0085\u00a0\u0000é\nobjective y\n"));
    }

    @Test
    void aMegabyteLongNameIsQuotedOnlyInPart() throws Exception {
        String name = "n".repeat(1_000_000);
        String err = errorsFor("input x\ny = w*x " + name + "\nobjective y\n");
        assertEquals("f:2:9: error: missing operator between x and " + "n".repeat(37) + "...\n", err);
    }

    @Test
    void tooManyTokensAreRefusedWhileLexing() throws Exception {
        // Four million semicolons: empty statements, but every token is kept until parsing.
        assertEquals("f:1:4000003: error: the spec is too large: it has more than 4000000 names, numbers and symbols\n",
                errorsFor("y = x" + ";".repeat(4_100_000)));
    }
}
