package io.streamtune.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Parameter;
import io.streamtune.onnx.djl.OnnxBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps one non-finite forward pass from ending a run. On this project's CPUs PyTorch's CPU
 * convolution (oneDNN) now and then returns NaN for finite inputs and weights, and the same pass
 * run again on the same batch is finite (measured: see the trainer README). A step whose loss is
 * not finite is therefore not applied: its batch is tried once more, then skipped, and the
 * BatchNorm running statistics that pass updated in place are put back. A run diverges for real —
 * {@link DivergedException} — only when half of an epoch's batches, or three in a row, could not be
 * trained.
 */
final class StepGuard {

    private static final int MAX_IN_A_ROW = 3;

    private final List<NDArray> stats = new ArrayList<>();
    private final List<NDArray> saved = new ArrayList<>();
    private int skippedInARow;
    private int skippedThisEpoch;
    private int stepsThisEpoch;
    private int skipped;
    private int retried;

    StepGuard(OnnxBlock block) {
        for (Parameter p : block.parametersByTensor().values()) {
            if (OnnxBlock.isRunningStatistic(p) && p.isInitialized()) {
                stats.add(p.getArray());
            }
        }
    }

    /** Call at the start of each epoch: remembers the running statistics to restore. */
    void startEpoch() {
        saved.forEach(NDArray::close);
        saved.clear();
        for (NDArray s : stats) {
            saved.add(s.duplicate());
        }
        skippedThisEpoch = 0;
        stepsThisEpoch = 0;
    }

    /** A step's loss was finite and its update applied. */
    void trained() {
        skippedInARow = 0;
        stepsThisEpoch++;
    }

    /** A pass was not finite and will be tried again: puts the running statistics back. */
    void retrying() {
        retried++;
        restoreStatistics();
    }

    /**
     * A batch could not be trained on either try: skipped, statistics restored.
     *
     * @throws DivergedException when that makes three in a row or half of the epoch so far
     */
    void skipped(String where) throws DivergedException {
        restoreStatistics();
        skipped++;
        skippedInARow++;
        skippedThisEpoch++;
        stepsThisEpoch++;
        if (skippedInARow >= MAX_IN_A_ROW) {
            throw diverged(where);
        }
    }

    /**
     * Call at the end of each epoch.
     *
     * @throws DivergedException when half of the epoch's batches or more were skipped
     */
    void endEpoch(String where) throws DivergedException {
        if (skippedThisEpoch > 0 && skippedThisEpoch * 2 >= stepsThisEpoch) {
            throw diverged(where);
        }
    }

    private DivergedException diverged(String where) {
        return new DivergedException(
                where
                        + ": the loss is not finite ("
                        + skippedThisEpoch
                        + " of "
                        + stepsThisEpoch
                        + " batches, "
                        + skippedInARow
                        + " in a row)");
    }

    /** Batches skipped in the whole run. */
    int skippedBatches() {
        return skipped;
    }

    /** Passes tried again in the whole run. */
    int retriedPasses() {
        return retried;
    }

    private void restoreStatistics() {
        for (int i = 0; i < stats.size() && i < saved.size(); i++) {
            NDArray s = stats.get(i);
            NDArray bad = s.isNaN().logicalOr(s.isInfinite());
            if (bad.any().getBoolean()) {
                NDArray fixed = NDArrays.where(bad, saved.get(i), s);
                s.set(fixed.toByteBuffer());
                fixed.close();
            }
            bad.close();
        }
    }
}
