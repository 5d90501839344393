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
        subcommands = {CheckCommand.class, DeriveCommand.class, CommandLine.HelpCommand.class},
        footer = {
            "",
            "Example:",
            "  netsym check examples/cs231n.net",
            "",
            "Exit codes: 0 ok, 64 bad command line, 65 errors in the spec, 66 spec file missing or",
            "unreadable, 70 internal error, 73 output not writable, 75 time budget ran out."})
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
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        cli.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SpecInput.Failure f) return f.exitCode;
            err.println("netsym: internal error: " + e + " (please report it with the spec that caused it)");
            err.flush();
            return ExitCodes.INTERNAL;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            err.println("netsym: the network is too large for this run (" + e.getClass().getSimpleName() + ")");
            code = ExitCodes.INTERNAL;
        }
        out.flush();
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"netsym " + (v == null ? "(development build)" : v)};
        }
    }
}
