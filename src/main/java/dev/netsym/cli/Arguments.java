package dev.netsym.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What one command line gives a command: the value of each option and each positional argument. */
final class Arguments {
    private final Map<Option<?>, Object> values = new HashMap<>();
    private final Map<Positional, String> positionals = new HashMap<>();
    private List<String> commandLine = List.of();

    /** The value given on the command line, or the option's default. */
    @SuppressWarnings("unchecked") // set() stores only values of the option's own type
    <T> T get(Option<T> option) {
        return values.containsKey(option) ? (T) values.get(option) : option.initial();
    }

    /** The argument as given, or null when an optional one is left out. */
    String get(Positional positional) {
        return positionals.get(positional);
    }

    /** For netsym itself: the command's name and its own arguments; empty when no command is given. */
    List<String> commandLine() {
        return commandLine;
    }

    boolean isGiven(Option<?> option) {
        return values.containsKey(option);
    }

    <T> void set(Option<T> option, T value) {
        values.put(option, value);
    }

    void set(Positional positional, String value) {
        positionals.put(positional, value);
    }

    void setCommandLine(List<String> commandLine) {
        this.commandLine = List.copyOf(commandLine);
    }
}
