package dev.netsym.cli;

import dev.netsym.model.Network;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofEngine;
import dev.netsym.render.DotRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

final class DotCommand implements Command {
    private static final Option<Path> OUTPUT = Option.path("--output", "OUT",
            "Write here (default: standard output).").withShortName("-o");
    private static final Option<Boolean> SVG = Option.flag("--svg",
            "Run Graphviz (dot -Tsvg, when installed) and write SVG instead of DOT.");

    private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym dot",
                    "Draw the network as Graphviz DOT, edges coloured by class.")
            .withDescription(
                "Writes a Graphviz picture of the network: inputs on the left, units by depth, every edge",
                "labelled with its parameters and coloured by class (frozen: dashed). Big layers and input",
                "vectors are one box each; a network written as tensor statements is a box per tensor, with",
                "the parameter tensors of each term on the edge into it (X @ W + b: W on the edge from X).")
            .withOptions(OUTPUT, SVG, SpecInput.LOSS, SpecInput.INIT, SpecInput.SHAPE)
            .withPositionals(SpecInput.FILE)
            .withFooter("", "Examples:", "  netsym dot examples/cs231n.net | dot -Tpng > cs231n.png",
                "  netsym dot examples/cs231n.net --svg -o cs231n.svg");

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    /** The classes to colour by: the search alone, since a picture needs no symbolic details. */
    private static Proof proofOf(Network network, Consumer<String> progress) {
        return ProofEngine.prove(network, ProofEngine.Options.defaults(), progress);
    }

    @Override
    public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws SpecInput.Failure {
        SpecInput input = new SpecInput(arguments);
        Path output = arguments.get(OUTPUT);
        if (output != null && OutputFile.isInput(output, input)) {
            err.println("netsym: refusing to write over the spec file " + input.displayName());
            return ExitCodes.USAGE;
        }
        StringWriter text = new StringWriter();
        try (Progress progress = Progress.onConsole(err)) {
            Consumer<String> phase = Progress.sink(progress);
            phase.accept("reading the spec");
            Network network = input.loadForComputation(Progress.messages(progress, err));
            Proof proof = proofOf(network, phase);
            phase.accept("drawing the graph");
            new DotRenderer(new PrintWriter(text)).render(network, proof);
        }
        String result = text.toString();
        if (arguments.get(SVG)) {
            if (!OutputFile.onPath("dot")) {
                err.println("netsym: Graphviz 'dot' is not installed, so no SVG was made (Debian: apt-get install"
                        + " graphviz); run without --svg to get the DOT text");
                return ExitCodes.INTERNAL;
            }
            try {
                result = toSvg(result, err);
            } catch (IOException e) {
                err.println("netsym: Graphviz failed: " + e.getMessage());
                return ExitCodes.INTERNAL;
            }
            if (result == null) return ExitCodes.INTERNAL;
        }
        return OutputFile.printOrWrite(result, output, out, err);
    }

    private static String toSvg(String dot, PrintWriter err) throws IOException {
        Path dir = Files.createTempDirectory("netsym-dot");
        try {
            Files.writeString(dir.resolve("graph.dot"), dot, StandardCharsets.UTF_8);
            // Its messages go to a file, not a pipe: a full pipe would block it, and reading one to
            // its end would wait for Graphviz however long it runs, so the time limit could never act.
            Path log = dir.resolve("dot.log");
            Process p = new ProcessBuilder(List.of("dot", "-Tsvg", "-o", "graph.svg", "graph.dot"))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            boolean finished = p.waitFor(120, TimeUnit.SECONDS);
            String messages = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            if (!finished) {
                p.destroyForcibly();
                err.println("netsym: Graphviz did not finish in 2 minutes");
                return null;
            }
            if (p.exitValue() != 0) {
                err.println("netsym: Graphviz failed: " + messages.strip());
                return null;
            }
            return Files.readString(dir.resolve("graph.svg"), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            OutputFile.deleteTree(dir);
        }
    }
}
