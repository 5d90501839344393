package dev.netsym.cli;

import dev.netsym.model.NearestName;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command accepts and how its help describes it. Every command also takes -h/--help
 * and -V/--version. netsym itself is described the same way, with commands in place of
 * positional arguments.
 *
 * @param invocation how the command is run: "netsym prove", or "netsym" for netsym itself
 * @param header one line, for the list of commands
 * @param description lines shown as written under the usage line
 * @param footer lines shown as written at the end: examples
 */
record CommandSyntax(String invocation, String header, List<String> description, List<Option<?>> options,
        List<Positional> positionals, List<String> footer, List<CommandSyntax> commands) {

    static CommandSyntax of(String invocation, String header) {
        return new CommandSyntax(invocation, header, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    CommandSyntax withDescription(String... lines) {
        return new CommandSyntax(invocation, header, List.of(lines), options, positionals, footer, commands);
    }

    CommandSyntax withOptions(Option<?>... options) {
        return new CommandSyntax(invocation, header, description, List.of(options), positionals, footer, commands);
    }

    CommandSyntax withPositionals(Positional... positionals) {
        return new CommandSyntax(invocation, header, description, options, List.of(positionals), footer, commands);
    }

    CommandSyntax withFooter(String... lines) {
        return new CommandSyntax(invocation, header, description, options, positionals, List.of(lines), commands);
    }

    CommandSyntax withCommands(List<CommandSyntax> commands) {
        return new CommandSyntax(invocation, header, description, options, positionals, footer, List.copyOf(commands));
    }

    /** What is typed after netsym to run the command. */
    String name() {
        return invocation.substring(invocation.lastIndexOf(' ') + 1);
    }

    /** The command's own options, then help and version. */
    List<Option<?>> allOptions() {
        List<Option<?>> all = new ArrayList<>(options);
        all.add(Option.HELP);
        all.add(Option.VERSION);
        return all;
    }

    /**
     * Reads a command line: options in any order, as --name value or --name=value (also -o
     * value, -o=value, -ovalue), positional arguments in order, and "--" before arguments
     * that begin with a dash. For netsym itself the first positional argument is the command,
     * which is left with the rest of the line in {@link Arguments#commandLine()}.
     *
     * <p>Help and version win over any mistake elsewhere on the line, so that adding -h
     * always helps; otherwise the first mistake is reported.
     */
    Arguments parse(List<String> args) throws UsageError {
        Arguments arguments = new Arguments();
        UsageError mistake = null;
        int positionalsGiven = 0;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            UsageError problem = null;
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (optionsEnded || !looksLikeOption(arg)) {
                if (!commands.isEmpty()) {
                    arguments.setCommandLine(args.subList(i, args.size()));
                    break;
                }
                if (positionalsGiven < positionals.size()) arguments.set(positionals.get(positionalsGiven), arg);
                else problem = mistake("unexpected argument '" + arg + "'");
                positionalsGiven++;
            } else {
                Given given = split(arg);
                Option<?> option = option(given.name());
                String value = given.value();
                if (option == null) {
                    problem = mistake("unknown option '" + arg + "'" + didYouMean(given.name()));
                } else {
                    if (option.takesValue() && value == null && i + 1 < args.size() && !endsValue(args.get(i + 1))) {
                        value = args.get(++i);
                    }
                    problem = read(arguments, option, given.name(), value);
                }
            }
            if (mistake == null) mistake = problem;
        }
        if (arguments.get(Option.HELP) || arguments.get(Option.VERSION)) return arguments;
        if (mistake != null) throw mistake;
        for (Positional positional : positionals) {
            if (positional.required() && arguments.get(positional) == null) {
                throw mistake("missing " + positional.label());
            }
        }
        return arguments;
    }

    /** One occurrence of the option, or the mistake in it. */
    private <T> UsageError read(Arguments arguments, Option<T> option, String name, String value) {
        String named = "option '" + name + "'";
        if (!option.takesValue() && value != null) return mistake(named + " takes no value");
        if (option.takesValue() && value == null) return mistake(named + " needs a value (" + option.label() + ")");
        if (arguments.isGiven(option) && !option.repeatable()) return mistake(named + " is given more than once");
        try {
            arguments.set(option, option.read(arguments.get(option), value));
            return null;
        } catch (IllegalArgumentException e) {
            return mistake(named + ": " + e.getMessage());
        }
    }

    /** "; did you mean --format?" when one option is a likely spelling of the name, else nothing. */
    private String didYouMean(String name) {
        List<String> names = new ArrayList<>();
        for (Option<?> option : allOptions()) names.add(option.longName());
        return NearestName.among(name, names).map(option -> "; did you mean " + option + "?").orElse("");
    }

    private UsageError mistake(String message) {
        return new UsageError(this, message);
    }

    /** A single "-" is not an option: as FILE it means standard input. */
    private static boolean looksLikeOption(String arg) {
        return arg.length() > 1 && arg.startsWith("-");
    }

    /** Whether the argument after an option is not its value, so that the value is missing. */
    private boolean endsValue(String next) {
        return next.equals("--") || looksLikeOption(next) && option(split(next).name()) != null;
    }

    /** An option argument: the name, and the value when it comes in the same argument (else null). */
    private record Given(String name, String value) {}

    private Given split(String arg) {
        if (arg.startsWith("--")) {
            int equals = arg.indexOf('=');
            return equals < 0 ? new Given(arg, null) : new Given(arg.substring(0, equals), arg.substring(equals + 1));
        }
        Option<?> option = option(arg.substring(0, 2));
        if (arg.length() > 2 && option != null && option.takesValue()) {
            return new Given(arg.substring(0, 2), arg.substring(arg.charAt(2) == '=' ? 3 : 2));
        }
        return new Given(arg, null);
    }

    private Option<?> option(String name) {
        for (Option<?> option : allOptions()) {
            if (option.isNamed(name)) return option;
        }
        return null;
    }
}
