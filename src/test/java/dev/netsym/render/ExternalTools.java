package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.fail;

import dev.netsym.robust.ProcessOutput;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs real Graphviz and pdflatex in tests. A missing tool skips the test on a developer's
 * machine but fails it under CI (CI=true), where .ci/run must have installed it.
 */
final class ExternalTools {
    private ExternalTools() {}

    record Run(int exitCode, String output) {}

    static void require(String tool, String debianPackage) {
        if (onPath(tool)) return;
        String message = tool + " is not installed (Debian package " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) fail(message);
        Assumptions.abort(message);
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (Path.of(dir, tool).toFile().canExecute()) return true;
        }
        return false;
    }

    static Run run(Path directory, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ProcessOutput output = ProcessOutput.collect(p, Duration.ofSeconds(timeoutSeconds));
        if (!output.finished()) fail(command + " did not finish in " + timeoutSeconds + " s (killed): " + output.text());
        return new Run(p.exitValue(), output.text());
    }
}
