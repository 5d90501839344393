package dev.netsym.cli;

import dev.netsym.calculus.Derivation;
import dev.netsym.render.MatrixFormSection;
import dev.netsym.calculus.DerivationOptions;
import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.model.Network;
import dev.netsym.proof.ConservationLawSearch;
import dev.netsym.proof.ConservationLaws;
import dev.netsym.proof.OptimiserVerdicts;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofEngine;
import dev.netsym.proof.ProofRunner;
import dev.netsym.proof.TrainingSimulation;
import dev.netsym.render.SimulationSummary;
import java.time.Duration;
import dev.netsym.render.LatexDocumentRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

final class LatexCommand implements Command {
    private static final Option<Path> OUTPUT = Option.path("--output", "OUT.tex",
            "Write the document here (default: standard output).").withShortName("-o");
    private static final Option<Boolean> PDF = Option.flag("--pdf",
            "Also run pdflatex (when installed) and write OUT.pdf beside OUT.tex (-o OUT.pdf: the same two files).");
    private static final Option<Boolean> FRAGMENT = Option.flag("--fragment",
            "The body only, to \\input into a document that loads amsmath, amssymb, xcolor and tikz.");
    private static final Option<Boolean> FULL = Option.flag("--full",
            "Write every expression out as computed, however long: no names for repeated parts, no"
                    + " unit names kept, nothing left out (over 5,000 parameters with a matrix form, the"
                    + " gradients element by element too).");

    private static final Option<Boolean> SIMULATE = Option.flag("--simulate",
            "Also simulate training as 'netsym simulate' does, and draw it with pgfplots after the proof"
                    + " (--steps, --rate, --seed and --samples as there).");

    private static final Option<Boolean> LAWS = Option.flag("--laws",
            "Also write the conservation laws of gradient flow, as 'netsym laws' finds and proves them.");

    private static final Option<Boolean> OPTIMIZERS = Option.flag("--optimizers",
            "Also write which optimisers keep the classes, as 'prove --optimizers' decides them.");

