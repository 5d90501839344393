package dev.netsym.onnx;

import static dev.netsym.onnx.OnnxFiles.external;
import static dev.netsym.onnx.OnnxFiles.floatInput;
import static dev.netsym.onnx.OnnxFiles.floats;
import static dev.netsym.onnx.OnnxFiles.graph;
import static dev.netsym.onnx.OnnxFiles.linear;
import static dev.netsym.onnx.OnnxFiles.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.netsym.onnx.proto.OnnxProto.AttributeProto;
import dev.netsym.onnx.proto.OnnxProto.GraphProto;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import dev.netsym.onnx.proto.OnnxProto.TensorShapeProto;
import dev.netsym.onnx.proto.OnnxProto.TypeProto;
import dev.netsym.onnx.proto.OnnxProto.ValueInfoProto;
import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files made to abuse the importer, one per rule of the README's model-file limits: each
 * is refused with {@code FILE: error:} naming what is wrong and exit 65, never a trace.
 *
 * <p>"No file outside the model's folder is opened" is checked with named pipes: opening a pipe
 * for reading waits until someone writes to it, so an importer that opened the target would not
 * answer at all. Runs happen on a daemon thread with a time limit for that reason.
 */
class OnnxHostileFilesTest {
    /** What every line on stderr must look like for a model file: it has no lines and columns. */
    static final Pattern MODEL_DIAGNOSTIC = Pattern.compile("(.+): (error|warning): \\S.*");
    private static final long[] W_SHAPE = {3, 1};

    @TempDir
    Path root;
    Path models;
    Path outside;

    private static ExecutorService runner;

