package dev.netsym.proof;

import dev.netsym.model.Rational;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Name → exact value, as text, in the order the names were added, written out only when read.
 * A witness run of a big network draws hundreds of thousands of start values, and the text
 * shows their count; only JSON and witness scripts read every one. Immutable once built.
 */
final class NumberTexts extends AbstractMap<String, String> {
    private final List<String> names = new ArrayList<>();
    private final List<Rational> values = new ArrayList<>();
    /** Built on the first lookup by name; volatile, as a run may be read from another thread. */
    private volatile Map<String, Integer> index;
    private boolean sealed;

    /** Adds a name (once): a builder's step, before the map is handed out. */
    void put(String name, Rational value) {
        if (sealed) throw new UnsupportedOperationException("the values of a witness run are fixed");
        names.add(name);
        values.add(value);
    }

    /** No more additions: from here on the map is read only. */
    NumberTexts sealed() {
        sealed = true;
        return this;
    }

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public String get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values.get(i).toString();
    }

    private int indexOf(Object key) {
        Map<String, Integer> known = index;
        if (known == null) {
            known = new HashMap<>();
            for (int i = 0; i < names.size(); i++) known.putIfAbsent(names.get(i), i);
            index = known;
        }
        Integer i = known.get(key);
        return i == null ? -1 : i;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return names.size();
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.size();
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (!hasNext()) throw new java.util.NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(names.get(i), values.get(i).toString());
                    }
                };
            }
        };
    }
}
