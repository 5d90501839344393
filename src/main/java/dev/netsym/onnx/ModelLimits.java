package dev.netsym.onnx;

import dev.netsym.onnx.OnnxImporter.ImportError;

/**
 * Checks a model file's encoding against netsym's limits before protobuf builds a single object
 * from it: a few hundred bytes can otherwise claim millions of empty nodes, strings of
 * gigabytes, or sub-graphs nested a thousand deep, and protobuf would allocate them all.
 *
 * <p>The walk reads the protobuf wire format directly, descending only into the fields of
 * onnx.proto that hold messages (the generated classes are the lite runtime, without
 * descriptors, hence the field numbers below). Every length is checked against the bytes that
 * remain, so a length that lies is a damaged file here, not an allocation.
 */
final class ModelLimits {
    /** The largest model file netsym reads; bigger models keep their weights in external data files. */
    static final int MAX_FILE_BYTES = 128 << 20;
    static final int MAX_NODES = 100_000;
    /** Initializers, tensors of Constant nodes and other tensor attributes. */
    static final int MAX_TENSORS = 100_000;
    static final int MAX_ATTRIBUTES = 500_000;
    /** Messages and strings of every kind: each becomes an object when the file is parsed. */
    static final int MAX_ITEMS = 2_000_000;
    /** Numbers written out one by one (typed tensor data, dimensions, attribute lists). */
    static final long MAX_NUMBERS = OnnxImporter.MAX_ELEMENTS;
    /** Names, operator types, documentation and every other text field, in UTF-8 bytes. */
    static final int MAX_TEXT_BYTES = 65_536;
    /** Graphs inside attributes of nodes (If, Loop, Scan) inside graphs … */
    static final int MAX_SUBGRAPH_DEPTH = 8;
    /** Messages inside messages, whatever their kind (types may nest types). */
    static final int MAX_MESSAGE_DEPTH = 48;

    /** The messages of onnx.proto the walk descends into. */
    private enum Kind {
        MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR, SEGMENT, SPARSE_TENSOR, VALUE_INFO, TYPE, TYPE_TENSOR, TYPE_NESTED,
        TYPE_MAP, SHAPE, DIMENSION, STRING_PAIR, OPSET, FUNCTION, TRAINING, ANNOTATION
    }

    /** What a field holds, for the fields that matter here; everything else is skipped by its wire type. */
    private sealed interface Field permits Message, Text, Numbers {}

    private record Message(Kind kind) implements Field {}

    private record Text() implements Field {}

    /** Repeated numbers: {@code width} bytes each when fixed-size, 0 for varints. */
    private record Numbers(int width) implements Field {}

    private static final Text TEXT = new Text();
    private static final Numbers VARINTS = new Numbers(0);
    private static final Numbers FIXED32 = new Numbers(4);
    private static final Numbers FIXED64 = new Numbers(8);

