package dev.netsym.onnx;

import static dev.netsym.onnx.OnnxFiles.floatInput;
import static dev.netsym.onnx.OnnxFiles.node;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.netsym.onnx.proto.OnnxProto.AttributeProto;
import dev.netsym.onnx.proto.OnnxProto.GraphProto;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import dev.netsym.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import dev.netsym.onnx.proto.OnnxProto.ValueInfoProto;
import dev.netsym.robust.CliRun;
import dev.netsym.robust.FuzzLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the model importer through {@code netsym check FILE.onnx}: the committed
 * models truncated, with bits flipped, with length fields rewritten and with chunks moved, and
 * small generated models that break one rule of the README's model-file limits each. Every run
 * must end in exit 0 or 65 with nothing but {@code FILE: error|warning:} lines on stderr (no
 * trace, no internal error, no out-of-memory refusal) within the time limit.
 *
 * <p>Reproducible: fixed seed and count unless overridden, e.g. for a long run by hand
 * {@code mvn test -Dtest=OnnxFuzzTest -Dnetsym.onnxfuzz.seconds=600 -Dnetsym.onnxfuzz.seed=7}.
 * Failing inputs are saved under target/fuzz-failures.
 */
class OnnxFuzzTest {
    private static final long SEED = Long.getLong("netsym.onnxfuzz.seed", 19L);
    private static final int INPUTS = Integer.getInteger("netsym.onnxfuzz.inputs", 300);
    /** When set, run for this long instead of a fixed number of inputs. */
    private static final long SECONDS = Long.getLong("netsym.onnxfuzz.seconds", 0L);
    /** Only catches a hang: a cold JVM on a busy machine takes seconds for the first input alone. */
    private static final long TIMEOUT_SECONDS = 60;
    private static final String[] OPERATORS = {
        "Add", "Sub", "Mul", "Div", "Pow", "MatMul", "Gemm", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Concat", "Split",
        "Slice", "Gather", "Expand", "Flatten", "ReduceMean", "ReduceSum", "Softmax", "LogSoftmax", "LayerNormalization",
        "BatchNormalization", "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "Where", "ConstantOfShape", "Shape",
        "Constant", "Tanh", "Relu", "LeakyRelu", "Elu", "Dropout", "Identity", "Cast", "Sqrt", "Log", "If", "Loop",
    };
    private static final String[] ATTRIBUTES = {"axis", "axes", "perm", "split", "starts", "ends", "keepdims", "transA", "transB",
        "alpha", "beta", "epsilon", "kernel_shape", "strides", "pads", "dilations", "group", "value", "start", "end", "allowzero"};

    private static final List<byte[]> CORPUS = new ArrayList<>();
    private static ExecutorService runner;

    @TempDir
    static Path dir;

