package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.cli.Main;
import dev.netsym.model.NaturalOrder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names of Symja built-ins and commands go through derive, prove, latex and dot as plain
 * names: the outputs are those of the same network with ordinary names, and no file is
 * read or written except the ones named on the command line.
 */
class SymjaNamesEndToEndTest {
    static final String HOSTILE = """
            network Export
            input Input, I, E
            target SystemDialogInput
            Export = tanh(Import*Input + Run*I + Print*E)
            D = Export*N + Pi*Input
            Sin = Get*D + Put*Export + URLFetch*Compile + Pause*Quit
            objective (Sin - SystemDialogInput)^2
            init Import, Run, Pause, Quit = a
            init Print, Get = 1/2
            """;

    /** The commands, run one after another in one JVM by {@link #main}. */
    static final List<List<String>> COMMANDS = List.of(
            List.of("prove", "--format", "json", "spec.net"),
            List.of("derive", "--format", "json", "spec.net"),
            List.of("latex", "spec.net", "-o", "doc.tex"),
            List.of("dot", "spec.net", "-o", "graph.dot"));

    @TempDir
    Path dir;

    /** Runs every command in the current directory; exits with the first non-zero code. */
    public static void main(String[] args) {
        for (List<String> command : COMMANDS) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(command.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            System.out.print(err);
            if (code != 0) System.exit(code);
        }
        System.exit(0);
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> !p.equals(folder)).map(p -> folder.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void noFileIsTouchedButTheNamedOnes() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(work.resolve("spec.net"), HOSTILE);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Default JVM flags but for the temporary folder, which is ours alone to watch.
        Process p = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), SymjaNamesEndToEndTest.class.getName())
                .directory(work.toFile()).redirectErrorStream(true).start();
        ProcessOutput output = ProcessOutput.collect(p, Duration.ofMinutes(5));
        assertTrue(output.finished(), () -> "did not finish: " + output.text());
        assertEquals(0, p.exitValue(), output.text());
        assertEquals(List.of("doc.tex", "graph.dot", "spec.net"), listing(work));
        assertEquals(List.of(), listing(tmp));
        assertEquals(HOSTILE, Files.readString(work.resolve("spec.net")));
    }

    /** Every name of the spec, to an ordinary name with the same place in netsym's order. */
    private static Map<String, String> plainNames(String spec) {
        TreeSet<String> names = new TreeSet<>(NaturalOrder.INSTANCE);
        Matcher m = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*").matcher(spec);
        List<String> keywords = List.of("network", "input", "target", "init", "objective", "tanh");
        while (m.find()) if (!keywords.contains(m.group())) names.add(m.group());
        names.remove("a");
        Map<String, String> plain = new LinkedHashMap<>();
        int i = 1;
        // Zero-padded, so that plain and natural string order agree with the original names.
        for (String n : names) plain.put(n, String.format("p%02d", i++));
        return plain;
    }

    private static String rename(String text, Map<String, String> names) {
        Matcher m = Pattern.compile("(?<![A-Za-z_0-9])[A-Za-z_][A-Za-z_0-9]*(?![A-Za-z_0-9])").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String t = m.group();
            // Chains are written dL/dy*dy/dw: a name can follow the d of a derivative.
            String r = names.containsKey(t) ? names.get(t)
                    : t.startsWith("d") && names.containsKey(t.substring(1)) ? "d" + names.get(t.substring(1)) : t;
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        return m.appendTail(out).toString();
    }

    @Test
    void theOutputsAreThoseOfOrdinaryNames() throws Exception {
        Map<String, String> names = plainNames(HOSTILE);
        Path hostile = dir.resolve("hostile.net");
        Path plain = dir.resolve("plain.net");
        Files.writeString(hostile, HOSTILE);
        Files.writeString(plain, rename(HOSTILE, names));
        for (List<String> command : List.of(List.of("prove", "--format", "json"), List.of("derive", "--format", "json"),
                List.of("dot"))) {
            CliRun a = run(command, hostile);
            CliRun b = run(command, plain);
            assertEquals(0, a.exitCode(), a::toString);
            assertEquals(0, b.exitCode(), b::toString);
            // Witnesses draw their values from a seed made of the names, so only they may differ.
            assertEquals(withoutWitnesses(b.out()), withoutWitnesses(rename(a.out(), names)), String.join(" ", command));
            assertTrue(JsonSyntax.isValid(a.out()) || command.get(0).equals("dot"), a::toString);
        }
    }

    private static String withoutWitnesses(String json) {
        return json.replaceAll("\"witness_runs\": .*\n", "")
                .replaceAll("\"witness\": \\{\"run\".*?\"second_value\": \"[^\"]*\"\\}", "\"witness\"");
    }

    private static CliRun run(List<String> command, Path spec) {
        List<String> args = new ArrayList<>(command);
        args.add(spec.toString());
        return CliRun.of(args.toArray(String[]::new));
    }
}
