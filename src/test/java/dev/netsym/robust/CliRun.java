package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** One run of the command line, through the same entry point as the launcher, with its output kept. */
public record CliRun(int exitCode, String out, String err) {
    /** What every line on stderr must look like: a compiler-style diagnostic. */
    public static final Pattern DIAGNOSTIC = Pattern.compile("(.+):([1-9][0-9]*):([1-9][0-9]*): (error|warning): \\S.*");

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** {@code netsym check} on the bytes, written to a file in dir. */
    public static CliRun check(Path dir, byte[] spec) throws IOException {
        Path file = dir.resolve("spec.net");
        Files.write(file, spec);
        return of("check", file.toString());
    }

    public static CliRun check(Path dir, String spec) throws IOException {
        return check(dir, spec.getBytes(StandardCharsets.UTF_8));
    }

    /** Lines as a terminal splits them; "\n" alone, so a stray U+2028 inside a message shows up in it. */
    public List<String> errLines() {
        if (err.isEmpty()) return List.of();
        String body = err.endsWith("\n") ? err.substring(0, err.length() - 1) : err;
        return List.of(body.split("\n", -1));
    }

    /** The spec was refused cleanly: exit 65 and only well-formed diagnostics, at least one an error. */
    public void assertRefusedWithDiagnostics() {
        assertTrue(exitCode == 65, () -> "expected exit 65, got " + this);
        assertTrue(err.endsWith("\n"), () -> "stderr must end with a newline: " + this);
        assertTrue(errLines().stream().anyMatch(l -> l.contains(": error: ")), () -> "no error reported: " + this);
        assertOnlyDiagnosticsOnStderr();
    }

    public void assertOnlyDiagnosticsOnStderr() {
        for (String line : errLines()) {
            assertTrue(DIAGNOSTIC.matcher(line).matches(), () -> "not a diagnostic: '" + line + "' in " + this);
            assertTrue(line.codePoints().noneMatch(CliRun::unsafeForTerminal),
                    () -> "control or format character in: " + line);
        }
    }

    /** Characters that could move the cursor, start an escape sequence or reorder text. */
    public static boolean unsafeForTerminal(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + clip(out) + "--- stderr\n" + clip(err);
    }

    private static String clip(String s) {
        return s.length() <= 3000 ? s : s.substring(0, 3000) + "...(" + s.length() + " chars)\n";
    }
}
