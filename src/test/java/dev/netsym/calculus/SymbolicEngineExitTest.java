package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import dev.netsym.robust.ProcessOutput;
import java.io.File;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Symja's JAS thread pool once kept the JVM alive for a minute after main returned. */
class SymbolicEngineExitTest {

    /**
     * Run in a child JVM: uses Together and Simplify (the JAS paths) and returns without close(),
     * printing the verdict and then every thread that could keep the JVM alive after main.
     */
    public static void main(String[] args) {
        SymbolicEngine engine = new SymbolicEngine();
        Expr z = new Expr.Ref("z");
        Expr identity = new Expr.Sum(List.of(
                new Expr.Quotient(new Expr.Call("exp", List.of(z)),
                        new Expr.Sum(List.of(Expr.Num.of(1), new Expr.Call("exp", List.of(z))))),
                new Expr.Neg(new Expr.Call("sigmoid", List.of(z)))));
        SymbolicVerdict verdict = engine.isZero(identity);
        System.out.println(verdict);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.isDaemon() && t != Thread.currentThread()) System.out.println("non-daemon: " + t.getName());
        }
    }

    @Test
    void jvmExitsPromptlyAfterMainReturns() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(java, "-Xss64m", "-cp", classPath, SymbolicEngineExitTest.class.getName())
                .redirectErrorStream(true).start();
        // The behaviour: nothing but daemon threads is left when main returns. The budget only catches a hang.
        ProcessOutput output = ProcessOutput.collect(child, Duration.ofMinutes(3));
        assertTrue(output.finished(), "child JVM still running after 3 minutes: " + output.text());
        assertEquals(0, child.exitValue(), output.text());
        assertEquals("ZERO", output.text().strip(), output.text());
    }
}
