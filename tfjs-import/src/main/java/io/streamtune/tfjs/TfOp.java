package io.streamtune.tfjs;

/** Converts one TensorFlow operator into ONNX nodes, registering the values it produces. */
@FunctionalInterface
interface TfOp {
    void convert(Conversion c, TfNode n) throws TfjsImportException;
}
