package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.ProcessOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./netsym launcher, run on a copy of itself with stand-ins for Maven and Java: what a
 * script or CI log sees on stderr (never a terminal here) when it builds and when it does not.
 */
class LauncherTest {
    @TempDir
    Path dir;

    private static void script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exitCode, String out, String err) {}

    private Run launch(Path home) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(home.resolve("netsym").toString(), "check", "x.net"))
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().put("PATH", dir.resolve("tools") + ":" + System.getenv("PATH"));
        builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        Process p = builder.start();
        ProcessOutput out = ProcessOutput.collect(p, Duration.ofMinutes(2));
        assertTrue(out.finished(), out::text);
        return new Run(p.exitValue(), out.text(), Files.readString(dir.resolve("stderr")));
    }

    @Test
    void theFirstRunSaysOnOneLineThatItBuildsAndLaterRunsSayNothing() throws Exception {
        Path home = Files.createDirectories(dir.resolve("netsym"));
        Files.copy(Path.of("netsym"), home.resolve("netsym"));
        Files.createDirectories(home.resolve("src/main"));
        Files.createDirectories(home.resolve("grammar"));
        Files.writeString(home.resolve("pom.xml"), "<project/>");
        // Maven makes the jar (quietly, as with -q); Java says what it was asked to run.
        script(dir.resolve("tools/mvn"), "mkdir -p target && echo jar > target/netsym.jar\n");
        script(dir.resolve("jdk/bin/java"), "echo \"java ${@: -3}\"\n");

        Run first = launch(home);
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals("netsym: building netsym (first use or changed sources; about a minute, once)...\n", first.err());
        assertEquals("java " + home.resolve("target/netsym.jar") + " check x.net\n", first.out());

        Run second = launch(home);
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("", second.err());
    }
}
