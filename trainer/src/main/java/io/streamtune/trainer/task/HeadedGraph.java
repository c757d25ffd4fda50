package io.streamtune.trainer.task;

import io.streamtune.onnx.ir.OnnxGraph;
import java.util.Set;

/**
 * A training graph: a cut backbone with a task head grafted on.
 *
 * @param graph the whole graph (input "input", one output per head tensor)
 * @param backbone the cut backbone alone (for block partitioning)
 * @param backboneInitializers initializers that belong to the backbone (frozen in phase 1)
 */
public record HeadedGraph(OnnxGraph graph, OnnxGraph backbone, Set<String> backboneInitializers) {

    public HeadedGraph {
        backboneInitializers = Set.copyOf(backboneInitializers);
    }
}
