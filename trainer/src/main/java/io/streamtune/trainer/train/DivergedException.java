package io.streamtune.trainer.train;

/** A training run produced a non-finite loss or validation metric and was aborted. */
public final class DivergedException extends Exception {

    public DivergedException(String message) {
        super(message);
    }
}
