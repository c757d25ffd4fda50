package io.streamtune.onnx.ir;

/**
 * Tensor element types the bridge understands, with their ONNX {@code TensorProto.DataType} codes.
 */
public enum ElementType {
    FLOAT(1),
    UINT8(2),
    INT8(3),
    INT32(6),
    INT64(7),
    BOOL(9),
    DOUBLE(11);

    private final int onnxCode;

    ElementType(int onnxCode) {
        this.onnxCode = onnxCode;
    }

    /** The ONNX data-type code. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Whether values of this type are held as {@code long}s in {@link OnnxTensor}. */
    public boolean isIntegral() {
        return this != FLOAT && this != DOUBLE;
    }

    /** Looks up a type by ONNX code. */
    public static ElementType fromOnnx(int code) {
        for (ElementType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported ONNX tensor data type " + code);
    }
}