    private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym latex",
                    "Write the derivation and the proof as a LaTeX document with a picture.")
            .withDescription(
                "Writes a LaTeX document of the network: its equations, a picture with edges coloured by",
                "parameter class, every gradient derived by the chain rule, and the proof of which",
                "parameters gradient descent keeps equal forever.")
            .withOptions(OUTPUT, PDF, FRAGMENT, FULL, OPTIMIZERS, LAWS, SIMULATE, SimulateCommand.STEPS, SimulateCommand.RATE,
                    SimulateCommand.SEED, SimulateCommand.SAMPLES, SpecInput.LOSS, SpecInput.INIT, SpecInput.SHAPE)
            .withPositionals(SpecInput.FILE)
            .withFooter("", "Examples:", "  netsym latex examples/cs231n.net -o cs231n.tex",
                "  netsym latex examples/cs231n.net --pdf -o cs231n.tex",
                "  netsym latex examples/cs231n.net --fragment > body.tex",
                "  netsym latex examples/attention-zero-qk.net --simulate --pdf -o attention.tex",
                "  netsym latex examples/dead-relu.net --optimizers --pdf -o dead-relu.tex");

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public boolean usesComputerAlgebra() {
        return true;
    }

    /** The budget of the proof, and of the optimiser table's proofs. */
    private static final Duration PROOF_BUDGET = Duration.ofSeconds(60);

    /** The complete proof, with the symbolic details the document shows. */
    private static Proof proofOf(Network network, Consumer<String> progress) {
        return ProofRunner.prove(network, PROOF_BUDGET, progress);
    }

    @Override
    public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws SpecInput.Failure {
        SpecInput input = new SpecInput(arguments);
        Path output = arguments.get(OUTPUT);
        boolean pdf = arguments.get(PDF);
        boolean fragment = arguments.get(FRAGMENT);
        if (pdf && output == null) {
            err.println("netsym: --pdf needs -o OUT.tex, to know where to put the PDF");
            return ExitCodes.USAGE;
        }
        // -o doc.pdf asks for the PDF there: the document goes beside it as doc.tex (written to
        // doc.pdf first, it was then overwritten by the PDF).
        if (pdf && output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pdf")) {
            output = OutputFile.sibling(output, ".tex");
        }
        if (pdf && fragment) {
            err.println("netsym: --pdf needs a whole document; leave out --fragment");
            return ExitCodes.USAGE;
        }
        if (output != null && OutputFile.isInput(output, input)) {
            err.println("netsym: refusing to write the document over the spec file " + input.displayName());
            return ExitCodes.USAGE;
        }
        // The PDF goes beside OUT.tex: a spec called OUT.pdf must not be overwritten either.
        if (pdf && OutputFile.isInput(OutputFile.sibling(output, ".pdf"), input)) {
            err.println("netsym: refusing to write the PDF over the spec file " + input.displayName());
            return ExitCodes.USAGE;
        }
        StringWriter text = new StringWriter();
        TrainingSimulation.Result simulation = null;
        try (Progress progress = Progress.onConsole(err)) {
            Consumer<String> phase = Progress.sink(progress);
            PrintWriter messages = Progress.messages(progress, err);
            phase.accept("reading the spec");
            Network network = input.loadForDerivation(messages);
            phase.accept("deriving the gradients");
            // Too large to derive by hand: the document leaves the gradients section out. A big network
            // of tensor statements is not derived element by element at all: its matrix form stands.
            Derivation derivation = !arguments.get(FULL) && MatrixFormSection.scalarFormLeftOut(network) ? null
                    : deriveWithin(network, DERIVATION_BUDGET, messages);
            Proof proof = proofOf(network, phase);
            OptimiserVerdicts optimisers = null;
            if (arguments.get(OPTIMIZERS) && proof != null) {
                phase.accept("deciding which optimisers keep the classes");
                optimisers = OptimiserVerdicts.of(proof, new ProofEngine.Options(PROOF_BUDGET, List.of()));
            }
            ConservationLaws laws = null;
            if (arguments.get(LAWS)) {
                phase.accept("finding the conservation laws");
                try {
                    laws = LawsCommand.search(network, 2);
                } catch (ConservationLawSearch.Unsupported e) {
                    messages.println(input.displayName() + ": error: --laws cannot use the exact method here: " + e.getMessage());
                    return ExitCodes.BAD_SPEC;
                }
            }
            if (arguments.get(SIMULATE)) {
                phase.accept("running gradient descent");
                simulation = TrainingSimulation.run(proof, SimulateCommand.settings(arguments));
            }
            phase.accept("writing the document");
            new LatexDocumentRenderer(new PrintWriter(text), fragment, arguments.get(FULL)).withSimulation(simulation)
                    .withOptimisers(optimisers).withLaws(laws).render(network, derivation, proof);
        }
        if (simulation != null && !simulation.violations().isEmpty()) {
            // A bug, not a result: no document that would present it as one.
            err.println("netsym: " + new SimulationSummary(simulation, input.displayName()).checkLine());
            return ExitCodes.INTERNAL;
        }
        int written = OutputFile.printOrWrite(text.toString(), output, out, err);
        return pdf && written == ExitCodes.OK ? runPdflatex(text.toString(), output, out, err) : written;
    }

    /** How long the gradients section may take; the proof has a budget of its own. */
    private static final Duration DERIVATION_BUDGET = Duration.ofSeconds(60);

    /**
     * The derivation, or null (the section is left out) when it does not finish within the
     * budget. Each Symja call is bounded, but a long chain makes many of them.
     */
    private static Derivation deriveWithin(Network network, Duration budget, PrintWriter err) {
        try (SymbolicEngine engine = new SymbolicEngine()) {
            FutureTask<Derivation> task =
                    new FutureTask<>(() -> Derivation.of(network, DerivationOptions.defaults(), engine));
            // A big stack, as for derive; a daemon, so that an abandoned derivation cannot keep the JVM alive.
            Thread worker = new Thread(null, task, "netsym-latex-derive", 256L << 20);
            worker.setDaemon(true);
            worker.start();
            try {
                return task.get(budget.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                task.cancel(true);
                err.println("netsym: no gradients section: the derivation did not finish in "
                        + budget.toSeconds() + " s");
                return null;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) throw error;
                if (e.getCause() instanceof RuntimeException runtime) throw runtime;
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** pdflatex in batch mode in a temporary directory; only the PDF is copied out. */
    private static int runPdflatex(String document, Path output, PrintWriter out, PrintWriter err) {
        if (!OutputFile.onPath("pdflatex")) {
            err.println("netsym: pdflatex is not installed, so no PDF was made (Debian: apt-get install"
                    + " texlive-latex-base texlive-pictures); the .tex file is ready to compile");
            return ExitCodes.OK;
        }
        Path pdfOut = OutputFile.sibling(output, ".pdf");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("netsym-latex");
            Files.writeString(dir.resolve("doc.tex"), document, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(List.of("pdflatex", "-interaction=batchmode", "-halt-on-error",
                    "-no-shell-escape", "doc.tex")).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                err.println("netsym: pdflatex did not finish in 5 minutes; no PDF");
                return ExitCodes.INTERNAL;
            }
            if (p.exitValue() != 0 || !Files.exists(dir.resolve("doc.pdf"))) {
                err.println("netsym: pdflatex failed (exit " + p.exitValue() + "); its log:");
                err.println(OutputFile.tail(dir.resolve("doc.log"), 40));
                return ExitCodes.INTERNAL;
            }
            OutputFile.write(pdfOut, Files.readAllBytes(dir.resolve("doc.pdf")));
            out.println("netsym: wrote " + pdfOut);
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("netsym: cannot make the PDF: " + OutputFile.reason(e));
            return ExitCodes.CANNOT_WRITE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERNAL;
        } finally {
            OutputFile.deleteTree(dir);
        }
    }
}
