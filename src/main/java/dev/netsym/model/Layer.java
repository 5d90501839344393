package dev.netsym.model;

/**
 * A dense layer, kept beside the units it created so that big results can be summarised
 * by layer. Its units are {@code name[1..size]}, its weights {@code W_name[j,i]} (unit j,
 * source element i) and, with a bias, {@code b_name[j]}.
 */
public record Layer(String name, int size, String source, int sourceSize, boolean bias, SourcePos pos) {
    public String unit(int j) { return name + "[" + j + "]"; }
    public String weight(int j, int i) { return "W_" + name + "[" + j + "," + i + "]"; }
    public String bias(int j) { return "b_" + name + "[" + j + "]"; }
}
