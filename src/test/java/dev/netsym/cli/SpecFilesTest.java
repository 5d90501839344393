package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How `netsym check` treats what it is given to read: paths, standard input, encodings, line endings. */
class SpecFilesTest {
    private static final String SPEC = "input x\ny = w*x\nobjective y\n";
    private static final String BAD_SPEC = "input x\ny = w*x $\nobjective y\n";

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static CliRun withStdin(InputStream in, String... args) {
        InputStream saved = System.in;
        System.setIn(in);
        try {
            return CliRun.of(args);
        } finally {
            System.setIn(saved);
        }
    }

    private CliRun checkFile(String name, byte[] content) throws IOException {
        return CliRun.of("check", write(name, content).toString());
    }

    @Test
    void dashReadsStandardInputAndNamesItInDiagnostics() throws IOException {
        CliRun fromFile = checkFile("ok.net", utf8(SPEC));
        CliRun fromStdin = withStdin(new ByteArrayInputStream(utf8(SPEC)), "check", "-");
        assertEquals(0, fromStdin.exitCode(), fromStdin::toString);
        assertEquals(fromFile.out(), fromStdin.out());

        CliRun bad = withStdin(new ByteArrayInputStream(utf8(BAD_SPEC)), "check", "-");
        assertEquals(65, bad.exitCode());
        assertEquals("<stdin>:2:9: error: unexpected character '$'\n", bad.err());
    }

    @Test
    void endlessStandardInputIsRefusedNotReadForever() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                return len;
            }
        };
        CliRun run = withStdin(endless, "check", "-");
        assertEquals(65, run.exitCode(), run::toString);
        assertEquals("<stdin>:1:1: error: the spec is too large: it has more than 268435456 bytes\n", run.err());
    }

    @Test
    void aDirectoryIsNotASpec() {
        CliRun run = CliRun.of("check", dir.toString());
        assertEquals(66, run.exitCode());
        assertEquals("netsym: " + dir + " is a directory, not a spec file\n", run.err());
    }

    @Test
    void aMissingFile() {
        Path missing = dir.resolve("missing.net");
        CliRun run = CliRun.of("check", missing.toString());
        assertEquals(66, run.exitCode());
        assertEquals("netsym: " + missing + ": no such file\n", run.err());
    }

    @Test
    void anUnreadableFileIsReportedUnlessTheUserMayReadItAnyway() throws IOException {
        Path p = write("locked.net", utf8(SPEC));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        // Root (as in CI containers) reads a mode-000 file regardless; the outcome must follow what the OS allows.
        boolean readable;
        try (InputStream probe = Files.newInputStream(p)) {
            readable = true;
        } catch (IOException e) {
            readable = false;
        }
        CliRun run = CliRun.of("check", p.toString());
        if (readable) {
            assertEquals(0, run.exitCode(), run::toString);
        } else {
            assertEquals(66, run.exitCode(), run::toString);
            assertEquals("netsym: " + p + ": permission denied\n", run.err());
        }
    }

    @Test
    void anEmptyFileAndOneWithOnlyCommentsAreEmptySpecs() throws IOException {
        for (String empty : new String[] {"", "\n\n", "# nothing here\n", "\uFEFF", ";;;\n"}) {
            Path p = write("empty.net", utf8(empty));
            CliRun run = CliRun.of("check", p.toString());
            assertEquals(65, run.exitCode(), run::toString);
            assertEquals(p + ":1:1: error: the spec is empty: it needs at least a unit or an objective\n", run.err());
        }
    }

    @Test
    void aByteOrderMarkIsIgnoredAndTakesNoColumn() throws IOException {
        CliRun plain = checkFile("plain.net", utf8(SPEC));
        CliRun bom = checkFile("plain.net", utf8("\uFEFF" + SPEC));
        assertEquals(0, bom.exitCode(), bom::toString);
        assertEquals(plain.out(), bom.out());

        Path p = write("bad.net", utf8("\uFEFFy = w*x $\nobjective y\n"));
        assertEquals(p + ":1:9: error: unexpected character '$'\n", CliRun.of("check", p.toString()).err());
        Path latin1 = write("latin1.net", concat(utf8("\uFEFFy = w"), new byte[] {(byte) 0xE9}));
        assertEquals(latin1 + ":1:6: error: the file is not UTF-8 text (byte 0xE9 at offset 8)\n",
                CliRun.of("check", latin1.toString()).err());
    }

    @Test
    void crlfAndLoneCrLineEndingsReadAsLf() throws IOException {
        CliRun lf = checkFile("lf.net", utf8(SPEC));
        for (String ending : new String[] {"\r\n", "\r"}) {
            CliRun other = checkFile("lf.net", utf8(SPEC.replace("\n", ending)));
            assertEquals(lf.exitCode(), other.exitCode());
            assertEquals(lf.out(), other.out());
            // Diagnostics keep their line numbers (ANTLR counts only LF on its own).
            CliRun bad = checkFile("lf.net", utf8(BAD_SPEC.replace("\n", ending)));
            assertEquals(dir.resolve("lf.net") + ":2:9: error: unexpected character '$'\n", bad.err());
            Path latin1 = write("latin1.net", concat(utf8(("input x\ny = w").replace("\n", ending)), new byte[] {(byte) 0xE9}));
            assertTrue(CliRun.of("check", latin1.toString()).err().startsWith(latin1 + ":2:6: error: the file is not UTF-8"));
        }
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedAtTheFirstBadByte() throws IOException {
        Path p = write("latin1.net", "input x\ny = w\u00e9*x\nobjective y\n".getBytes(StandardCharsets.ISO_8859_1));
        CliRun run = CliRun.of("check", p.toString());
        assertEquals(65, run.exitCode());
        assertEquals(p + ":2:6: error: the file is not UTF-8 text (byte 0xE9 at offset 13)\n", run.err());

        Path utf16 = write("utf16.net", SPEC.getBytes(StandardCharsets.UTF_16));
        CliRun run16 = CliRun.of("check", utf16.toString());
        assertEquals(65, run16.exitCode());
        assertEquals(utf16 + ":1:1: error: the file is not UTF-8 text (byte 0xFE at offset 0)\n", run16.err());

        // A multi-byte sequence cut short at the end of the file.
        Path truncated = write("cut.net", concat(utf8(SPEC + "# \u20ac"), new byte[0]));
        byte[] cut = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(cut, cut.length - 1));
        assertEquals(truncated + ":4:3: error: the file is not UTF-8 text (byte 0xE2 at offset 30)\n",
                CliRun.of("check", truncated.toString()).err());
    }

    @Test
    void badCommandLinesExitWith64() {
        assertEquals(64, CliRun.of("check").exitCode());
        assertEquals(64, CliRun.of("check", "a.net", "b.net").exitCode());
        assertEquals(64, CliRun.of("check", "--no-such-option", "a.net").exitCode());
        assertEquals(64, CliRun.of("no-such-command").exitCode());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
