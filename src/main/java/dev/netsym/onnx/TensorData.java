package dev.netsym.onnx;

import dev.netsym.onnx.OnnxImporter.ImportError;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto.DataType;
import java.nio.ByteBuffer;

/** The numbers of a stored ONNX tensor, whichever of its fields holds them, checked against its shape. */
final class TensorData {
    private TensorData() {}

    static int[] shape(TensorProto t, String name) {
        int[] shape = new int[t.getDimsCount()];
        long size = 1;
        for (int d = 0; d < shape.length; d++) {
            long dim = t.getDims(d);
            if (dim < 0 || dim > Integer.MAX_VALUE) throw new ImportError("the tensor '" + name + "' has a dimension of " + dim);
            shape[d] = (int) dim;
            // Capped rather than multiplied on: declared sizes are untrusted and may overflow.
            size = dim != 0 && size > OnnxImporter.MAX_ELEMENTS / dim ? OnnxImporter.MAX_ELEMENTS + 1 : size * dim;
        }
        if (size > OnnxImporter.MAX_ELEMENTS) {
            throw new ImportError("the tensor '" + name + "' declares over " + String.format("%,d", OnnxImporter.MAX_ELEMENTS)
                    + " elements, more than netsym reads");
        }
        return shape;
    }

    static boolean isFloating(TensorProto t) {
        return isFloating(t.getDataType());
    }

    static boolean isFloating(int type) {
        return type == DataType.FLOAT_VALUE || type == DataType.DOUBLE_VALUE;
    }

    static boolean isInteger(int type) {
        return type == DataType.INT64_VALUE || type == DataType.INT32_VALUE || type == DataType.INT16_VALUE
                || type == DataType.INT8_VALUE || type == DataType.UINT8_VALUE || type == DataType.UINT16_VALUE
                || type == DataType.UINT32_VALUE || type == DataType.UINT64_VALUE || type == DataType.BOOL_VALUE;
    }

    static String typeName(int type) {
        DataType t = DataType.forNumber(type);
        return t == null ? "unknown (" + type + ")" : t.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The elements as doubles (integers and booleans exactly, floats widened). */
    static double[] numbers(TensorProto t, String name) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new ImportError("the tensor '" + name + "' keeps its data in an external file; netsym reads models"
                    + " whose data is inside the .onnx file (export models under 2 GB without external data)");
        }
        int type = t.getDataType();
        int size = 1;
        for (long d : t.getDimsList()) size *= (int) d;
        int width = rawWidth(type, name);
        double[] out = new double[size];
        if (t.hasRawData()) {
            long expected = (long) size * width;
            if (t.getRawData().size() != expected) {
                throw new ImportError("the tensor '" + name + "' has " + t.getRawData().size() + " bytes of data, but its shape and type ("
                        + typeName(type) + ") need " + expected);
            }
            ByteBuffer b = OnnxImporter.littleEndian(t.getRawData().toByteArray());
            for (int i = 0; i < size; i++) out[i] = rawElement(b, type);
            return out;
        }
        int count = switch (DataType.forNumber(type)) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            default -> t.getInt32DataCount();
        };
        if (count != size) {
            throw new ImportError("the tensor '" + name + "' has " + count + " values, but its shape " + dev.netsym.model.Tensor.describe(shape(t, name))
                    + " needs " + size);
        }
        for (int i = 0; i < size; i++) {
            out[i] = switch (DataType.forNumber(type)) {
                case FLOAT -> t.getFloatData(i);
                case DOUBLE -> t.getDoubleData(i);
                case INT64 -> t.getInt64Data(i);
                case UINT32, UINT64 -> t.getUint64Data(i);
                default -> t.getInt32Data(i);
            };
        }
        return out;
    }

    private static int rawWidth(int type, String name) {
        DataType t = DataType.forNumber(type);
        if (t == null) throw new ImportError("the tensor '" + name + "' has an unknown element type (" + type + ")");
        return switch (t) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            case INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> throw new ImportError("the tensor '" + name + "' holds " + typeName(type)
                    + " values, which netsym does not read (it reads float, double, integers and booleans)");
        };
    }

    private static double rawElement(ByteBuffer b, int type) {
        return switch (DataType.forNumber(type)) {
            case FLOAT -> b.getFloat();
            case DOUBLE -> b.getDouble();
            case INT64, UINT64 -> b.getLong();
            case INT32 -> b.getInt();
            case UINT32 -> Integer.toUnsignedLong(b.getInt());
            case INT16 -> b.getShort();
            case UINT16 -> Short.toUnsignedInt(b.getShort());
            case INT8 -> b.get();
            default -> Byte.toUnsignedInt(b.get());
        };
    }
}