    @BeforeAll
    static void startRunner() {
        runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hostile-runner");
            t.setDaemon(true); // one blocked on a pipe must not keep the JVM alive
            return t;
        });
    }

    @AfterAll
    static void stopRunner() {
        runner.shutdownNow();
    }

    @BeforeEach
    void folders() throws IOException {
        models = Files.createDirectory(root.resolve("models"));
        outside = Files.createDirectory(root.resolve("outside"));
    }

    // ---- external data --------------------------------------------------------------------

    @Test
    void externalDataInsideTheFolderIsRead() throws Exception {
        // Eight bytes of something else, then w = [0.5, 0.5, 0.5]: the start every parameter shares.
        Files.write(models.resolve("w.bin"), littleEndianFloats(9, 9, 0.5f, 0.5f, 0.5f));
        Files.createDirectory(models.resolve("data"));
        Files.write(models.resolve("data/w.bin"), littleEndianFloats(0.5f, 0.5f, 0.5f));
        for (String[] placement : new String[][] {{"w.bin", "8", "12"}, {"data/w.bin", null, null}, {"data/../w.bin", "8", null}}) {
            Path model = OnnxFiles.write(models, "ext.onnx", linear(external("w", W_SHAPE, placement[0], placement[1], placement[2])));
            CliRun r = check("prove", model);
            assertEquals(0, r.exitCode(), placement[0] + ": " + r);
            assertTrue(r.out().contains("every parameter starts at 1/2"), r.out());
        }
    }

    @Test
    void externalDataOutsideTheFolderIsRefusedUnopened() throws Exception {
        Path secret = pipe(outside.resolve("secret"));
        Files.createSymbolicLink(models.resolve("link.bin"), secret);
        Files.createSymbolicLink(models.resolve("elsewhere"), outside);
        String[][] cases = {
            {secret.toString(), "an absolute path"},
            {"../outside/secret", "outside the model's folder"},
            {"./../outside/secret", "outside the model's folder"},
            {"link.bin", "a link that leads outside the model's folder"},
            {"elsewhere/secret", "a link that leads outside the model's folder"},
            {".", "outside the model's folder"},
        };
        for (String[] c : cases) {
            Path model = OnnxFiles.write(models, "escape.onnx", linear(external("w", W_SHAPE, c[0], null, null)));
            CliRun r = check("check", model);
            assertRefused(r, model + ": error: the tensor 'w' keeps its data in '" + c[0] + "', " + c[1]);
        }
    }

    @Test
    void externalDataThatIsNotARegularFileIsRefusedUnopened() throws Exception {
        pipe(models.resolve("pipe"));
        Files.createDirectory(models.resolve("folder"));
        for (String location : new String[] {"pipe", "folder"}) {
            Path model = OnnxFiles.write(models, "special.onnx", linear(external("w", W_SHAPE, location, null, null)));
            assertRefused(check("check", model), model + ": error: the tensor 'w' keeps its data in '" + location
                    + "', which is not a regular file (a folder, device or pipe); netsym reads data only from files\n");
        }
        Path missing = OnnxFiles.write(models, "missing.onnx", linear(external("w", W_SHAPE, "nowhere.bin", null, null)));
        assertRefused(check("check", missing), missing + ": error: the tensor 'w' keeps its data in 'nowhere.bin', which does not exist beside the model\n");
    }

    @Test
    void externalOffsetsAndLengthsAreChecked() throws Exception {
        Files.write(models.resolve("w.bin"), littleEndianFloats(0.5f, 0.5f, 0.5f));
        String[][] cases = {
            {"16", null, "at bytes 16 to 28, but the file has 12"},
            {"4", null, "at bytes 4 to 16, but the file has 12"},
            {"99999999999999999", null, "at bytes 99999999999999999 to 100000000000000011, but the file has 12"},
            {"-4", null, "with the offset '-4', not a byte count"},
            {"0x10", null, "with the offset '0x10', not a byte count"},
            {null, "8", "with a length of 8 bytes, but its shape and type need 12"},
            {null, "9999999999", "with a length of 9999999999 bytes, but its shape and type need 12"},
        };
        for (String[] c : cases) {
            Path model = OnnxFiles.write(models, "offsets.onnx", linear(external("w", W_SHAPE, "w.bin", c[0], c[1])));
            assertRefused(check("check", model), model + ": error: the tensor 'w' keeps its data in 'w.bin' " + c[2] + "\n");
        }
        TensorProto both = external("w", W_SHAPE, "w.bin", null, null).toBuilder().setRawData(ByteString.copyFrom(new byte[12])).build();
        Path model = OnnxFiles.write(models, "both.onnx", linear(both));
        assertRefused(check("check", model), model + ": error: the tensor 'w' has data both in the model and in an external file\n");
    }

    // ---- budgets ---------------------------------------------------------------------------

    @Test
    void declaredSizesAreCheckedBeforeAllocation() throws Exception {
        long big = Integer.MAX_VALUE;
        TensorProto huge = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(big).addDims(big).addDims(big).addDims(big).build(); // overflows a long if multiplied out
        Path model = OnnxFiles.write(models, "huge.onnx", linear(huge));
        assertRefused(check("check", model), model + ": error: the tensor 'w' declares over 6,000,000 elements, more than netsym reads\n");

        GraphProto wideInput = graph(node("Tanh", "t", "x", "y")).toBuilder().setInput(0, floatInput("x", big, big, big, big, 3)).build();
        Path input = OnnxFiles.write(models, "input.onnx", wideInput);
        assertRefused(check("check", input), input + ": error: the input 'x' declares over 6,000,000 elements, more than netsym reads\n");

        TensorProto tall = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE).build();
        TensorProto.Builder manyAxes = tall.toBuilder();
        for (int d = 0; d < 40; d++) manyAxes.addDims(1);
        Path axes = OnnxFiles.write(models, "axes.onnx", linear(manyAxes.build()));
        assertRefused(check("check", axes), axes + ": error: the tensor 'w' has 40 axes; netsym reads at most 32\n");

        // Two constants of a million elements each, broadcast against each other: 10^12 elements.
        TensorProto column = TensorProto.newBuilder().setName("c").setDataType(TensorProto.DataType.INT8_VALUE)
                .addDims(1_000_000).addDims(1).setRawData(ByteString.copyFrom(new byte[1_000_000])).build();
        TensorProto row = column.toBuilder().setName("r").setDims(0, 1).setDims(1, 1_000_000).build();
        GraphProto broadcast = GraphProto.newBuilder().setName("b").addInitializer(column).addInitializer(row)
                .addNode(node("Add", "outer", "c", "r", "y")).addOutput(ValueInfoProto.newBuilder().setName("y")).build();
        Path outer = OnnxFiles.write(models, "outer.onnx", broadcast);
        assertRefused(check("check", outer), outer + ": error: node 'outer' (Add) would compute over 6,000,000 elements, more than netsym reads\n");
    }

    @Test
    void countsAndLengthsAreCheckedBeforeParsing() throws Exception {
        GraphProto.Builder manyNodes = graph(node("Tanh", "t", "x", "y")).toBuilder();
        NodeProto empty = NodeProto.getDefaultInstance();
        for (int i = 0; i < ModelLimits.MAX_NODES; i++) manyNodes.addNode(empty);
        assertExceeds("nodes.onnx", manyNodes.build(), "more than 100,000 nodes");

        GraphProto.Builder manyTensors = graph(node("Tanh", "t", "x", "y")).toBuilder();
        for (int i = 0; i <= ModelLimits.MAX_TENSORS; i++) manyTensors.addInitializer(TensorProto.getDefaultInstance());
        assertExceeds("tensors.onnx", manyTensors.build(), "more than 100,000 tensors (initializers and constants)");

        NodeProto.Builder manyAttributes = node("Tanh", "t", "x", "y").toBuilder();
        for (int i = 0; i <= ModelLimits.MAX_ATTRIBUTES; i++) manyAttributes.addAttribute(AttributeProto.getDefaultInstance());
        assertExceeds("attributes.onnx", graph(manyAttributes.build()), "more than 500,000 node attributes");

        assertExceeds("name.onnx", graph(node("Tanh", "t".repeat(70_000), "x", "y")), "a name or text of over 65,536 bytes");

        TensorProto.Builder longDims = TensorProto.newBuilder().setName("w");
        for (int i = 0; i <= ModelLimits.MAX_NUMBERS; i++) longDims.addDims(1);
        assertExceeds("numbers.onnx", linear(longDims.build()), "more than 6,000,000 numbers written out in its fields");

        // Types inside types, 60 deep: valid protobuf, but a tower of objects.
        TypeProto type = TypeProto.getDefaultInstance();
        for (int i = 0; i < 60; i++) type = TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(type)).build();
        GraphProto deepType = graph(node("Tanh", "t", "x", "y")).toBuilder()
                .addValueInfo(ValueInfoProto.newBuilder().setName("v").setType(type)).build();
        assertExceeds("deep.onnx", deepType, "messages nested more than 48 deep");
    }

    @Test
    void subGraphsNestedTooDeepAreRefused() throws Exception {
        GraphProto inner = graph(node("Tanh", "t", "x", "y"));
        for (int depth = 0; depth <= ModelLimits.MAX_SUBGRAPH_DEPTH; depth++) {
            NodeProto branch = node("If", "if" + depth, "c", "y").toBuilder()
                    .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(inner))
                    .build();
            inner = graph(branch);
        }
        assertExceeds("nested.onnx", inner, "sub-graphs (of If, Loop or Scan nodes) nested more than 8 deep");
    }

    @Test
    void lengthsThatLieAreDamagedFiles() throws Exception {
        byte[] bytes = OnnxFiles.model(graph(node("Tanh", "t", "x", "y"))).toByteArray();
        // The graph (field 7, length-delimited) is the model's second field: claim 2^31 bytes for it.
        int at = indexOf(bytes, (byte) 0x3a);
        byte[] lying = new byte[bytes.length + 4];
        System.arraycopy(bytes, 0, lying, 0, at + 1);
        byte[] length = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        System.arraycopy(length, 0, lying, at + 1, length.length);
        System.arraycopy(bytes, at + 2, lying, at + 1 + length.length, bytes.length - at - 2);
        Path model = models.resolve("lying.onnx");
        Files.write(model, lying);
        CliRun r = check("check", model);
        assertRefused(r, model + ": error: not an ONNX model, or a damaged one: a length of 2147483648 bytes where ");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedUnparsed() {
        ImportErrorText refused = new ImportErrorText(() -> ModelLimits.check(new byte[ModelLimits.MAX_FILE_BYTES + 1]));
        assertEquals("the model file is larger than 128 MiB, the most netsym reads; export a model this large with its weights"
                + " as external data", refused.message);
    }

    // ---- data, names and structure ---------------------------------------------------------

    @Test
    void dataThatDoesNotFitItsTypeOrShapeIsRefused() throws Exception {
        TensorProto shortRaw = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(3).addDims(1).setRawData(ByteString.copyFrom(new byte[11])).build();
        Path raw = OnnxFiles.write(models, "raw.onnx", linear(shortRaw));
        assertRefused(check("check", raw), raw + ": error: the tensor 'w' has 11 bytes of data, but its shape [3,1] and type (float) need 12\n");

        TensorProto half = shortRaw.toBuilder().setDataType(TensorProto.DataType.FLOAT16_VALUE).build();
        Path f16 = OnnxFiles.write(models, "half.onnx", linear(half));
        assertRefused(check("check", f16), f16 + ": error: the tensor 'w' holds float16 values, which netsym does not read"
                + " (it reads float, double, integers and booleans)\n");

        TensorProto unknown = shortRaw.toBuilder().setDataType(99).build();
        Path odd = OnnxFiles.write(models, "odd.onnx", linear(unknown));
        assertRefused(check("check", odd), odd + ": error: the tensor 'w' has an unknown element type (99)\n");
    }

    @Test
    void notANumberAndPlusInfinityAreRefusedMinusInfinityIsAMask() throws Exception {
        Path nan = OnnxFiles.write(models, "nan.onnx", linear(floats("w", W_SHAPE, 0.5f, Float.NaN, 0.5f)));
        assertRefused(check("check", nan), nan + ": error: the tensor 'w' holds NaN at element [1,0]; netsym reads finite numbers (and −∞ as a mask)\n");
        Path inf = OnnxFiles.write(models, "inf.onnx", linear(floats("w", W_SHAPE, 0.5f, 0.5f, Float.POSITIVE_INFINITY)));
        assertRefused(check("check", inf), inf + ": error: the tensor 'w' holds +∞ at element [2,0]; netsym reads finite numbers (and −∞ as a mask)\n");
        // −∞ makes the tensor a mask buffer, not parameters; here one that reaches no softmax.
        Path mask = OnnxFiles.write(models, "mask.onnx", linear(floats("w", W_SHAPE, 0.5f, Float.NEGATIVE_INFINITY, 0.5f)));
        CliRun masked = check("check", mask);
        assertRefused(masked, mask + ": error: ");
        assertTrue(masked.err().contains("−∞"), masked.err());

        // 1/0 of constants, computed while importing.
        TensorProto one = TensorProto.newBuilder().setName("one").setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(1).build();
        TensorProto zero = one.toBuilder().setName("zero").setInt64Data(0, 0).build();
        GraphProto divide = graph(node("Mul", "scale", "x", "q", "y")).toBuilder().addInitializer(one).addInitializer(zero)
                .addNode(0, node("Div", "q", "one", "zero", "q")).build();
        Path div = OnnxFiles.write(models, "div.onnx", divide);
        assertRefused(check("check", div), div + ": error: node 'q' (Div) computes +∞ from constants; netsym reads finite numbers (and −∞ as a mask)\n");
    }

    @Test
    void duplicateNamesAreRefused() throws Exception {
        TensorProto w = floats("w", W_SHAPE, 0.5f, 0.5f, 0.5f);
        Path twoInitializers = OnnxFiles.write(models, "dup1.onnx", linear(w).toBuilder().addInitializer(w).build());
        assertRefused(check("check", twoInitializers), twoInitializers + ": error: two initializers are called 'w'\n");
        Path twoInputs = OnnxFiles.write(models, "dup2.onnx", linear(w).toBuilder().addInput(floatInput("x", 2, 3)).build());
        assertRefused(check("check", twoInputs), twoInputs + ": error: two inputs are called 'x'\n");
        GraphProto overwrite = linear(w).toBuilder().addNode(node("Tanh", "again", "x", "w")).build();
        Path shadow = OnnxFiles.write(models, "dup3.onnx", overwrite);
        assertRefused(check("check", shadow), shadow + ": error: two values are called 'w' (node 'again' (Tanh) computes one of them)\n");
    }

    @Test
    void nodesOutOfOrderAreSortedCyclesAndDanglingInputsAreNamed() throws Exception {
        TensorProto w = floats("w", W_SHAPE, 0.5f, 0.5f, 0.5f);
        GraphProto reversed = graph(node("Tanh", "second", "h", "y")).toBuilder().addInitializer(w)
                .addNode(node("MatMul", "first", "x", "w", "h")).build();
        CliRun sorted = check("prove", OnnxFiles.write(models, "reversed.onnx", reversed));
        assertEquals(0, sorted.exitCode(), sorted.toString());

        GraphProto loop = graph(node("Tanh", "a", "b_out", "a_out")).toBuilder()
                .addNode(node("Add", "b", "a_out", "x", "b_out")).addNode(node("Tanh", "c", "b_out", "y")).build();
        Path cycle = OnnxFiles.write(models, "cycle.onnx", loop);
        assertRefused(check("check", cycle), cycle + ": error: the graph has a cycle: node 'a' (Tanh) → node 'b' (Add) → node 'a' (Tanh)\n");

        Path self = OnnxFiles.write(models, "self.onnx", graph(node("Add", "s", "x", "y", "y")));
        assertRefused(check("check", self), self + ": error: the graph has a cycle: node 's' (Add) → node 's' (Add)\n");
    }

    @Test
    void namesFromTheFileAreNeutralisedEverywhere() throws Exception {
        // ESC [31m, a right-to-left override, a line separator and CSI, in every kind of name.
        String hostile = "w\u001b[31m\u202e\u2028\u009b";
        TensorProto w = floats(hostile, W_SHAPE, 0.5f, 0.25f, 0.125f);
        GraphProto g = graph(node("MatMul", "mm" + hostile, "x", hostile, "h" + hostile)).toBuilder().setName("net" + hostile)
                .addNode(node("Tanh", "t", "h" + hostile, "y")).addInitializer(w).build();
        Path model = OnnxFiles.write(models, "names.onnx", g);
        for (String[] command : new String[][] {{"prove"}, {"prove", "--format", "json"}, {"derive"}, {"latex"}, {"dot"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = model.toString();
            CliRun r = run(args);
            assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r);
            assertTrue(r.out().codePoints().noneMatch(cp -> cp != '\n' && cp != '\t' && CliRun.unsafeForTerminal(cp)),
                    () -> String.join(" ", command) + " printed a control character: " + r.out());
        }
        // In a message, the same characters are named, not printed.
        Path bad = OnnxFiles.write(models, "badop.onnx", graph(node("Cos" + hostile, "n" + hostile, "x", "y")));
        CliRun r = check("check", bad);
        String named = "w<U+001B>[31m<U+202E><U+2028><U+009B>";
        assertRefused(r, bad + ": error: node 'n" + named + "' (Cos" + named + "): netsym does not support the operator Cos" + named + "; it supports ");
        Path longName = OnnxFiles.write(models, "long.onnx", graph(node("Cos", "n".repeat(10_000), "x", "y")));
        assertRefused(check("check", longName), longName + ": error: node '" + "n".repeat(60) + "...' (Cos)");
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void assertExceeds(String name, GraphProto graph, String what) throws Exception {
        Path model = OnnxFiles.write(models, name, graph);
        assertRefused(check("check", model), model + ": error: the model exceeds netsym's limits: it has " + what + "\n");
    }

    /** Exit 65, only model diagnostics on stderr, and {@code expected} the start of the first line (all of stderr if it ends in a newline). */
    static void assertRefused(CliRun r, String expected) {
        assertEquals(65, r.exitCode(), r::toString);
        if (expected.endsWith("\n")) assertEquals(expected, r.err());
        else assertTrue(r.err().startsWith(expected), () -> "expected '" + expected + "...', got " + r);
        assertOnlyModelDiagnostics(r);
    }

    static void assertOnlyModelDiagnostics(CliRun r) {
        assertTrue(r.err().isEmpty() || r.err().endsWith("\n"), r::toString);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        for (String line : r.errLines()) {
            assertTrue(MODEL_DIAGNOSTIC.matcher(line).matches(), () -> "not a diagnostic: '" + line + "' in " + r);
            assertTrue(line.codePoints().noneMatch(CliRun::unsafeForTerminal), () -> "control or format character in: " + line);
        }
    }

    private CliRun check(String command, Path model) throws Exception {
        return run(command, model.toString());
    }

    /** The run, or a failure if it does not answer: it would then be waiting on a pipe it opened. */
    private static CliRun run(String... args) throws Exception {
        Future<CliRun> future = runner.submit(() -> CliRun.of(args));
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            runner = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "hostile-runner");
                t.setDaemon(true);
                return t;
            });
            throw new AssertionError("no answer within 60 s: the importer opened a pipe or hung on " + String.join(" ", args));
        }
    }

    private static Path pipe(Path at) throws Exception {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", at.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available");
            return at;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        return at;
    }

    private static byte[] littleEndianFloats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b) return i;
        throw new AssertionError("no byte " + b);
    }

    /** The message of the ImportError a check throws. */
    private static final class ImportErrorText {
        final String message;

        ImportErrorText(Runnable check) {
            String m = null;
            try {
                check.run();
            } catch (OnnxImporter.ImportError e) {
                m = e.getMessage();
            }
            message = m;
        }
    }
}
