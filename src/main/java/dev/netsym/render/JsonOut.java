package dev.netsym.render;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Consumer;

/**
 * JSON written as it is produced, straight to the output: a proof of millions of parameters
 * never becomes one string in memory. The top-level object puts each field on a line of its
 * own; everything inside a field is written on that line.
 */
final class JsonOut {
    private final PrintWriter out;
    /** Per open object or array: whether it has a member yet. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    /** A name was just written: the value that follows is its, with no separator of its own. */
    private boolean pendingValue;

    JsonOut(PrintWriter out) {
        this.out = out;
    }

    JsonOut beginObject() {
        value();
        out.print('{');
        if (open.isEmpty()) out.print('\n');
        open.push(new boolean[1]);
        return this;
    }

    JsonOut endObject() {
        open.pop();
        if (open.isEmpty()) {
            out.print("\n}\n");
            out.flush();
        } else {
            out.print('}');
        }
        return this;
    }

    JsonOut beginArray() {
        value();
        out.print('[');
        open.push(new boolean[1]);
        return this;
    }

    JsonOut endArray() {
        open.pop();
        out.print(']');
        return this;
    }

    /** The name of the next member of the object being written. */
    JsonOut name(String name) {
        boolean[] started = open.peek();
        if (open.size() == 1) {
            out.print(started[0] ? ",\n  " : "  ");
        } else if (started[0]) {
            out.print(", ");
        }
        started[0] = true;
        out.print(DerivationJsonRenderer.string(name));
        out.print(": ");
        pendingValue = true;
        return this;
    }

    JsonOut string(String s) {
        value();
        out.print(s == null ? "null" : DerivationJsonRenderer.string(s));
        return this;
    }

    /** A number, true, false or null, written as given. */
    JsonOut literal(Object value) {
        value();
        out.print(String.valueOf(value));
        return this;
    }

    JsonOut field(String name, String value) { return name(name).string(value); }

    JsonOut literalField(String name, Object value) { return name(name).literal(value); }

    /** An array of strings. */
    JsonOut strings(Iterable<String> items) {
        beginArray();
        for (String s : items) string(s);
        return endArray();
    }

    /** An array whose items {@code write} puts out, one call per item. */
    <T> JsonOut array(Iterable<T> items, Consumer<T> write) {
        beginArray();
        for (T item : items) write.accept(item);
        return endArray();
    }

    /** An object of string members. */
    JsonOut stringMap(Map<String, String> map) {
        beginObject();
        map.forEach(this::field);
        return endObject();
    }

    /** Before a value: the separator from the array item before it, unless a name just went out. */
    private void value() {
        if (pendingValue) {
            pendingValue = false;
            return;
        }
        boolean[] started = open.peek();
        if (started == null) return;
        if (started[0]) out.print(", ");
        started[0] = true;
    }
}
