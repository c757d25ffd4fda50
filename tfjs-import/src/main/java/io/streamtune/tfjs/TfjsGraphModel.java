package io.streamtune.tfjs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js graph model as read from {@code model.json} and its weight shards: the graph's
 * nodes, its constants (dequantized), and the signature's input and output tensor names.
 */
public record TfjsGraphModel(
        String source,
        List<TfNode> nodes,
        Map<String, TfTensor> weights,
        List<String> signatureInputs,
        List<String> signatureOutputs) {

    public TfjsGraphModel {
        nodes = List.copyOf(nodes);
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        signatureInputs = List.copyOf(signatureInputs);
        signatureOutputs = List.copyOf(signatureOutputs);
    }

    /** A node by name. */
    public TfNode node(String name) throws TfjsImportException {
        for (TfNode n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new TfjsImportException(source + ": no node named '" + name + "'");
    }
}
