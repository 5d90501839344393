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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** A copy of the launcher with sources, and a Maven that makes the jar (quietly, as with -q). */
    private Path home() throws IOException {
        Path home = Files.createDirectories(dir.resolve("netsym"));
        Files.copy(Path.of("netsym"), home.resolve("netsym"));
        Files.createDirectories(home.resolve("src/main"));
        Files.createDirectories(home.resolve("grammar"));
        Files.writeString(home.resolve("pom.xml"), "<project/>");
        script(dir.resolve("tools/mvn"), "mkdir -p target && echo jar > target/netsym.jar\n");
        return home;
    }

    @Test
    void theFirstRunSaysOnOneLineThatItBuildsAndLaterRunsSayNothing() throws Exception {
        Path home = home();
        // Java says what it was asked to run.
        script(dir.resolve("jdk/bin/java"), "echo \"java ${@: -3}\"\n");

        Run first = launch(home);
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals("netsym: building netsym (first use or changed sources; about a minute, once)...\n", first.err());
        assertEquals("java " + home.resolve("target/netsym.jar") + " check x.net\n", first.out());

        Run second = launch(home);
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("", second.err());
    }

    /** A build that fails after writing part of the jar (as when it is interrupted) is built again. */
    @Test
    void aBuildCutShortIsBuiltAgainNotRun() throws Exception {
        Path home = home();
        script(dir.resolve("jdk/bin/java"), "echo \"java ${@: -3}\"\n");
        script(dir.resolve("tools/mvn"), "mkdir -p target && echo half > target/netsym.jar\nexit 130\n");
        Run cut = launch(home);
        assertEquals(70, cut.exitCode(), cut::toString);
        assertTrue(cut.err().endsWith("netsym: the build failed (output above)\n"), cut::toString);

        script(dir.resolve("tools/mvn"), "mkdir -p target && echo jar > target/netsym.jar\n");
        Run next = launch(home);
        assertEquals(0, next.exitCode(), next::toString);
        assertEquals("netsym: building netsym (first use or changed sources; about a minute, once)...\n", next.err());
        assertEquals("jar\n", Files.readString(home.resolve("target/netsym.jar")));
    }

    /**
     * Java 25 and later record an ahead-of-time cache, older ones a class-data-sharing archive:
     * after the build, one training run writes it, and every run then starts with it.
     */
    @ParameterizedTest
    @CsvSource({"25.0.3, -XX:AOTCacheOutput=, -XX:AOTCache=, netsym.aot",
                "17.0.15, -XX:ArchiveClassesAtExit=, -XX:SharedArchiveFile=, netsym.jsa"})
    void eachJavaStartsFromTheArchiveItsTrainingRunRecorded(String version, String record, String use, String file)
            throws Exception {
        Path home = home();
        Files.createDirectories(home.resolve("examples"));
        Files.writeString(home.resolve("examples/cs231n.net"), "");
        Files.createDirectories(dir.resolve("jdk"));
        Files.writeString(dir.resolve("jdk/release"), "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"" + version + "\"\n");
        // Java writes its arguments to a log, and the archive where a training run is told to.
        script(dir.resolve("jdk/bin/java"), String.join("\n",
                "echo \"$*\" >> \"" + dir.resolve("java.log") + "\"",
                "for a in \"$@\"; do",
                "  case \"$a\" in " + record + "*) echo archive > \"${a#" + record + "}\" ;; esac",
                "done", ""));

        Run first = launch(home);
        Run second = launch(home);
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("", second.err());
        List<String> calls = Files.readAllLines(dir.resolve("java.log"));
        assertEquals(3, calls.size(), calls::toString); // training, then the two runs
        assertTrue(calls.get(0).contains(record) && calls.get(0).endsWith("prove " + home.resolve("examples/cs231n.net")),
                calls.get(0));
        Path archive = home.resolve("target").resolve(file);
        assertTrue(Files.isRegularFile(archive), "the archive is in place under its own name");
        for (String run : calls.subList(1, 3)) {
            assertTrue(run.contains(use + archive) && run.endsWith("check x.net"), run);
        }
    }
}
