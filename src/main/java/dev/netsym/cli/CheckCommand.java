package dev.netsym.cli;

import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.model.Unit;
import dev.netsym.proof.SymbolicProver;
import dev.netsym.render.NetworkSummaryRenderer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    public boolean usesComputerAlgebra() {
        return true;
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
     * Proves the model translates: into the evaluation tape always, and into computer algebra
     * (each unit and the objective) when the network is small enough for symbolic work.
     */
    private static String translate(Network network) {
        Tape tape = Tape.compile(network);
        String numeric = "evaluation tape of " + tape.nodeCount() + " nodes";
        if (network.parameters().size() > SymbolicProver.MAX_PARAMETERS) {
            return numeric + "; computer algebra not used for networks over " + SymbolicProver.MAX_PARAMETERS
                    + " parameters";
        }
        try (SymbolicEngine engine = new SymbolicEngine(Duration.ofSeconds(10))) {
            List<String> failed = new ArrayList<>();
            for (Unit u : network.units()) {
                if (!engine.evaluate(u.definition()).isKnown()) failed.add(u.name());
            }
            if (!engine.evaluate(network.objective()).isKnown()) failed.add("the objective");
            return numeric + "; computer algebra " + (failed.isEmpty() ? "ok"
                    : "could not evaluate " + String.join(", ", failed) + " in time");
        }
    }
}
