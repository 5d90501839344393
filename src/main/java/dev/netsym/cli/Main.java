package dev.netsym.cli;

import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.model.NearestName;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The netsym command line: picks the command, reads its arguments, and turns failures into exit codes. */
public final class Main {
    private static final List<Command> COMMANDS = List.of(new CheckCommand(), new DeriveCommand(),
            new ProveCommand(), new LawsCommand(), new SimulateCommand(), new LatexCommand(), new DotCommand(), new SpecCommand(),
            new HelpCommand());

    private static final CommandSyntax NETSYM = CommandSyntax.of("netsym", null)
            .withDescription(
                "Derives, symbolically, what gradient descent does to the weights of a network, and proves",
                "which weights it keeps equal forever, which never move, and which separate.",
                "")
            .withCommands(COMMANDS.stream().map(Command::syntax).toList())
            .withFooter(
                "",
                "Examples:",
                "  netsym prove examples/cs231n.net",
                "  netsym derive --param w5 examples/cs231n.net",
                "  netsym simulate examples/cs231n.net -o cs231n.png",
                "  netsym latex examples/cs231n.net -o cs231n.tex --pdf",
                "",
                "The spec language (statements, expressions, what becomes a parameter, what prove reports):",
                "  netsym help spec",
                "",
                "Exit codes: 0 ok, 64 bad command line, 65 errors in the spec (also: a network too large or",
                "too deep to compute with, or with no value anywhere), 66 spec file missing or unreadable,",
                "70 internal error, 73 output not writable, 75 time budget ran out.");

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, false, StandardCharsets.UTF_8),
                new PrintWriter(System.err, false, StandardCharsets.UTF_8)));
    }

    /** Runs the command line with the given streams; returns the exit code. Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // Pictures are drawn off screen: never reach for a display, even where one is set.
        System.setProperty("java.awt.headless", "true");
        int code;
        try {
            code = dispatch(List.of(args), out, err);
        } catch (UsageError e) {
            code = reportUsageError(e, err);
        }
        out.flush();
        err.flush();
        return code;
    }

    private static int dispatch(List<String> args, PrintWriter out, PrintWriter err) throws UsageError {
        Arguments global = NETSYM.parse(args);
        if (answeredHelpOrVersion(NETSYM, global, out)) return ExitCodes.OK;
        if (global.commandLine().isEmpty()) {
            // No command given: show what there is to do.
            out.print(HelpText.of(NETSYM));
            return ExitCodes.OK;
        }
        List<String> commandLine = global.commandLine();
        Command command = command(commandLine.get(0));
        Arguments arguments = command.syntax().parse(commandLine.subList(1, commandLine.size()));
        if (answeredHelpOrVersion(command.syntax(), arguments, out)) return ExitCodes.OK;
        return execute(command, arguments, out, err);
    }

    private static Command command(String name) throws UsageError {
        for (Command command : COMMANDS) {
            if (command.syntax().name().equals(name)) return command;
        }
        List<String> names = COMMANDS.stream().map(c -> c.syntax().name()).toList();
        String hint = NearestName.among(name, names).map(command -> "did you mean " + command + "?")
                .orElse("the commands are " + String.join(", ", names));
        throw new UsageError(NETSYM, "unknown command '" + name + "'; " + hint);
    }

    /** -h and -V end the command line whatever else it holds. */
    private static boolean answeredHelpOrVersion(CommandSyntax syntax, Arguments arguments, PrintWriter out) {
        if (arguments.get(Option.HELP)) {
            out.print(HelpText.of(syntax));
            return true;
        }
        if (arguments.get(Option.VERSION)) {
            String version = Main.class.getPackage().getImplementationVersion();
            out.println("netsym " + (version == null ? "(development build)" : version));
            return true;
        }
        return false;
    }

    private static int execute(Command command, Arguments arguments, PrintWriter out, PrintWriter err) {
        if (command.usesComputerAlgebra()) SymbolicEngine.Loading.startInBackground();
        try {
            return command.run(arguments, out, err);
        } catch (UsageError e) {
            // Found by the command itself: help with an unknown command name.
            return reportUsageError(e, err);
        } catch (SpecInput.Failure f) {
            return f.exitCode;
        } catch (ArithmeticException e) {
            // Every point tried divided by zero or took the log of a non-positive number,
            // for instance because the initialisation sets a denominator to 0.
            err.println(specName(arguments) + ": error: the network has no value where gradient"
                    + " descent would start (" + e.getMessage() + "): a denominator is 0 or a log's argument"
                    + " not positive there");
            return ExitCodes.BAD_SPEC;
        } catch (StackOverflowError | OutOfMemoryError e) {
            // A limit of this JVM reached by the spec's size, not a crash: say so, as for a spec error.
            String resource = e instanceof StackOverflowError ? "stack" : "memory";
            err.println(specName(arguments) + ": error: the network is too large for this run:"
                    + " it needs more " + resource + " than the JVM has; make it smaller or split long expressions"
                    + " into units" + (e instanceof OutOfMemoryError ? ", or give Java more than its "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB, as with -Xmx16g (the netsym launcher passes"
                    + " NETSYM_JAVA_OPTS)" : ""));
            return ExitCodes.BAD_SPEC;
        } catch (Exception e) {
            err.println("netsym: internal error: " + e + " (please report it with the spec that caused it)");
            return ExitCodes.INTERNAL;
        }
    }

    /** The problem on one line, then where to read how the command is used. */
    private static int reportUsageError(UsageError e, PrintWriter err) {
        CommandSyntax syntax = e.syntax();
        String command = syntax == NETSYM ? "" : syntax.name() + ": ";
        err.println("netsym: " + command + e.getMessage());
        err.println("Run '" + syntax.invocation() + " --help' for its usage and examples.");
        return ExitCodes.USAGE;
    }

    /** The FILE argument of the command that ran, for messages about the spec as a whole. */
    private static String specName(Arguments arguments) {
        return arguments.get(SpecInput.FILE) == null ? "the spec" : new SpecInput(arguments).displayName();
    }

    /** {@code netsym help [COMMAND]}: the same help as -h gives. */
    private static final class HelpCommand implements Command {
        private static final Positional COMMAND = Positional.optional("COMMAND",
                "The command to explain, or 'spec' for the spec language.");

        private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym help",
                        "Show the help of a command, or the reference of the spec language.")
                .withDescription("Shows what a command does, its options and arguments, and examples of its use;",
                        "'netsym help spec' shows the spec language: statements, expressions, initial values,",
                        "what becomes a parameter, data, assumptions, and what prove reports (the command",
                        "that writes an ONNX model as a spec explains itself with 'netsym spec --help').")
                .withPositionals(COMMAND)
                .withFooter("", "Examples:", "  netsym help prove", "  netsym help spec");

        @Override
        public CommandSyntax syntax() {
            return SYNTAX;
        }

        @Override
        public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws UsageError {
            String name = arguments.get(COMMAND);
            if ("spec".equals(name)) {
                out.print(SpecLanguageHelp.TEXT);
                return ExitCodes.OK;
            }
            out.print(HelpText.of(name == null ? NETSYM : command(name).syntax()));
            return ExitCodes.OK;
        }
    }
}