    @BeforeAll
    static void loadCorpus() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples/onnx"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) CORPUS.add(Files.readAllBytes(f));
        }
        runner = newRunner();
    }

    @AfterAll
    static void stopRunner() {
        runner.shutdownNow();
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "onnx-fuzz-runner");
            t.setDaemon(true); // a hung run must not keep the test JVM alive
            return t;
        });
    }

    @Test
    void everyModelFileEndsInAResultOrDiagnostics() throws Exception {
        FuzzLoop.run("onnx fuzz", SEED, SECONDS, INPUTS, OnnxFuzzTest::generate, OnnxFuzzTest::problemWith,
                OnnxFuzzTest::save, "readable models");
    }

    /**
     * Null if refused cleanly, "" if accepted, otherwise what went wrong. An accepted model is
     * also written as a spec, which 'netsym spec' checks reads back as the same network: a
     * difference would be exit 70.
     */
    private static String problemWith(byte[] input) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, input);
        CliRun run = runWithin("check", file);
        if (run == null) return "no answer within " + TIMEOUT_SECONDS + " s";
        try {
            if (run.err().contains("than the JVM has")) return "out of memory: " + run;
            OnnxHostileFilesTest.assertOnlyModelDiagnostics(run);
            if (run.exitCode() == 0) {
                assertTrue(run.out().startsWith("network "), run::toString);
                CliRun spec = runWithin("spec", file);
                if (spec == null) return "spec: no answer within " + TIMEOUT_SECONDS + " s";
                OnnxHostileFilesTest.assertOnlyModelDiagnostics(spec);
                assertTrue(spec.exitCode() == 0 && spec.out().startsWith("# ") || spec.exitCode() == 65 && spec.err().contains(": error: "),
                        () -> "spec: expected the spec or exit 65 with an error: " + spec);
                return "";
            }
            assertTrue(run.exitCode() == 65 && run.err().contains(": error: "), () -> "expected exit 65 with an error: " + run);
            return null;
        } catch (AssertionError e) {
            return e.getMessage();
        }
    }

    /** The command's run, or null (with a fresh runner) when it hangs. */
    private static CliRun runWithin(String command, Path file) throws Exception {
        Future<CliRun> future = runner.submit(() -> CliRun.of(command, file.toString()));
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            runner.shutdownNow();
            runner = newRunner();
            return null;
        }
    }

    private static byte[] generate(SplittableRandom random) {
        byte[] model = CORPUS.get(random.nextInt(CORPUS.size()));
        return switch (random.nextInt(12)) {
            case 0 -> Arrays.copyOf(model, random.nextInt(model.length + 1));
            case 1, 2 -> flipBits(random, model);
            case 3, 4, 5 -> rewriteLength(random, model);
            case 6 -> moveChunk(random, model);
            case 7 -> model;
            default -> hostile(random).toByteArray();
        };
    }

    private static byte[] flipBits(SplittableRandom random, byte[] model) {
        byte[] out = model.clone();
        for (int i = 1 + random.nextInt(8); i > 0; i--) out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        return out;
    }

    private static byte[] moveChunk(SplittableRandom random, byte[] model) {
        int from = random.nextInt(model.length);
        int length = Math.min(model.length - from, 1 + random.nextInt(64));
        int to = random.nextInt(model.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(model, 0, to);
        out.write(model, from, length); // a copy of bytes from elsewhere, as a bad splice makes
        out.write(model, to, model.length - to);
        return out.toByteArray();
    }

    /** One length prefix of the file set to a lie: 0, off by one, past the end, or beyond 2^31. */
    private static byte[] rewriteLength(SplittableRandom random, byte[] model) {
        List<int[]> lengths = new ArrayList<>();
        lengthFields(model, 0, model.length, 0, lengths);
        if (lengths.isEmpty()) return model;
        int[] field = lengths.get(random.nextInt(lengths.size()));
        long old = field[2];
        long[] lies = {0, old - 1, old + 1, old + 1000, 1L << 31, (1L << 32) + old, -1L, random.nextLong(1L << 40)};
        long lie = lies[random.nextInt(lies.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(model, 0, field[0]);
        for (long v = lie; ; v >>>= 7) {
            if ((v & ~0x7FL) == 0) {
                out.write((int) v);
                break;
            }
            out.write((int) ((v & 0x7F) | 0x80));
        }
        out.write(model, field[0] + field[1], model.length - field[0] - field[1]);
        return out.toByteArray();
    }

    /** Where each length prefix is ({offset, bytes, value}), descending into fields that parse as messages. */
    private static boolean lengthFields(byte[] b, int at, int end, int depth, List<int[]> found) {
        int before = found.size();
        while (at < end) {
            long tag = 0;
            int shift = 0;
            while (true) {
                if (at >= end || shift > 63) return false;
                byte x = b[at++];
                tag |= (long) (x & 0x7f) << shift;
                shift += 7;
                if (x >= 0) break;
            }
            switch ((int) (tag & 7)) {
                case 0 -> {
                    while (at < end && b[at] < 0) at++;
                    at++;
                }
                case 1 -> at += 8;
                case 5 -> at += 4;
                case 2 -> {
                    int start = at;
                    long length = 0;
                    shift = 0;
                    while (true) {
                        if (at >= end || shift > 63) return false;
                        byte x = b[at++];
                        length |= (long) (x & 0x7f) << shift;
                        shift += 7;
                        if (x >= 0) break;
                    }
                    if (length > end - at) return false;
                    found.add(new int[] {start, at - start, (int) length});
                    if (depth < 20 && !lengthFields(b, at, at + (int) length, depth + 1, found)) {
                        // Not a message (a string or raw data): keep only its own length.
                        while (found.size() > 0 && found.get(found.size() - 1)[0] > start) found.remove(found.size() - 1);
                    }
                    at += (int) length;
                }
                default -> {
                    return false;
                }
            }
        }
        return at == end || found.size() > before;
    }

    // ---- generated models, each breaking one rule ---------------------------------------------

    private static final String[] NAMES = {"w", "x", "y", "h", "../w", "w\u001b[2J", "\u202ew", "\u2028", "", "a".repeat(300)};
    private static final String[] LOCATIONS = {"w.bin", "../w.bin", "/etc/passwd", "/dev/zero", "/dev/stdin", ".", "", "sub/../../x",
        "C:\\w.bin", "\\\\server\\w", "w\u0000.bin", "model.onnx"};

    private static dev.netsym.onnx.proto.OnnxProto.ModelProto hostile(SplittableRandom random) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(pick(random, NAMES)).addInput(floatInput("x", 2, 3));
        int initializers = random.nextInt(3);
        for (int i = 0; i < initializers; i++) g.addInitializer(tensor(random, i == 0 ? "w" : pick(random, NAMES)));
        int nodes = 1 + random.nextInt(4);
        String last = "x";
        for (int i = 0; i < nodes; i++) {
            String op = pick(random, OPERATORS);
            String out = i == nodes - 1 ? "y" : "v" + i;
            NodeProto.Builder n = node(op, random.nextInt(5) == 0 ? pick(random, NAMES) : "n" + i, last, out).toBuilder();
            for (int k = random.nextInt(3); k > 0; k--) n.addInput(random.nextBoolean() ? "w" : pick(random, NAMES));
            for (int k = random.nextInt(3); k > 0; k--) n.addAttribute(attribute(random));
            g.addNode(n);
            last = random.nextInt(8) == 0 ? pick(random, NAMES) : out;
        }
        if (random.nextInt(6) == 0) g.addNode(node("Tanh", "loop", "y", "x")); // a cycle through the input's name
        g.addOutput(ValueInfoProto.newBuilder().setName(random.nextInt(10) == 0 ? pick(random, NAMES) : "y"));
        return OnnxFiles.model(g.build());
    }

    private static TensorProto tensor(SplittableRandom random, String name) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name);
        int[] types = {1, 1, 1, 7, 7, 11, 10, 16, 8, 9, 3, 0, 99};
        t.setDataType(types[random.nextInt(types.length)]);
        long[] dimChoices = {0, 1, 2, 3, 4, 1000, Integer.MAX_VALUE, -1, 1L << 40};
        int rank = random.nextInt(4);
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            long dim = random.nextInt(4) == 0 ? dimChoices[random.nextInt(dimChoices.length)] : 1 + random.nextInt(3);
            t.addDims(dim);
            elements = dim <= 0 || dim > 100 ? 0 : elements * dim;
        }
        float[] values = {0.5f, 0.5f, 1f, -2f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        switch (random.nextInt(4)) {
            case 0 -> {
                for (long i = 0; i < elements + random.nextInt(2) - random.nextInt(2); i++) t.addFloatData(values[random.nextInt(values.length)]);
            }
            case 1 -> {
                for (long i = 0; i < elements + random.nextInt(2); i++) t.addInt64Data(random.nextInt(7) - 3);
            }
            case 2 -> t.setRawData(ByteString.copyFrom(new byte[(int) Math.max(0, elements * 4 + random.nextInt(3) - 1)]));
            default -> {
                t.setDataLocation(TensorProto.DataLocation.EXTERNAL);
                t.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(pick(random, LOCATIONS)));
                String[] numbers = {"0", "4", "-1", "99999999999999999999", "x", "12"};
                if (random.nextBoolean()) t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(pick(random, numbers)));
                if (random.nextBoolean()) t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(pick(random, numbers)));
            }
        }
        return t.build();
    }

    private static AttributeProto attribute(SplittableRandom random) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(pick(random, ATTRIBUTES));
        long[] ints = {0, 1, 2, -1, -2, 3, 7, 4096, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE};
        switch (random.nextInt(5)) {
            case 0 -> a.setI(ints[random.nextInt(ints.length)]);
            case 1 -> {
                for (int k = random.nextInt(5); k > 0; k--) a.addInts(ints[random.nextInt(ints.length)]);
            }
            case 2 -> a.setF(new float[] {0f, 1f, Float.NaN, Float.POSITIVE_INFINITY, 1e-5f, -3f}[random.nextInt(6)]);
            case 3 -> a.setT(tensor(random, "value"));
            default -> a.setG(GraphProto.newBuilder().addNode(node("Tanh", "inner", "x", "y")));
        }
        return a.build();
    }

    private static String pick(SplittableRandom random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static Path save(byte[] input, int n) throws IOException {
        Path out = Path.of("target", "fuzz-failures");
        Files.createDirectories(out);
        Path file = out.resolve("onnx-seed" + SEED + "-" + n + ".onnx");
        Files.write(file, input);
        return file;
    }
}
