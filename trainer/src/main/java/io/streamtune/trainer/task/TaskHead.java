package io.streamtune.trainer.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.streamtune.contracts.Task;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.List;
import java.util.Map;

/** What a task adds to a backbone, how it is trained, scored during training and exported. */
public interface TaskHead {

    Task task();

    /** Grafts a fresh head for {@code classes} classes onto {@code backbone} (uncut, as loaded). */
    HeadedGraph attach(Backbone backbone, int classes, long seed);

    /**
     * Scalar training loss of the graph outputs (in graph output order) for a batch of (already
     * augmented) examples.
     */
    NDArray loss(NDManager manager, NDList outputs, List<Example> batch, int classes);

    /**
     * A quick validation score (higher is better) of the graph's raw outputs, for early stopping;
     * each {@code add} gets every graph output, in graph output order, for one batch.
     */
    Scorer scorer(int classes);

    /**
     * The graph to publish: the trained graph plus whatever the serving layout needs (e.g. box
     * decoding).
     */
    OnnxGraph export(OnnxGraph trained, int classes);

    /** Accumulates raw outputs batch by batch. */
    interface Scorer {
        void add(Map<String, OnnxTensor> outputs, List<Example> batch);

        double score();
    }
}
