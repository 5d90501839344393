package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs Python scripts netsym wrote, for tests that check them where Python is installed and
 * skip (through an assumption) where it is not: mvn test itself needs no Python.
 */
public record PythonRun(int exitCode, String output) {
    /** The first of python3 on the PATH and Debian's /usr/bin/python3 that can import the module. */
    public static Optional<String> interpreterWith(String module) {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                if (run(python, List.of("-c", "import " + module), 60).exitCode() == 0) return Optional.of(python);
            } catch (IOException e) {
                // Not installed: try the next.
            }
        }
        return Optional.empty();
    }

    public static PythonRun script(String python, Path script, long timeoutSeconds) throws IOException {
        return run(python, List.of(script.toString()), timeoutSeconds);
    }

    private static PythonRun run(String python, List<String> args, long timeoutSeconds) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(python));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            ProcessOutput output = ProcessOutput.collect(p, Duration.ofSeconds(timeoutSeconds));
            if (!output.finished()) fail(command + " did not finish in " + timeoutSeconds + " s (killed): " + output.text());
            return new PythonRun(p.exitValue(), output.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
