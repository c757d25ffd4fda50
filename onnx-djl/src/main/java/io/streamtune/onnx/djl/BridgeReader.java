package io.streamtune.onnx.djl;

import io.streamtune.onnx.djl.ops.Operators;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxReader;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads an ONNX model for the bridge: the IR reader, then every node checked against the bridge's
 * operator table, so an unsupported operator fails at load time, naming the node.
 */
public final class BridgeReader {

    private BridgeReader() {}

    /** Reads and checks a model file. */
    public static OnnxGraph read(Path file) throws IOException, UnsupportedOperatorException {
        return check(OnnxReader.read(file));
    }

    /** Reads and checks a serialised model. */
    public static OnnxGraph read(byte[] bytes) throws IOException, UnsupportedOperatorException {
        return check(OnnxReader.read(bytes));
    }

    /** Reads and checks a parsed model. */
    public static OnnxGraph read(ai.onnx.proto.OnnxMl.ModelProto model)
            throws UnsupportedOperatorException {
        return check(OnnxReader.read(model));
    }

    /** Checks every node of a graph against the bridge's operator table; returns the graph. */
    public static OnnxGraph check(OnnxGraph graph) throws UnsupportedOperatorException {
        for (OnnxNode n : graph.nodes()) {
            Operators.check(n, graph.opset());
        }
        return graph;
    }
}
