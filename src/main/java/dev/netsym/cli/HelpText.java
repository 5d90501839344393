package dev.netsym.cli;

import dev.netsym.render.TextLines;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The help of a command, in 100 columns: its header, the usage line, the description, a
 * table of positional arguments and options (then of commands, for netsym itself), and the
 * footer of examples.
 */
final class HelpText {
    /** Before every row of a table. */
    private static final String INDENT = "  ";
    /** Room for "-o, " before the long names, so that long names line up. */
    private static final int SHORT_NAME_COLUMNS = 4;
    /** Between the longest name and the descriptions. */
    private static final int GAP = 3;
    /** Continuation lines of a description start this much further right than its first. */
    private static final int HANGING_INDENT = 2;

    private HelpText() {}

    static String of(CommandSyntax syntax) {
        StringBuilder help = new StringBuilder();
        if (syntax.header() != null) help.append(syntax.header()).append('\n');
        String usage = "Usage: " + syntax.invocation() + " ";
        appendWrapped(help, usage, synopsis(syntax), usage.length());
        syntax.description().forEach(line -> help.append(line).append('\n'));
        appendTable(help, syntax);
        if (!syntax.commands().isEmpty()) {
            help.append("Commands:\n");
            int width = syntax.commands().stream().mapToInt(c -> c.name().length()).max().orElse(0);
            for (CommandSyntax command : syntax.commands()) {
                help.append(INDENT).append(pad(command.name(), width + 2)).append(command.header()).append('\n');
            }
        }
        syntax.footer().forEach(line -> help.append(line).append('\n'));
        return help.toString();
    }

    /**
     * What the command line may hold, in a fixed order: the one-letter flags together, the
     * other flags, the options with a value, the repeatable ones, the positional arguments.
     */
    private static String synopsis(CommandSyntax syntax) {
        StringBuilder letters = new StringBuilder();
        List<String> flags = new ArrayList<>();
        List<String> withValues = new ArrayList<>();
        List<String> repeatable = new ArrayList<>();
        for (Option<?> option : sorted(syntax.allOptions())) {
            String item = "[" + shortestName(option) + (option.takesValue() ? "=" + option.label() : "") + "]";
            if (!option.takesValue() && option.shortName() != null) letters.append(option.shortName().charAt(1));
            else if (!option.takesValue()) flags.add(item);
            else if (option.repeatable()) repeatable.add(item + "...");
            else withValues.add(item);
        }
        List<String> items = new ArrayList<>();
        if (letters.length() > 0) items.add("[-" + letters + "]");
        items.addAll(flags);
        items.addAll(withValues);
        items.addAll(repeatable);
        syntax.positionals().forEach(positional -> items.add(positional.synopsis()));
        if (!syntax.commands().isEmpty()) items.add("COMMAND");
        return String.join(" ", items);
    }

    /** One line of the table, before wrapping. */
    private record Row(String shortName, String name, String description) {}

    /** Positional arguments first, then the options by name; descriptions in one column. */
    private static void appendTable(StringBuilder help, CommandSyntax syntax) {
        List<Row> rows = new ArrayList<>();
        for (Positional positional : syntax.positionals()) {
            rows.add(new Row("", positional.synopsis(), positional.description()));
        }
        for (Option<?> option : sorted(syntax.allOptions())) {
            String shortName = option.shortName() == null ? "" : option.shortName() + ",";
            String name = option.longName() + (option.takesValue() ? "=" + option.label() : "");
            rows.add(new Row(shortName, name, option.description()));
        }
        int nameWidth = rows.stream().mapToInt(row -> row.name().length()).max().orElse(0);
        for (Row row : rows) {
            String names = INDENT + pad(row.shortName(), SHORT_NAME_COLUMNS) + pad(row.name(), nameWidth + GAP);
            appendWrapped(help, names, row.description(), names.length() + HANGING_INDENT);
        }
    }

    /** Alphabetical by the name shown first (-o before --output), ignoring dashes and case. */
    private static List<Option<?>> sorted(List<Option<?>> options) {
        Comparator<Option<?>> byName =
                Comparator.comparing(option -> shortestName(option).replaceFirst("^-+", "").toLowerCase(Locale.ROOT));
        return options.stream().sorted(byName).toList();
    }

    private static String shortestName(Option<?> option) {
        return option.shortName() != null ? option.shortName() : option.longName();
    }

    /** The words after the lead, broken before the text width; later lines start after indent spaces. */
    private static void appendWrapped(StringBuilder help, String lead, String text, int indent) {
        for (String line : TextLines.words(lead, " ".repeat(indent), text)) help.append(line).append('\n');
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
