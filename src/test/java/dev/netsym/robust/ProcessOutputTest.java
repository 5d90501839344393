package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The helper that runs pdflatex, dot and child JVMs in tests: its time limit can fire. */
class ProcessOutputTest {
    @Test
    void aProcessThatFillsThePipeAndNeverEndsIsKilledAtTheEndOfTheBudget() throws Exception {
        // A megabyte fills any pipe; then it would wait for ten minutes.
        Process p = new ProcessBuilder(List.of("bash", "-c", "head -c 1000000 /dev/zero; exec sleep 600"))
                .redirectErrorStream(true).start();
        ProcessOutput output = ProcessOutput.collect(p, Duration.ofSeconds(3));
        assertFalse(output.finished());
        assertFalse(p.isAlive());
    }

    @Test
    void aProcessThatEndsGivesAllItsOutput() throws Exception {
        Process p = new ProcessBuilder(List.of("bash", "-c", "head -c 1000000 /dev/zero | tr '\\0' a; echo"))
                .redirectErrorStream(true).start();
        ProcessOutput output = ProcessOutput.collect(p, Duration.ofMinutes(2));
        assertTrue(output.finished());
        assertEquals("a".repeat(1_000_000) + "\n", output.text());
    }
}
