package dev.netsym.onnx;

import dev.netsym.onnx.proto.OnnxProto.GraphProto;
import dev.netsym.onnx.proto.OnnxProto.ModelProto;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import dev.netsym.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.netsym.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import dev.netsym.onnx.proto.OnnxProto.TensorShapeProto;
import dev.netsym.onnx.proto.OnnxProto.TypeProto;
import dev.netsym.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small models made with the generated builders, for tests that need a file of their own. */
final class OnnxFiles {
    private OnnxFiles() {}

    static ModelProto model(GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
    }

    static Path write(Path dir, String name, GraphProto graph) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, model(graph).toByteArray());
        return file;
    }

    /** A graph with input x [2,3] and output y around the node. */
    static GraphProto graph(NodeProto node) {
        return GraphProto.newBuilder().setName("test").addNode(node).addInput(floatInput("x", 2, 3))
                .addOutput(ValueInfoProto.newBuilder().setName("y")).build();
    }

    /** y = x @ w with a weight w [3,1] given by the caller: a model that proves when w is sound. */
    static GraphProto linear(TensorProto w) {
        return graph(node("MatMul", "mm", "x", w.getName(), "y")).toBuilder().addInitializer(w).build();
    }

    static NodeProto node(String op, String name, String... inputsThenOutput) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name);
        for (int i = 0; i < inputsThenOutput.length - 1; i++) b.addInput(inputsThenOutput[i]);
        return b.addOutput(inputsThenOutput[inputsThenOutput.length - 1]).build();
    }

    static ValueInfoProto floatInput(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    /** A float tensor of the given shape and values, in float_data. */
    static TensorProto floats(String name, long[] dims, float... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) t.addDims(d);
        for (float v : values) t.addFloatData(v);
        return t.build();
    }

    /** A float tensor whose data is in an external file, as {@code location}, {@code offset} and {@code length} say (null: left out). */
    static TensorProto external(String name, long[] dims, String location, String offset, String length) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL);
        for (long d : dims) t.addDims(d);
        t.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (offset != null) t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(offset));
        if (length != null) t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(length));
        return t.build();
    }
}
