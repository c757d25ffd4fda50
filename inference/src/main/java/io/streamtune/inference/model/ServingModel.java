package io.streamtune.inference.model;

import io.streamtune.contracts.DriftReference;
import io.streamtune.contracts.Names;
import io.streamtune.vision.model.ModelRunner;
import io.streamtune.vision.model.ModelSpec;
import io.streamtune.vision.preprocess.Preprocessor;
import java.util.Objects;

/**
 * One loaded model version, shared by the batches that run on it. Reference counted: the {@link
 * ModelSlot} holds one reference while the version serves and every batch holds one while it runs,
 * so the ONNX Runtime session is closed exactly when the version has been replaced and its last
 * in-flight batch has finished.
 */
public final class ServingModel {

    private final String model;
    private final int version;
    private final ModelRunner runner;
    private final Preprocessor preprocessor;
    private final boolean fromFile;
    private final DriftReference.Embedding embeddingReference;
    private int refs = 1;
    private boolean closed;

    /**
     * @param model model name named in predictions
     * @param version version named in predictions, 1-based
     * @param runner the loaded session; owned from here on
     */
    public ServingModel(String model, int version, ModelRunner runner) {
        this(model, version, runner, false);
    }

    /**
     * @param fromFile served from {@code inference.model.file}, not from an announcement: the first
     *     published version replaces it whatever its number
     */
    public ServingModel(String model, int version, ModelRunner runner, boolean fromFile) {
        this(model, version, runner, fromFile, null);
    }

    /**
     * @param embeddingReference the version's embedding reference (its gate images), null when it
     *     has none: frames are then never judged novel
     */
    public ServingModel(
            String model,
            int version,
            ModelRunner runner,
            boolean fromFile,
            DriftReference.Embedding embeddingReference) {
        this.fromFile = fromFile;
        this.embeddingReference = embeddingReference;
        this.model = Names.requireModelName(model);
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        this.version = version;
        this.runner = Objects.requireNonNull(runner, "runner");
        this.preprocessor = new Preprocessor(runner.spec().preprocess());
    }

    public String model() {
        return model;
    }

    /** Whether this is the configured file model rather than a published version. */
    public boolean fromFile() {
        return fromFile;
    }

    public int version() {
        return version;
    }

    /** The version's embedding reference, null when it has none. */
    public DriftReference.Embedding embeddingReference() {
        return embeddingReference;
    }

    public ModelRunner runner() {
        return runner;
    }

    public ModelSpec spec() {
        return runner.spec();
    }

    public Preprocessor preprocessor() {
        return preprocessor;
    }

    /** Takes a reference for one batch; false once the version has been closed. */
    synchronized boolean acquire() {
        if (closed) {
            return false;
        }
        refs++;
        return true;
    }

    /** Gives a reference back; the last one closes the session. */
    public void release() {
        boolean close;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(
                        model + " v" + version + " released more often than acquired");
            }
            close = --refs == 0;
            closed = close;
        }
        if (close) {
            runner.close();
        }
    }

    /** Whether the session has been closed. */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return model + " v" + version;
    }
}
