package dev.netsym.onnx;

import dev.netsym.onnx.OnnxImporter.ImportError;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto.DataType;
import java.nio.ByteBuffer;

/** The numbers of a stored ONNX tensor, whichever of its fields holds them, checked against its shape. */
final class TensorData {
    private TensorData() {}

    /** The most axes a tensor may have. */
    static final int MAX_RANK = 32;

    static int[] shape(TensorProto t, String name) {
        if (t.getDimsCount() > MAX_RANK) {
            throw new ImportError("the tensor " + OnnxImporter.quote(name) + " has " + t.getDimsCount() + " axes; netsym reads at most " + MAX_RANK);
        }
        int[] shape = new int[t.getDimsCount()];
        for (int d = 0; d < shape.length; d++) {
            long dim = t.getDims(d);
            if (dim < 0 || dim > Integer.MAX_VALUE) throw new ImportError("the tensor " + OnnxImporter.quote(name) + " has a dimension of " + dim);
            shape[d] = (int) dim;
        }
        requireSize(shape, "the tensor " + OnnxImporter.quote(name));
        return shape;
    }

    /** The number of elements of a shape, refused (without overflowing) when over netsym's limit. */
    static int requireSize(int[] shape, String what) {
        long size = 1;
        for (int dim : shape) {
            // Capped rather than multiplied on: declared sizes are untrusted and may overflow.
            size = dim != 0 && size > OnnxImporter.MAX_ELEMENTS / dim ? OnnxImporter.MAX_ELEMENTS + 1 : size * dim;
        }
        if (size > OnnxImporter.MAX_ELEMENTS) {
            throw new ImportError(what + " declares over " + String.format("%,d", OnnxImporter.MAX_ELEMENTS)
                    + " elements, more than netsym reads");
        }
        return (int) size;
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

    /**
     * The elements as doubles (integers and booleans exactly, floats widened), from whichever
     * field holds them or from the external file. NaN and +∞ are refused, naming the tensor;
     * −∞ is kept (an attention mask).
     */
    static double[] numbers(TensorProto t, String name, ExternalData external) {
        String tensor = OnnxImporter.quote(name);
        int type = t.getDataType();
        int[] shape = shape(t, name);
        int size = requireSize(shape, "the tensor " + tensor);
        int width = rawWidth(type, tensor);
        if (t.hasSegment()) throw new ImportError("the tensor " + tensor + " is stored in segments; netsym reads whole tensors");
        double[] out;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            if (t.hasRawData()) throw new ImportError("the tensor " + tensor + " has data both in the model and in an external file");
            out = decode(external.read(t, tensor, (long) size * width), type, size);
        } else if (t.hasRawData()) {
            long expected = (long) size * width;
            if (t.getRawData().size() != expected) {
                throw new ImportError("the tensor " + tensor + " has " + t.getRawData().size() + " bytes of data, but its shape "
                        + dev.netsym.model.Tensor.describe(shape) + " and type (" + typeName(type) + ") need " + expected);
            }
            out = decode(t.getRawData().toByteArray(), type, size);
        } else {
            out = typedFields(t, tensor, shape, size);
        }
        for (int i = 0; i < out.length; i++) {
            if (Double.isNaN(out[i]) || out[i] == Double.POSITIVE_INFINITY) {
                throw new ImportError("the tensor " + tensor + " holds " + (Double.isNaN(out[i]) ? "NaN" : "+∞") + " at "
                        + (shape.length == 0 ? "its only element" : "element " + dev.netsym.model.Tensor.describe(indices(shape, i)))
                        + "; netsym reads finite numbers (and −∞ as a mask)");
            }
        }
        return out;
    }

    /** The 0-based index of the flat position {@code flat}, as PyTorch writes it. */
    private static int[] indices(int[] shape, int flat) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    private static double[] decode(byte[] raw, int type, int size) {
        ByteBuffer b = OnnxImporter.littleEndian(raw);
        double[] out = new double[size];
        for (int i = 0; i < size; i++) out[i] = rawElement(b, type);
        return out;
    }

    private static double[] typedFields(TensorProto t, String tensor, int[] shape, int size) {
        int type = t.getDataType();
        int count = switch (DataType.forNumber(type)) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            default -> t.getInt32DataCount();
        };
        if (count != size) {
            throw new ImportError("the tensor " + tensor + " has " + count + " values, but its shape " + dev.netsym.model.Tensor.describe(shape)
                    + " needs " + size);
        }
        double[] out = new double[size];
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

    private static int rawWidth(int type, String tensor) {
        DataType t = DataType.forNumber(type);
        if (t == null) throw new ImportError("the tensor " + tensor + " has an unknown element type (" + type + ")");
        return switch (t) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            case INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> throw new ImportError("the tensor " + tensor + " holds " + typeName(type)
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
