package dev.netsym.cli;

import dev.netsym.model.Network;
import dev.netsym.render.NetworkSummaryRenderer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Reads a network spec, reports every error with FILE:LINE:COLUMN, and prints a short",
            "summary: inputs, units, parameters and how they start."},
        footer = {"", "Example:", "  netsym check examples/cs231n.net", "  cat my.net | netsym check -"})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    SpecInput input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SpecInput.Failure {
        var out = spec.commandLine().getOut();
        Network network = input.load(spec.commandLine().getErr());
        new NetworkSummaryRenderer(out).render(network);
        return ExitCodes.OK;
    }
}
