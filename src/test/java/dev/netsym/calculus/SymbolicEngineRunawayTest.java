package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * An evaluation that ignores Symja's stop request is left running, and may hold the monitor
 * of a built-in symbol that every engine needs. While it does, calls answer "unknown" at
 * once instead of each waiting out its time limit; once it lets go, they work again.
 */
class SymbolicEngineRunawayTest {

    @Test
    void callsFailFastWhileAnAbandonedEvaluationHoldsAMonitorAndRecoverAfter() throws Exception {
        Object sharedSymbol = new Object();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread runaway = new Thread(() -> {
            synchronized (sharedSymbol) {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // let go
                }
            }
        }, "netsym-symja");
        runaway.setDaemon(true);
        runaway.start();
        holding.await();

        try (SymbolicEngine engine = new SymbolicEngine(Duration.ofSeconds(30))) {
            Expr z = new Expr.Ref("z");
            Expr tanh = new Expr.Call("tanh", List.of(z));
            assertTrue(engine.differentiate(tanh, "z").isKnown(), "works before anything is abandoned");

            SymbolicEngine.Abandoned.add(runaway);
            long t0 = System.nanoTime();
            SymbolicResult<Expr> blocked = engine.differentiate(tanh, "z");
            assertFalse(blocked.isKnown());
            assertTrue(blocked.unknownReason().contains("did not stop at its time limit"), blocked.unknownReason());
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "answered without waiting out the limit");

            release.countDown();
            runaway.join();
            assertNull(SymbolicEngine.Abandoned.blocking());
            assertTrue(engine.differentiate(tanh, "z").isKnown(), "works again once the runaway let go");
        } finally {
            release.countDown();
        }
    }
}
