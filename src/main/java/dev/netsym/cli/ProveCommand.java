package dev.netsym.cli;

import dev.netsym.model.Network;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofRunner;
import dev.netsym.proof.OptimiserVerdicts;
import dev.netsym.proof.ProofEngine;
import dev.netsym.render.OptimiserTableRenderer;
import dev.netsym.render.ProofJsonRenderer;
import dev.netsym.render.ProofMarkdownRenderer;
import dev.netsym.render.ProofTextRenderer;
import dev.netsym.render.WitnessScriptRenderer;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.time.Duration;
import java.util.function.Consumer;

final class ProveCommand implements Command {
    enum Format { text, json, markdown }

    private static final Option<Format> FORMAT = Option.choice("--format", "FORMAT", Format.text,
            "Output format: {choices} (default: {default}).");
    private static final Option<Double> TIMEOUT = Option.seconds("--timeout", "60",
            "Time budget of the whole proof (default: {default}); when it runs out the output says what is"
                    + " undecided and netsym exits with 75.");
    private static final Option<Boolean> FULL = Option.flag("--full",
            "List every class and separation, even for big networks, and write every expression out"
                    + " as computed, however long.");
    private static final Option<WitnessScriptRenderer.Language> WITNESS_SCRIPT = Option.converted("--witness-script",
            "LANG", null, "Also write every witness as a Python script that replays it in float64 and prints what"
                    + " it shows: " + languages() + " (NumPy, or PyTorch with autograd); needs -o.",
            ProveCommand::language);
    private static final Option<Boolean> OPTIMIZERS = Option.flag("--optimizers",
            "Also say, per optimiser (momentum, Adam, weight decay, L1, clipping, per-parameter learning"
                    + " rates, gradient noise, ...), which classes and frozen parameters it keeps: the argument"
                    + " for each one kept, a run under that optimiser for each one broken. Proves again under"
                    + " weight decay when a frozen parameter does not start at 0.");
    private static final Option<Path> OUTPUT = Option.path("--output", "FILE",
            "Where --witness-script writes the script (the proof still goes to standard output).").withShortName("-o");

    private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym prove",
                    "Prove which parameters stay equal, which never move, which separate.")
            .withDescription(
                "Proves which parameters gradient descent keeps equal at every step (classes), which never",
                "move (frozen), and which separate, each claim with a certificate or a witness.",
                "",
                "The result is the greatest set of equalities that holds from the spec's initialisation for",
                "every dataset (or for the spec's 'data' lines), batch order and learning-rate schedule.")
            .withOptions(FORMAT, TIMEOUT, FULL, OPTIMIZERS, WITNESS_SCRIPT, OUTPUT, SpecInput.LOSS, SpecInput.INIT, SpecInput.SHAPE)
            .withPositionals(SpecInput.FILE)
            .withFooter("", "Examples:", "  netsym prove examples/cs231n.net",
                "  netsym prove --format json examples/cs231n.net > proof.json",
                "  netsym prove --format markdown examples/cs231n.net > proof.md",
                "  netsym prove --timeout 10 big.net",
                "  netsym prove --optimizers examples/dead-relu.net",
                "  netsym prove examples/cs231n.net --witness-script python -o witness.py && python3 witness.py",
                "  netsym prove examples/onnx/lora_zero.onnx",
                "  netsym prove --init 'lora_A.weight=random' --loss mse examples/onnx/lora_zero.onnx");

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public boolean usesComputerAlgebra() {
        return true;
    }

    @Override
    public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws SpecInput.Failure, UsageError {
        double timeoutSeconds = arguments.get(TIMEOUT);
        SpecInput input = new SpecInput(arguments);
        WitnessScriptRenderer.Language script = arguments.get(WITNESS_SCRIPT);
        Path output = arguments.get(OUTPUT);
        if (script != null && output == null) {
            throw new UsageError(SYNTAX, "--witness-script needs -o FILE, the file to write the script to");
        }
        if (script == null && output != null) {
            throw new UsageError(SYNTAX, "-o names the witness script's file; give --witness-script "
                    + languages() + " too");
        }
        if (output != null && OutputFile.isInput(output, input)) {
            throw new UsageError(SYNTAX, "refusing to write the witness script over the spec file " + input.displayName());
        }
        Proof proof = null;
        OptimiserVerdicts verdicts = null;
        try (Progress progress = Progress.onConsole(err)) {
            Consumer<String> phase = Progress.sink(progress);
            phase.accept("reading the spec");
            Network network = input.loadForComputation(Progress.messages(progress, err));
            // A script too big to run is refused before the proof, not after minutes of it.
            if (script == null || WitnessScriptRenderer.fits(network)) {
                proof = ProofRunner.prove(network, Duration.ofMillis((long) (timeoutSeconds * 1000)), phase);
                if (arguments.get(OPTIMIZERS)) {
                    phase.accept("deciding which optimisers keep the classes");
                    verdicts = OptimiserVerdicts.of(proof,
                            new ProofEngine.Options(Duration.ofMillis((long) (timeoutSeconds * 1000)), List.of()));
                }
            }
        }
        if (proof == null) {
            err.println(input.displayName() + ": error: the network has more than " + WitnessScriptRenderer.MAX_NODES
                    + " expression nodes written out; a witness"
                    + " script evaluates one scalar at a time in Python, with about 3 KB of memory per node, and is"
                    + " written for at most that many");
            return ExitCodes.BAD_SPEC;
        }
        switch (arguments.get(FORMAT)) {
            case json -> new ProofJsonRenderer(out, arguments.get(FULL)).render(proof, verdicts);
            case markdown -> new ProofMarkdownRenderer(out, input.displayName(), arguments.get(FULL)).render(proof);
            default -> new ProofTextRenderer(out, input.displayName(), arguments.get(FULL)).render(proof);
        }
        if (verdicts != null && arguments.get(FORMAT) == Format.markdown) new OptimiserTableRenderer(out).markdown(verdicts);
        if (verdicts != null && arguments.get(FORMAT) == Format.text) new OptimiserTableRenderer(out).text(verdicts);
        if (script != null) {
            StringWriter text = new StringWriter();
            new WitnessScriptRenderer(new PrintWriter(text), script, input.displayName()).render(proof);
            int written = OutputFile.writeOrExplain(output, text.toString().getBytes(StandardCharsets.UTF_8), err);
            if (written != ExitCodes.OK) return written;
        }
        return proof.timedOut() ? ExitCodes.TIMED_OUT : ExitCodes.OK;
    }

    private static String languages() {
        return Arrays.stream(WitnessScriptRenderer.Language.values()).map(Enum::name).collect(Collectors.joining(" or "));
    }

    private static WitnessScriptRenderer.Language language(String text) {
        for (WitnessScriptRenderer.Language l : WitnessScriptRenderer.Language.values()) {
            if (l.name().equals(text)) return l;
        }
        throw new IllegalArgumentException("'" + text + "' is not a witness script language (" + languages() + ")");
    }
}
