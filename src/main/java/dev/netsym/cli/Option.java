package dev.netsym.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One option of a command: its names, the value it takes (none for a flag), its default and
 * how help describes it. A command reads the value through {@link Arguments#get(Option)}.
 *
 * <p>Descriptions may say {default} and {choices}; they are filled in here, from the same
 * declaration the parser uses, so that help cannot drift from behaviour.
 *
 * @param <T> the type of the value a command reads
 */
final class Option<T> {
    static final Option<Boolean> HELP = flag("--help", "Show this help and exit.").withShortName("-h");
    static final Option<Boolean> VERSION = flag("--version", "Print the version of netsym and exit.")
            .withShortName("-V");

    private final String longName;
    private final String shortName;
    private final String label;
    private final String description;
    private final T initial;
    private final BiFunction<T, String, T> reader;
    private final boolean repeatable;

    private Option(String longName, String shortName, String label, String description, T initial,
            BiFunction<T, String, T> reader, boolean repeatable) {
        this.longName = longName;
        this.shortName = shortName;
        this.label = label;
        this.description = description;
        this.initial = initial;
        this.reader = reader;
        this.repeatable = repeatable;
    }

    /** An option without a value: false unless given. */
    static Option<Boolean> flag(String longName, String description) {
        return new Option<>(longName, null, null, description, false, (soFar, text) -> true, false);
    }

    /** Any text; null unless given. */
    static Option<String> text(String longName, String label, String description) {
        return single(longName, label, null, description, text -> text);
    }

    /** A time budget in seconds: more than 0, at most a million (about 11 days). */
    static Option<Double> seconds(String longName, String defaultText, String description) {
        return single(longName, "SECONDS", defaultText, description, text -> {
            double seconds;
            try {
                seconds = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number");
            }
            if (!(seconds > 0 && seconds <= 1e6)) {
                throw new IllegalArgumentException("'" + text + "' is not a positive number of seconds (at most 1000000)");
            }
            return seconds;
        });
    }

    /** One of the constants of an enum, spelt exactly as declared. */
    static <E extends Enum<E>> Option<E> choice(String longName, String label, E defaultValue, String description) {
        E[] constants = defaultValue.getDeclaringClass().getEnumConstants();
        String choices = Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
        return single(longName, label, defaultValue.name(), description.replace("{choices}", choices), text -> {
            for (E constant : constants) {
                if (constant.name().equals(text)) return constant;
            }
            throw new IllegalArgumentException("'" + text + "' is not one of " + choices);
        });
    }

    /** A file to write; null unless given. */
    static Option<Path> path(String longName, String label, String description) {
        return single(longName, label, null, description, text -> {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a usable file name: " + e.getReason());
            }
        });
    }

    /** May be given many times; the values in command-line order, none unless given. */
    static Option<List<String>> repeatable(String longName, String label, String description) {
        return repeatable(longName, label, description, text -> text);
    }

    /** May be given many times, each value read by {@code convert} (which throws IllegalArgumentException to refuse it). */
    static <T> Option<List<T>> repeatable(String longName, String label, String description, Function<String, T> convert) {
        return new Option<>(longName, null, label, description, List.of(), (soFar, text) -> {
            List<T> all = new ArrayList<>(soFar);
            all.add(convert.apply(text));
            return List.copyOf(all);
        }, true);
    }

    /** A value read by {@code convert} (which throws IllegalArgumentException to refuse it), with its default as typed. */
    static <T> Option<T> converted(String longName, String label, String defaultText, String description, Function<String, T> convert) {
        return single(longName, label, defaultText, description, convert);
    }

    /**
     * An option given at most once. Its default is written as on the command line and read
     * like a given value, so that help shows it exactly as a user would type it.
     */
    private static <T> Option<T> single(String longName, String label, String defaultText, String description,
            Function<String, T> convert) {
        T initial = defaultText == null ? null : convert.apply(defaultText);
        String described = defaultText == null ? description : description.replace("{default}", defaultText);
        return new Option<>(longName, null, label, described, initial, (soFar, text) -> convert.apply(text), false);
    }

    /** The same option, also known by a one-letter name such as -o. */
    Option<T> withShortName(String name) {
        return new Option<>(longName, name, label, description, initial, reader, repeatable);
    }

    String longName() {
        return longName;
    }

    /** The one-letter name, or null when there is none. */
    String shortName() {
        return shortName;
    }

    /** What help calls the value (FORMAT, SECONDS), or null for a flag. */
    String label() {
        return label;
    }

    boolean takesValue() {
        return label != null;
    }

    boolean repeatable() {
        return repeatable;
    }

    String description() {
        return description;
    }

    boolean isNamed(String name) {
        return name.equals(longName) || name.equals(shortName);
    }

    /** The value when the option is not given: its default, false, null or no values. */
    T initial() {
        return initial;
    }

    /**
     * The value after one more occurrence with this text (null for a flag).
     *
     * @throws IllegalArgumentException saying why the text is not a value of this option
     */
    T read(T soFar, String text) {
        return reader.apply(soFar, text);
    }
}
