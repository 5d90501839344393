package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.expression.S;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Nothing Symja can do besides algebra is reachable: expressions with effects are refused
 * before evaluation, and Symja's own switches for files and Java calls stay off, so that
 * even an expression that got past the guard could not write or read a file.
 */
class SymjaSandboxTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** Expressions with effects, built with F.* as an attacker with access to the engine would. */
    private List<IExpr> hostile() {
        String target = dir.resolve("pwned.txt").toString();
        return List.of(
                F.binaryAST2(S.Export, F.stringx(target), F.C1),
                F.binaryAST2(S.Put, F.C1, F.stringx(target)),
                F.binaryAST2(S.WriteString, F.stringx(target), F.stringx("x")),
                F.unaryAST1(S.OpenWrite, F.stringx(target)),
                F.unaryAST1(S.Get, F.stringx("/etc/passwd")),
                F.unaryAST1(S.Import, F.stringx("/etc/passwd")),
                F.unaryAST1(S.URLFetch, F.stringx("http://127.0.0.1:9/")),
                F.unaryAST1(S.JavaNew, F.stringx("java.io.File")),
                F.unaryAST1(S.SystemDialogInput, F.stringx("Color")),
                F.unaryAST1(S.Print, F.stringx("hello")),
                F.unaryAST1(S.Pause, F.C10),
                F.unaryAST1(F.symbol("Run"), F.stringx("touch " + target)),
                // Hidden inside an allowed function, and as the head of a head.
                F.Plus(F.C1, F.binaryAST2(S.Put, F.C1, F.stringx(target))),
                F.unaryAST1(F.unaryAST1(S.Export, F.stringx(target)), F.C1));
    }

    @Test
    void expressionsWithEffectsAreRefusedBeforeEvaluation() throws IOException {
        try (SymbolicEngine engine = new SymbolicEngine()) {
            for (IExpr e : hostile()) {
                SymbolicResult<IExpr> r = engine.evaluateSymja(e);
                assertFalse(r.isKnown(), () -> "evaluated: " + e);
                assertTrue(r.unknownReason().contains("netsym does not evaluate"), r::unknownReason);
            }
            // The guard lets algebra through.
            SymbolicResult<IExpr> sum = engine.evaluateSymja(F.Plus(F.C1, F.C2));
            assertTrue(sum.isKnown() && sum.value().equals(F.C3), sum::toString);
        }
        assertEquals(List.of(), files());
    }

    @Test
    void symjasOwnSwitchesForFilesAndJavaAreOff() throws Exception {
        new SymbolicEngine().close(); // its class initialisation sets the switches
        assertFalse(Config.FILESYSTEM_ENABLED);
        assertFalse(Config.JAVA_UNSAFE);
        // Past the guard, straight into an engine configured as netsym configures it.
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            thread.submit(() -> {
                EvalEngine engine = SymbolicEngine.newEvalEngine();
                EvalEngine.set(engine);
                assertFalse(Config.isFileSystemEnabled(engine));
                for (IExpr e : hostile()) {
                    if (e.head() == S.Pause || e.head() == S.URLFetch) continue; // slow, not file-related
                    engine.evaluate(e);
                }
                return null;
            }).get(60, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
        assertEquals(List.of(), files());
    }

    @Test
    void undefinedValuesAreUnknownNotZero() {
        try (SymbolicEngine engine = new SymbolicEngine()) {
            // 1/(v - v): Symja says ComplexInfinity, and would differentiate that to 0.
            IExpr v = F.Dummy("v");
            assertFalse(engine.evaluateSymja(F.Power(F.Subtract(v, v), F.CN1)).isKnown());
            assertFalse(engine.evaluateSymja(F.Times(F.C0, F.Power(F.C0, F.CN1))).isKnown());
        }
    }
}