    private static Field field(Kind kind, int number) {
        return switch (kind) {
            case MODEL -> switch (number) {
                case 2, 3, 4, 6 -> TEXT;
                case 7 -> new Message(Kind.GRAPH);
                case 8 -> new Message(Kind.OPSET);
                case 14 -> new Message(Kind.STRING_PAIR);
                case 20 -> new Message(Kind.TRAINING);
                case 25 -> new Message(Kind.FUNCTION);
                default -> null;
            };
            case GRAPH -> switch (number) {
                case 1 -> new Message(Kind.NODE);
                case 2, 10 -> TEXT;
                case 5 -> new Message(Kind.TENSOR);
                case 11, 12, 13 -> new Message(Kind.VALUE_INFO);
                case 14 -> new Message(Kind.ANNOTATION);
                case 15 -> new Message(Kind.SPARSE_TENSOR);
                default -> null;
            };
            case NODE -> switch (number) {
                case 1, 2, 3, 4, 6, 7 -> TEXT;
                case 5 -> new Message(Kind.ATTRIBUTE);
                default -> null;
            };
            case ATTRIBUTE -> switch (number) {
                case 1, 4, 9, 13, 21 -> TEXT;
                case 5, 10 -> new Message(Kind.TENSOR);
                case 6, 11 -> new Message(Kind.GRAPH);
                case 7 -> FIXED32;
                case 8 -> VARINTS;
                case 14, 15 -> new Message(Kind.TYPE);
                case 22, 23 -> new Message(Kind.SPARSE_TENSOR);
                default -> null;
            };
            case TENSOR -> switch (number) {
                case 1, 5, 7, 11 -> VARINTS;
                case 3 -> new Message(Kind.SEGMENT);
                case 4 -> FIXED32;
                case 6, 8, 12 -> TEXT;
                case 10 -> FIXED64;
                case 13 -> new Message(Kind.STRING_PAIR);
                default -> null; // raw_data (9): bounded by the file, then checked against the shape
            };
            case SPARSE_TENSOR -> switch (number) {
                case 1, 2 -> new Message(Kind.TENSOR);
                case 3 -> VARINTS;
                default -> null;
            };
            case VALUE_INFO -> switch (number) {
                case 1, 3 -> TEXT;
                case 2 -> new Message(Kind.TYPE);
                default -> null;
            };
            case TYPE -> switch (number) {
                case 1, 8 -> new Message(Kind.TYPE_TENSOR);
                case 4, 9 -> new Message(Kind.TYPE_NESTED);
                case 5 -> new Message(Kind.TYPE_MAP);
                case 6 -> TEXT;
                default -> null;
            };
            case TYPE_TENSOR -> number == 2 ? new Message(Kind.SHAPE) : null;
            case TYPE_NESTED -> number == 1 ? new Message(Kind.TYPE) : null;
            case TYPE_MAP -> number == 2 ? new Message(Kind.TYPE) : null;
            case SHAPE -> number == 1 ? new Message(Kind.DIMENSION) : null;
            case DIMENSION -> number == 2 || number == 3 ? TEXT : null;
            case OPSET -> number == 1 ? TEXT : null;
            case STRING_PAIR -> number == 1 || number == 2 ? TEXT : null;
            case FUNCTION -> switch (number) {
                case 1, 4, 5, 6, 8, 10 -> TEXT;
                case 7 -> new Message(Kind.NODE);
                case 9 -> new Message(Kind.OPSET);
                default -> null;
            };
            case TRAINING -> switch (number) {
                case 1, 2 -> new Message(Kind.GRAPH);
                case 3, 4 -> new Message(Kind.STRING_PAIR);
                default -> null;
            };
            case ANNOTATION -> number == 1 ? TEXT : number == 2 ? new Message(Kind.STRING_PAIR) : null;
            case SEGMENT -> null;
        };
    }

    private final byte[] bytes;
    private int at;
    private int nodes;
    private int tensors;
    private int attributes;
    private int items;
    private long numbers;

    private ModelLimits(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Refuses, with an {@link ImportError} saying which limit, a file that exceeds one or is not well formed. */
    static void check(byte[] bytes) {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ImportError("the model file is larger than " + (MAX_FILE_BYTES >> 20) + " MiB, the most netsym reads;"
                    + " export a model this large with its weights as external data");
        }
        ModelLimits walk = new ModelLimits(bytes);
        walk.message(Kind.MODEL, bytes.length, 0, 0);
    }

