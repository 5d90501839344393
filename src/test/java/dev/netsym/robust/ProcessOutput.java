package dev.netsym.robust;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What a child process printed, read while it runs: a process that fills the pipe would
 * otherwise block forever, and a timeout that waits for the end of its output could never fire.
 *
 * @param finished false when the process was still running at the end of the budget (it is then killed)
 * @param text its standard output (with standard error, when the caller redirected it there)
 */
public record ProcessOutput(boolean finished, String text) {
    public static ProcessOutput collect(Process process, Duration budget) throws InterruptedException {
        InputStream stdout = process.getInputStream();
        CompletableFuture<byte[]> bytes = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean finished = process.waitFor(budget.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            // Its children too: a pdflatex or dot started by a shell must not outlive the test.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
        try {
            return new ProcessOutput(finished, new String(bytes.get(1, TimeUnit.MINUTES), StandardCharsets.UTF_8));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // A grandchild that keeps the pipe open: what was read so far is not available, say so.
            return new ProcessOutput(finished, "(output not readable: " + e + ")");
        }
    }
}
