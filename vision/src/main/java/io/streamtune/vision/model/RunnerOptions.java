package io.streamtune.vision.model;

/**
 * How a model is loaded into ONNX Runtime and run: its share of the machine.
 *
 * @param intraOpThreads threads one operator may use (1 on small machines shared with other work)
 * @param interOpThreads threads for running independent operators in parallel
 * @param arena whether the session keeps ONNX Runtime's CPU memory arena and memory-pattern plans
 *     between runs (faster; off, memory for activations is returned after each run, so an idle
 *     model holds little more than its weights)
 * @param maxModelBytes the largest model file loaded (its weights dominate what a session holds); a
 *     larger one is refused before it is read
 */
public record RunnerOptions(
        int intraOpThreads, int interOpThreads, boolean arena, long maxModelBytes) {

    /** ONNX files cannot exceed 2 GiB (protobuf's limit). */
    public static final long ONNX_MAX_BYTES = 2L << 30;

    public RunnerOptions {
        if (intraOpThreads <= 0 || interOpThreads <= 0) {
            throw new IllegalArgumentException(
                    "thread counts must be positive: " + intraOpThreads + ", " + interOpThreads);
        }
        if (maxModelBytes <= 0) {
            throw new IllegalArgumentException("maxModelBytes must be positive: " + maxModelBytes);
        }
    }

    /** The given threads, the arena on, any model up to ONNX's own limit. */
    public RunnerOptions(int intraOpThreads, int interOpThreads) {
        this(intraOpThreads, interOpThreads, true, ONNX_MAX_BYTES);
    }

    /** One intra-op and one inter-op thread. */
    public static RunnerOptions defaults() {
        return new RunnerOptions(1, 1);
    }

    public static RunnerOptions withIntraOpThreads(int threads) {
        return new RunnerOptions(threads, 1);
    }

    /**
     * Fails unless a model of {@code bytes} fits {@link #maxModelBytes}.
     *
     * @param source the file or artifact, named in the message
     */
    public void checkSize(String source, long bytes) throws ModelLoadException {
        if (bytes > maxModelBytes) {
            throw new ModelLoadException(
                    source,
                    String.format(
                            java.util.Locale.ROOT,
                            "model is %.1f MiB, over the %.1f MiB limit",
                            bytes / 1048576.0,
                            maxModelBytes / 1048576.0));
        }
    }
}
