package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same spec gives byte-identical `check` output, in one JVM and across JVMs. */
class DeterminismTest {
    private static final List<String> SPECS =
            List.of("cs231n.net", "dense.net", "everything.net", "unreachable.net", "symja-names.net", "errors.net");

    @TempDir
    Path dir;

    private Path copy(String resource) throws IOException {
        Path file = dir.resolve(resource);
        try (InputStream in = getClass().getResourceAsStream("/robust/" + resource)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void repeatedRunsInOneJvmAgree() throws IOException {
        for (String spec : SPECS) {
            String file = copy(spec).toString();
            CliRun first = CliRun.of("check", file);
            for (int i = 0; i < 3; i++) assertEquals(first, CliRun.of("check", file), spec);
        }
    }

    /**
     * A fresh JVM has different identity hash codes, so output that depended on the iteration
     * order of a hash set of objects would change here and nowhere else.
     */
    @Test
    void runsInSeparateJvmsAgree() throws Exception {
        for (String spec : List.of("everything.net", "unreachable.net", "errors.net")) {
            String file = copy(spec).toString();
            byte[][] outputs = new byte[2][];
            for (int i = 0; i < 2; i++) outputs[i] = runInNewJvm(file, i);
            assertArrayEquals(outputs[0], outputs[1], spec);
            String inProcess = CliRun.of("check", file).out() + CliRun.of("check", file).err();
            assertTrue(new String(outputs[0], StandardCharsets.UTF_8).contains(inProcess.strip().split("\n")[0]));
        }
    }

    private byte[] runInNewJvm(String file, int run) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "dev.netsym.cli.Main", "check", file)
                .redirectErrorStream(true).start();
        ProcessOutput output = ProcessOutput.collect(p, Duration.ofMinutes(3));
        assertTrue(output.finished(), output::text);
        assertTrue(p.exitValue() == 0 || p.exitValue() == 65, () -> "run " + run + ": " + output.text());
        return output.text().getBytes(StandardCharsets.UTF_8);
    }
}
