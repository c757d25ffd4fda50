package io.streamtune.vision.model;

import java.util.List;
import java.util.Map;

/**
 * Runs a loaded model on preprocessed images; implementations hold native resources and must be
 * closed.
 */
public interface ModelRunner extends AutoCloseable {

    /** How to feed this model and read its outputs. */
    ModelSpec spec();

    /** The image input as declared in the graph. */
    InputShape inputShape();

    /** Output names in graph order. */
    List<String> outputNames();

    /**
     * Runs a batch of images, each a {@code [channels, height, width]} float array as produced by
     * the preprocessor for {@link #spec()}, and returns every output with its leading dimension
     * equal to the batch size, in graph order. Batches are split as the model's batch dimension
     * requires.
     *
     * @throws IllegalArgumentException when an image has the wrong number of values
     * @throws IllegalStateException when the runtime fails or the runner is closed
     */
    Map<String, FloatTensor> run(float[][] batch);

    /** Runs one throw-away batch so the first real request does not pay for lazy initialisation. */
    void warmUp();

    @Override
    void close();
}
