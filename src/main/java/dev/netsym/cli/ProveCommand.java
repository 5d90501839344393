package dev.netsym.cli;

import dev.netsym.model.Network;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofRunner;
import dev.netsym.render.ProofJsonRenderer;
import dev.netsym.render.ProofMarkdownRenderer;
import dev.netsym.render.ProofTextRenderer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "prove",
        header = "Prove which parameters stay equal, which never move, which separate.",
        mixinStandardHelpOptions = true,
        description = {
            "Proves which parameters gradient descent keeps equal at every step (classes), which never",
            "move (frozen), and which separate, each claim with a certificate or a witness.",
            "",
            "The result is the greatest set of equalities that holds from the spec's initialisation for",
            "every dataset (or for the spec's 'data' lines), batch order and learning-rate schedule."},
        footer = {"", "Examples:", "  netsym prove examples/cs231n.net",
            "  netsym prove --format json examples/cs231n.net > proof.json",
            "  netsym prove --format markdown examples/cs231n.net > proof.md",
            "  netsym prove --timeout 10 big.net"})
final class ProveCommand implements Callable<Integer> {
    @Mixin
    SpecInput input;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Time budget of the whole proof (default: ${DEFAULT-VALUE}); when it runs out the"
                    + " output says what is undecided and netsym exits with 75.")
    double timeoutSeconds;

    @Option(names = "--full", description = "List every class and separation, even for big networks.")
    boolean full;

    enum Format { text, json, markdown }

    @Override
    public Integer call() throws SpecInput.Failure {
        if (!(timeoutSeconds > 0) || timeoutSeconds > 1e6) {
            spec.commandLine().getErr().println("netsym: --timeout must be a positive number of seconds");
            return ExitCodes.USAGE;
        }
        Progress progress = Progress.onConsole(spec.commandLine().getErr());
        Proof proof;
        try {
            if (progress != null) progress.accept("reading the spec");
            Network network = input.loadForComputation(spec.commandLine().getErr());
            proof = ProofRunner.prove(network, Duration.ofMillis((long) (timeoutSeconds * 1000)),
                    Progress.sink(progress));
            if (progress != null) progress.accept("writing the proof");
        } finally {
            if (progress != null) progress.close();
        }
        var out = spec.commandLine().getOut();
        switch (format) {
            case json -> new ProofJsonRenderer(out).render(proof);
            case markdown -> new ProofMarkdownRenderer(out, input.displayName()).render(proof);
            default -> new ProofTextRenderer(out, input.displayName(), full).render(proof);
        }
        return proof.timedOut() ? ExitCodes.TIMED_OUT : ExitCodes.OK;
    }
}
