package io.streamtune.zoo;

import java.nio.file.Path;

/**
 * A fetched zoo model: the served ONNX file and the original TF.js graph model it came from.
 *
 * @param entry the catalog entry
 * @param onnx the converted, adapted ONNX file (with streamtune metadata)
 * @param tfjsModel the package's {@code model.json}, its weight shards beside it
 */
public record ZooModel(ZooEntry entry, Path onnx, Path tfjsModel) {}
