package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nastiest legal names (DOT and LaTeX keywords, underscores everywhere) cannot break or
 * inject into generated files, and output files are complete or absent, never the input.
 */
class OutputSafetyTest {
    static final String KEYWORDS = """
            network digraph
            input node, edge, graph
            target label
            subgraph = tanh(strict*node + _*edge + __*graph)
            end = begin*subgraph + input*label + _a_b_*node
            digraph = end*relu(newcommand*subgraph) + def*edge
            objective (digraph - label)^2 + write18*_
            init strict, _, __ = a
            init begin, input = 0
            """;

    @TempDir
    Path dir;

    private Path spec() throws IOException {
        Path file = dir.resolve("spec.net");
        Files.writeString(file, KEYWORDS);
        return file;
    }

    @Test
    void jsonOutputsParse() throws Exception {
        String file = spec().toString();
        for (String command : List.of("prove", "derive")) {
            CliRun run = CliRun.of(command, "--format", "json", file);
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(JsonSyntax.isValid(run.out()), run::toString);
            assertTrue(run.out().contains("\"write18\""), run::toString);
        }
        assertFalse(JsonSyntax.isValid("{\"a\": \"x\ny\"}"));
        assertFalse(JsonSyntax.isValid("{\"a\": 1,}"));
    }

    @Test
    void dotOutputIsOneGraphThatGraphvizReads() throws Exception {
        Path out = dir.resolve("g.dot");
        CliRun run = CliRun.of("dot", spec().toString(), "-o", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        String dot = Files.readString(out);
        assertTrue(dot.startsWith("digraph \"digraph\" {"), dot);
        // Names appear only inside quoted strings: outside them, nothing of the spec is left.
        for (String line : dot.split("\n")) {
            String outsideQuotes = line.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("label=<.*>", "label=<>");
            for (String name : List.of("strict", "begin", "newcommand", "def", "write18", "_a_b_", "__")) {
                assertFalse(outsideQuotes.matches(".*(?<![A-Za-z_0-9])" + name + "(?![A-Za-z_0-9]).*"),
                        () -> "bare '" + name + "' in: " + line);
            }
        }
        Assumptions.assumeTrue(onPath("dot"), "Graphviz is not installed");
        Process p = new ProcessBuilder("dot", "-Tsvg", out.toString()).redirectErrorStream(true).start();
        ProcessOutput graphviz = ProcessOutput.collect(p, Duration.ofMinutes(2));
        assertTrue(graphviz.finished(), graphviz::text);
        String svg = graphviz.text();
        assertEquals(0, p.exitValue(), svg);
        assertEquals(1, svg.split("<svg", -1).length - 1);
        assertTrue(svg.contains("subgraph") && svg.contains("label"), svg);
    }

    @Test
    void latexOutputCompilesAndNamesAreText() throws Exception {
        Path tex = dir.resolve("doc.tex");
        CliRun run = CliRun.of("latex", spec().toString(), "-o", tex.toString());
        assertEquals(0, run.exitCode(), run::toString);
        String doc = Files.readString(tex);
        for (String command : List.of("\\end{document}", "\\begin{document}")) {
            assertEquals(1, doc.split(java.util.regex.Pattern.quote(command), -1).length - 1, command);
        }
        // A name never becomes a control sequence: it is always inside \\mathit{...} or the like.
        assertFalse(java.util.regex.Pattern.compile("\\\\(input|write|def|newcommand|strict|subgraph)(?![A-Za-z])")
                .matcher(doc).find(), doc);
        assertTrue(doc.contains("\\mathit{\\_a\\_b\\_}"), doc);
        assertEquals(doc.split("\\\\begin\\{", -1).length, doc.split("\\\\end\\{", -1).length);
        Assumptions.assumeTrue(onPath("pdflatex"), "pdflatex is not installed");
        Process p = new ProcessBuilder("pdflatex", "-interaction=batchmode", "-halt-on-error", "-no-shell-escape",
                "doc.tex").directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ProcessOutput pdflatex = ProcessOutput.collect(p, Duration.ofMinutes(3));
        assertTrue(pdflatex.finished(), pdflatex::text);
        assertEquals(0, p.exitValue(), () -> tail(dir.resolve("doc.log")));
        assertTrue(Files.size(dir.resolve("doc.pdf")) > 0);
    }

    @Test
    void anOutputFileIsNeverTheInput() throws Exception {
        Path file = spec();
        Files.createDirectories(dir.resolve("sub"));
        Path link = dir.resolve("link.net");
        Files.createSymbolicLink(link, file);
        Path hardLink = dir.resolve("hard.net");
        Files.createLink(hardLink, file);
        for (String command : List.of("latex", "dot")) {
            for (Path target : List.of(file, dir.resolve("sub/../spec.net"), link, hardLink)) {
                CliRun run = CliRun.of(command, file.toString(), "-o", target.toString());
                assertEquals(64, run.exitCode(), run::toString);
                assertTrue(run.err().contains("refusing to write"), run::toString);
                assertEquals(KEYWORDS, Files.readString(file));
            }
        }
    }

    @Test
    void thePdfBesideTheDocumentIsNeverTheInput() throws Exception {
        Path specNamedPdf = dir.resolve("doc.pdf");
        Files.writeString(specNamedPdf, KEYWORDS);
        CliRun run = CliRun.of("latex", specNamedPdf.toString(), "--pdf", "-o", dir.resolve("doc.tex").toString());
        assertEquals(64, run.exitCode(), run::toString);
        assertTrue(run.err().contains("refusing to write the PDF over the spec file"), run::toString);
        assertEquals(KEYWORDS, Files.readString(specNamedPdf));
        assertFalse(Files.exists(dir.resolve("doc.tex")));
    }

    @Test
    void anOutputIsCompleteOrAbsent() throws Exception {
        Path file = spec();
        // A folder that does not exist: nothing is created, exit 73.
        Path missing = dir.resolve("no/such/folder/out.dot");
        CliRun run = CliRun.of("dot", file.toString(), "-o", missing.toString());
        assertEquals(73, run.exitCode(), run::toString);
        // The spec's write18 appears only in the objective: a warning comes first.
        assertTrue(run.err().endsWith("\nnetsym: cannot write " + missing + ": no such directory " + missing.getParent()
                + "\n"), run::toString);
        assertFalse(Files.exists(dir.resolve("no")));
        // An existing file is replaced whole, and no temporary file stays behind.
        Path out = dir.resolve("out.dot");
        Files.writeString(out, "old contents that are longer than nothing ".repeat(1000));
        run = CliRun.of("dot", file.toString(), "-o", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        String dot = Files.readString(out);
        assertTrue(dot.startsWith("digraph ") && dot.strip().endsWith("}") && !dot.contains("old contents"), dot);
        // A spec with errors writes nothing.
        Path bad = dir.resolve("bad.net");
        Files.writeString(bad, "input x\ny = w*x +\nobjective y\n");
        Path none = dir.resolve("none.tex");
        assertEquals(65, CliRun.of("latex", bad.toString(), "-o", none.toString()).exitCode());
        assertFalse(Files.exists(none));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".netsym-")).toList());
        }
    }

    @Test
    void anOutputFileGetsTheModeOfAPlainWrite() throws Exception {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Path file = spec();
        // What the umask gives a new file here (0644 under umask 022), whatever the umask is.
        Path plain = Files.writeString(dir.resolve("plain.txt"), "a plain write");
        Path dot = dir.resolve("new.dot");
        assertEquals(0, CliRun.of("dot", file.toString(), "-o", dot.toString()).exitCode());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dot));
        Path tex = dir.resolve("new.tex");
        assertEquals(0, CliRun.of("latex", file.toString(), "-o", tex.toString()).exitCode());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(tex));
        // An existing file keeps its mode, as when it is written over in place.
        Path existing = Files.writeString(dir.resolve("existing.dot"), "old");
        Set<PosixFilePermission> groupReadable = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(existing, groupReadable);
        assertEquals(0, CliRun.of("dot", file.toString(), "-o", existing.toString()).exitCode());
        assertEquals(groupReadable, Files.getPosixFilePermissions(existing));
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) {
            if (Path.of(d, tool).toFile().canExecute()) return true;
        }
        return false;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
