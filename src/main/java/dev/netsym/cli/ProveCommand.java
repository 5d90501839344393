package dev.netsym.cli;

import dev.netsym.model.Network;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofRunner;
import dev.netsym.render.ProofJsonRenderer;
import dev.netsym.render.ProofMarkdownRenderer;
import dev.netsym.render.ProofTextRenderer;
import java.io.PrintWriter;
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

    private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym prove",
                    "Prove which parameters stay equal, which never move, which separate.")
            .withDescription(
                "Proves which parameters gradient descent keeps equal at every step (classes), which never",
                "move (frozen), and which separate, each claim with a certificate or a witness.",
                "",
                "The result is the greatest set of equalities that holds from the spec's initialisation for",
                "every dataset (or for the spec's 'data' lines), batch order and learning-rate schedule.")
            .withOptions(FORMAT, TIMEOUT, FULL, SpecInput.LOSS, SpecInput.INIT, SpecInput.SHAPE)
            .withPositionals(SpecInput.FILE)
            .withFooter("", "Examples:", "  netsym prove examples/cs231n.net",
                "  netsym prove --format json examples/cs231n.net > proof.json",
                "  netsym prove --format markdown examples/cs231n.net > proof.md",
                "  netsym prove --timeout 10 big.net",
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
    public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws SpecInput.Failure {
        double timeoutSeconds = arguments.get(TIMEOUT);
        SpecInput input = new SpecInput(arguments);
        Proof proof;
        try (Progress progress = Progress.onConsole(err)) {
            Consumer<String> phase = Progress.sink(progress);
            phase.accept("reading the spec");
            Network network = input.loadForComputation(Progress.messages(progress, err));
            proof = ProofRunner.prove(network, Duration.ofMillis((long) (timeoutSeconds * 1000)), phase);
        }
        switch (arguments.get(FORMAT)) {
            case json -> new ProofJsonRenderer(out, arguments.get(FULL)).render(proof);
            case markdown -> new ProofMarkdownRenderer(out, input.displayName(), arguments.get(FULL)).render(proof);
            default -> new ProofTextRenderer(out, input.displayName(), arguments.get(FULL)).render(proof);
        }
        return proof.timedOut() ? ExitCodes.TIMED_OUT : ExitCodes.OK;
    }
}