    private void message(Kind kind, int end, int depth, int graphDepth) {
        if (depth > MAX_MESSAGE_DEPTH) exceeded("messages nested more than " + MAX_MESSAGE_DEPTH + " deep");
        if (kind == Kind.GRAPH && graphDepth - 1 > MAX_SUBGRAPH_DEPTH) {
            exceeded("sub-graphs (of If, Loop or Scan nodes) nested more than " + MAX_SUBGRAPH_DEPTH + " deep");
        }
        count(kind);
        while (at < end) {
            long tag = varint(end);
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (number == 0 || tag >>> 32 != 0) damaged("a field numbered 0 or beyond protobuf's range");
            Field field = field(kind, number);
            if (!fits(field, wireType)) {
                // Kept by protobuf as an unknown field: an object of its own.
                item();
                field = null;
            }
            switch (wireType) {
                case 0 -> {
                    varint(end);
                    if (field != null) addNumbers(1);
                }
                case 1 -> {
                    skip(8, end);
                    if (field != null) addNumbers(1);
                }
                case 5 -> {
                    skip(4, end);
                    if (field != null) addNumbers(1);
                }
                case 2 -> {
                    int length = length(end);
                    int fieldEnd = at + length;
                    if (field instanceof Message m) {
                        message(m.kind(), fieldEnd, depth + 1, graphDepth + (m.kind() == Kind.GRAPH ? 1 : 0));
                        if (at != fieldEnd) damaged("a message runs past its stated length");
                    } else if (field instanceof Text) {
                        item();
                        if (length > MAX_TEXT_BYTES) exceeded("a name or text of over " + String.format("%,d", MAX_TEXT_BYTES) + " bytes");
                        at = fieldEnd;
                    } else if (field instanceof Numbers n) {
                        addNumbers(n.width() == 0 ? varintsIn(at, fieldEnd) : length / n.width());
                        at = fieldEnd;
                    } else {
                        at = fieldEnd;
                    }
                }
                default -> damaged("wire type " + wireType + ", which ONNX files do not use");
            }
        }
        if (at != end) damaged("a message runs past its stated length");
    }

    /** Whether protobuf reads the field as the schema says (a known field with another wire type is kept as unknown). */
    private static boolean fits(Field field, int wireType) {
        if (field == null) return false;
        if (wireType == 2) return true;
        return field instanceof Numbers n && switch (n.width()) {
            case 0 -> wireType == 0;
            case 4 -> wireType == 5;
            default -> wireType == 1;
        };
    }

    private void count(Kind kind) {
        item();
        switch (kind) {
            case NODE -> {
                if (++nodes > MAX_NODES) exceeded("more than " + String.format("%,d", MAX_NODES) + " nodes");
            }
            case TENSOR -> {
                if (++tensors > MAX_TENSORS) exceeded("more than " + String.format("%,d", MAX_TENSORS) + " tensors (initializers and constants)");
            }
            case ATTRIBUTE -> {
                if (++attributes > MAX_ATTRIBUTES) exceeded("more than " + String.format("%,d", MAX_ATTRIBUTES) + " node attributes");
            }
            default -> {}
        }
    }

    private void item() {
        if (++items > MAX_ITEMS) exceeded("more than " + String.format("%,d", MAX_ITEMS) + " messages and strings");
    }

    private void addNumbers(long n) {
        numbers += n;
        if (numbers > MAX_NUMBERS) exceeded("more than " + String.format("%,d", MAX_NUMBERS) + " numbers written out in its fields");
    }

    private int varintsIn(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) if (bytes[i] >= 0) n++;
        return n;
    }

    private long varint(int end) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) damaged("the file ends inside a number");
            byte b = bytes[at++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) return value;
        }
        damaged("a number longer than ten bytes");
        return 0;
    }

    private int length(int end) {
        long length = varint(end);
        if (length < 0 || length > end - at) damaged("a length of " + Long.toUnsignedString(length) + " bytes where " + (end - at) + " remain");
        return (int) length;
    }

    private void skip(int n, int end) {
        if (end - at < n) damaged("the file ends inside a number");
        at += n;
    }

    private static void damaged(String what) {
        throw new ImportError("not an ONNX model, or a damaged one: " + what);
    }

    private static void exceeded(String what) {
        throw new ImportError("the model exceeds netsym's limits: it has " + what);
    }
}
