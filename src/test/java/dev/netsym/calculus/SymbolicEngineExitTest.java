package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Symja's JAS thread pool once kept the JVM alive for a minute after main returned. */
class SymbolicEngineExitTest {

    /** Run in a child JVM: uses Together and Simplify (the JAS paths) and returns without close(). */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        SymbolicEngine engine = new SymbolicEngine();
        Expr z = new Expr.Ref("z");
        Expr identity = new Expr.Sum(List.of(
                new Expr.Quotient(new Expr.Call("exp", List.of(z)),
                        new Expr.Sum(List.of(Expr.Num.of(1), new Expr.Call("exp", List.of(z))))),
                new Expr.Neg(new Expr.Call("sigmoid", List.of(z)))));
        SymbolicVerdict verdict = engine.isZero(identity);
        System.out.println(verdict + " " + (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void jvmExitsPromptlyAfterMainReturns() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(java, "-Xss64m", "-cp", classPath, SymbolicEngineExitTest.class.getName())
                .redirectErrorStream(true).start();
        long t0 = System.nanoTime();
        boolean exited = child.waitFor(30, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!exited) child.destroyForcibly();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(exited, "child JVM still running after 30 s: " + output);
        assertEquals(0, child.exitValue(), output);
        String[] fields = output.strip().split("\\s+");
        assertEquals("ZERO", fields[fields.length - 2], output);
        System.err.printf("child JVM: engine + first zero test %s ms, whole run %d ms%n", fields[fields.length - 1], ms);
        assertTrue(ms < 15_000, ms + " ms");
    }
}
