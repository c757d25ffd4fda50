package io.streamtune.vision.model;

/**
 * ONNX Runtime session settings.
 *
 * @param intraOpThreads threads one operator may use (1 on small machines shared with other work)
 * @param interOpThreads threads for running independent operators in parallel
 */
public record RunnerOptions(int intraOpThreads, int interOpThreads) {

    public RunnerOptions {
        if (intraOpThreads <= 0 || interOpThreads <= 0) {
            throw new IllegalArgumentException(
                    "thread counts must be positive: " + intraOpThreads + ", " + interOpThreads);
        }
    }

    /** One intra-op and one inter-op thread. */
    public static RunnerOptions defaults() {
        return new RunnerOptions(1, 1);
    }

    public static RunnerOptions withIntraOpThreads(int threads) {
        return new RunnerOptions(threads, 1);
    }
}
