package dev.netsym.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "netsym",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Derives, symbolically, what gradient descent does to the weights of a network, and proves",
            "which weights it keeps equal forever, which never move, and which separate.",
            ""},
        subcommands = {CheckCommand.class, DeriveCommand.class, ProveCommand.class, LatexCommand.class, DotCommand.class,
            CommandLine.HelpCommand.class},
        footer = {
            "",
            "Examples:",
            "  netsym prove examples/cs231n.net",
            "  netsym derive --param w5 examples/cs231n.net",
            "  netsym latex examples/cs231n.net -o cs231n.tex --pdf",
            "",
            "Exit codes: 0 ok, 64 bad command line, 65 errors in the spec (also: a network too large or",
            "too deep to compute with, or with no value anywhere), 66 spec file missing or unreadable,",
            "70 internal error, 73 output not writable, 75 time budget ran out."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No command given: show what there is to do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, false, StandardCharsets.UTF_8),
                new PrintWriter(System.err, false, StandardCharsets.UTF_8)));
    }

    /** Runs the command line with the given streams; returns the exit code. Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        // Descriptions are written as lines of up to 100 columns; picocli's default of 80 would rewrap them.
        cli.setUsageHelpWidth(100);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        cli.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SpecInput.Failure f) return f.exitCode;
            if (e instanceof ArithmeticException) {
                // Every point tried divided by zero or took the log of a non-positive number,
                // for instance because the initialisation sets a denominator to 0.
                err.println(specName(parseResult) + ": error: the network has no value where gradient"
                        + " descent would start (" + e.getMessage() + "): a denominator is 0 or a log's argument"
                        + " not positive there");
                err.flush();
                return ExitCodes.BAD_SPEC;
            }
            err.println("netsym: internal error: " + e + " (please report it with the spec that caused it)");
            err.flush();
            return ExitCodes.INTERNAL;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // A limit of this JVM reached by the spec's size, not a crash: say so, as for a spec error.
            String resource = e instanceof StackOverflowError ? "stack" : "memory";
            err.println(specName(cli.getParseResult()) + ": error: the network is too large for this run:"
                    + " it needs more " + resource + " than the JVM has; make it smaller or split long expressions"
                    + " into units");
            code = ExitCodes.BAD_SPEC;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The FILE argument of the command that ran, for messages about the spec as a whole. */
    private static String specName(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult p = parseResult;
        while (p != null && p.hasSubcommand()) p = p.subcommand();
        if (p != null && p.hasMatchedPositional(0)) {
            Object file = p.matchedPositionalValue(0, "");
            return "-".equals(file) ? "<stdin>" : String.valueOf(file);
        }
        return "the spec";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"netsym " + (v == null ? "(development build)" : v)};
        }
    }
}
