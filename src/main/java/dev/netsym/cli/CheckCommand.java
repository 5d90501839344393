package dev.netsym.cli;

import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.render.NetworkSummaryRenderer;
import java.io.PrintWriter;

final class CheckCommand implements Command {
    private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym check",
                    "Check a spec: every error with FILE:LINE:COLUMN, and a summary.")
            .withDescription(
                "Reads a network spec, reports every error with FILE:LINE:COLUMN, and prints a short",
                "summary: inputs, units, parameters and how they start.")
            .withOptions(SpecInput.LOSS, SpecInput.INIT, SpecInput.SHAPE)
            .withPositionals(SpecInput.FILE)
            .withFooter("", "Example:", "  netsym check examples/cs231n.net", "  cat my.net | netsym check -");

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws SpecInput.Failure {
        Network network = new SpecInput(arguments).load(err);
        new NetworkSummaryRenderer(out).render(network);
        out.println("  translation: " + translate(network));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Proves the model compiles into the evaluation tape. Computer algebra is not started: its
     * loading would be most of the run, and prove and derive translate into it anyway.
     */
    private static String translate(Network network) {
        return "evaluation tape of " + Tape.compile(network).nodeCount() + " nodes";
    }
}
